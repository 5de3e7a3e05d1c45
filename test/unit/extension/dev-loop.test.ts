/**
 * The F5 loop: every launch in .vscode/launch.json names a task that exists, every task names a
 * script or file that exists, and `npm run watch` rebuilds on a change and says when it is done.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const read = (rel: string) => JSON.parse(readFileSync(path.join(root, rel), 'utf8')) as unknown;

interface Task {
  label: string;
  type?: string;
  script?: string;
  command?: string;
  dependsOn?: string[];
}
interface Launch {
  name: string;
  preLaunchTask?: string;
  program?: string;
  args?: string[];
}

describe('the F5 loop', () => {
  const tasks = (read('.vscode/tasks.json') as { tasks: Task[] }).tasks;
  const launches = (read('.vscode/launch.json') as { configurations: Launch[] }).configurations;
  const scripts = (read('package.json') as { scripts: Record<string, string> }).scripts;
  const labels = new Set(tasks.map((t) => t.label));

  it('offers Run Extension and Extension Tests, each with a pre-launch task that exists', () => {
    const names = launches.map((l) => l.name);
    assert.ok(names.includes('Run Extension'), names.join(', '));
    assert.ok(names.includes('Extension Tests'), names.join(', '));
    for (const l of launches) assert.ok(l.preLaunchTask && labels.has(l.preLaunchTask), `${l.name}: pre-launch task "${l.preLaunchTask}" is not in tasks.json`);
  });

  it('names only tasks, npm scripts and files that exist', () => {
    for (const t of tasks) {
      for (const d of t.dependsOn ?? []) assert.ok(labels.has(d), `${t.label}: depends on a missing task "${d}"`);
      if (t.type === 'npm') assert.ok(t.script && scripts[t.script], `${t.label}: no npm script "${t.script}"`);
      for (const file of (t.command ?? '').match(/[\w./-]+\.(?:ts|mjs)\b/g) ?? []) assert.ok(existsSync(path.join(root, file)), `${t.label}: ${file} does not exist`);
    }
    const testsPath = launches.find((l) => l.name === 'Extension Tests')?.args?.find((a) => a.startsWith('--extensionTestsPath='));
    assert.ok(testsPath?.endsWith('/out/integration/index'), String(testsPath));
    assert.match(readFileSync(path.join(root, 'scripts/ci/build-integration.mjs'), 'utf8'), /index: path\.join\(root, 'test\/integration\/index\.ts'\)/);
  });

  it('npm run watch reports one finished build a round, as the watch task expects', async function () {
    this.timeout(120_000);
    const watch = tasks.find((t) => t.label === 'watch') as Task & { problemMatcher: { background: { endsPattern: string } } };
    const ends = new RegExp(watch.problemMatcher.background.endsPattern, 'm');
    const child = spawn(process.execPath, ['scripts/build.mjs', '--watch'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        child.on('exit', (code) => reject(new Error(`watch exited (${code}) before its first build finished:\n${out}`)));
        const poll = setInterval(() => {
          if (ends.test(out)) {
            clearInterval(poll);
            resolve();
          }
        }, 50);
      });
      assert.equal((out.match(/\[watch\] build started/g) ?? []).length, 1, out);
      assert.doesNotMatch(out, /error/i);
    } finally {
      child.kill();
    }
  });
});
