import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readChange } from '../../../src/core/change';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { assess } from '../../../src/core/risk';
import { joinPath } from '../../../src/core/change/bytes';
import { readHead } from '../../../src/core/change/files';
import { eachHead, PARALLEL_MIN_FILES } from '../../../src/core/change/heads';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

const KB = 1024;

describe('eachHead: many files read on two threads', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-heads-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every file what readHead gives it, in order: small, empty, over the bound, over an arena, a FIFO, a symlink, a folder and a missing one', async () => {
    const names: string[] = [];
    const add = (name: string, make: (abs: string) => void) => {
      make(path.join(dir, name));
      names.push(name);
    };
    for (let i = 0; i < PARALLEL_MIN_FILES + 500; i++) {
      // Every so often a file that is not a small regular one.
      if (i % 97 === 5) add(`fifo${i}`, (abs) => execFileSync('mkfifo', [abs]));
      else if (i % 89 === 7) add(`link${i}`, (abs) => symlinkSync('/etc/passwd', abs));
      else if (i % 83 === 3) add(`medium${i}.txt`, (abs) => writeFileSync(abs, 'm'.repeat(600 * KB)));
      else if (i % 211 === 4) add(`large${i}.txt`, (abs) => writeFileSync(abs, 'l'.repeat(1500 * KB)));
      else if (i % 79 === 1) add(`dir${i}`, (abs) => mkdirSync(abs));
      else if (i % 73 === 2) add(`empty${i}`, (abs) => writeFileSync(abs, ''));
      else add(`f${i}.ts`, (abs) => writeFileSync(abs, `export const v${i} = ${i};\n`));
    }
    names.push('missing.ts');
    const bytes = names.map((n) => Buffer.from(n));
    const describeHead = (h: ReturnType<typeof readHead>) => (h ? `${h.size}:${h.bytes.length}:${h.bytes.toString('latin1')}` : 'none');
    // 100 KB cuts the medium files short; 1,200 KB reads them whole and cuts only the large ones.
    for (const limit of [100 * KB, 1200 * KB]) {
      const expected = bytes.map((n, i) => `${names[i]}|${i}|${describeHead(readHead(joinPath(dir, n), limit))}`);
      for (let run = 0; run < 2; run++) {
        const got = await eachHead(dir, bytes, limit, 2, (name, head, i) => `${name.toString()}|${i}|${describeHead(head)}`);
        assert.deepEqual(got, expected);
      }
      const large = names.findIndex((n) => n.startsWith('large'));
      assert.ok(expected[large].includes(`|${1500 * KB}:${Math.min(limit, 1500 * KB)}:`), 'at most the bound is read');
    }
  });
});

describe('readChange with thousands of untracked files', function () {
  this.timeout(180_000);
  const repos: FixtureRepo[] = [];
  let cli: CliUnderTest;
  before(async () => {
    cli = await buildCli('analyze', 'UTC');
  });
  after(() => {
    repos.forEach((r) => r.cleanup());
    cli.cleanup();
  });

  function untrackedRepo(count: number): FixtureRepo {
    const r = makeRepo({ commits: [{ 'README.md': 'a repository\n' }] });
    repos.push(r);
    mkdirSync(path.join(r.dir, 'src/generated'), { recursive: true });
    for (let i = 0; i < count; i++) writeFileSync(path.join(r.dir, `src/generated/part${i}.ts`), `export function part${i}(x: number): number {\n  return x + ${i};\n}\n`);
    writeFileSync(path.join(r.dir, 'src/generated/huge.txt'), 'word\n'.repeat(600 * KB));
    symlinkSync('/etc/passwd', path.join(r.dir, 'src/generated/passwd'));
    return r;
  }

  it('lists every file with its own lines, reads a link as its target text and a large file by its first 2 MB', async () => {
    const count = PARALLEL_MIN_FILES * 2;
    const r = untrackedRepo(count);
    const { change } = await readChange({ repo: r.dir });
    assert.equal(change.files.length, count + 2);
    const byPath = new Map(change.files.map((f) => [f.path, f]));
    for (let i = 0; i < count; i++) {
      const f = byPath.get(`src/generated/part${i}.ts`);
      assert.ok(f, `part${i}.ts listed`);
      assert.equal(f.content, `export function part${i}(x: number): number {\n  return x + ${i};\n}\n`);
      assert.deepEqual(f.addedLines.map((l) => l.text), [`export function part${i}(x: number): number {`, `  return x + ${i};`, '}']);
    }
    assert.equal(byPath.get('src/generated/passwd')?.content, '/etc/passwd');
    assert.match(byPath.get('src/generated/huge.txt')?.note ?? '', /^2.9 MB, over the 2 MB read per file: judged by its first 2 MB$/);
  });

  it('gives the same analysis, to the byte, read on one thread or two', async () => {
    const r = untrackedRepo(PARALLEL_MIN_FILES + 300);
    // As many tracked files changed, some of them binary, and a name that is not UTF-8.
    mkdirSync(path.join(r.dir, 'lib'));
    for (let i = 0; i < PARALLEL_MIN_FILES + 100; i++) writeFileSync(path.join(r.dir, `lib/mod${i}.py`), `def f${i}():\n    return ${i}\n`);
    writeFileSync(path.join(r.dir, 'lib/blob.bin'), Buffer.from([1, 0, 2, 0]));
    r.git('add', '-A');
    r.git('commit', '-q', '--no-verify', '-m', 'modules');
    for (let i = 0; i < PARALLEL_MIN_FILES + 100; i++) writeFileSync(path.join(r.dir, `lib/mod${i}.py`), `def f${i}():\n    return ${i} + 1\n\ndef g${i}():\n    return f${i}()\n`);
    writeFileSync(path.join(r.dir, 'lib/blob.bin'), Buffer.from([3, 0, 4, 0]));
    mkdirSync(path.join(r.dir, 'db'));
    writeFileSync(Buffer.concat([Buffer.from(`${r.dir}/db/`), Buffer.from([0x30, 0xff]), Buffer.from('.sql')]), 'ALTER TABLE users DROP COLUMN email;\n', { flag: 'w' });
    const analysis = async (threads: 1 | 2) => {
      const { change, search } = await readChange({ repo: r.dir, threads });
      return JSON.stringify({ change, assessment: await assess(change, DEFAULT_POLICY, search) });
    };
    const one = await analysis(1);
    assert.equal(await analysis(2), one);
    assert.match(one, /"path":"db\/0\\\\xff\.sql"/);
  });

  it('the CLI analyzes them and exits on its own, its reader thread gone with it', () => {
    const r = untrackedRepo(PARALLEL_MIN_FILES + 200);
    // A reader thread that kept the process alive would show as this bound being hit (status null).
    const run = spawnSync(process.execPath, [path.join(cli.dir, 'cli.js'), 'analyze', '--repo', r.dir, '--json'], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 30 });
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { files: { path: string; linesAdded: number }[] };
    assert.equal(json.files.length, PARALLEL_MIN_FILES + 202);
    assert.equal(json.files.find((f) => f.path === 'src/generated/part7.ts')?.linesAdded, 3);
  });
});
