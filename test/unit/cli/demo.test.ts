import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeRepo } from '../../fixtures/repo';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

describe('rollout-lens demo (npm start)', () => {
  before(function () {
    if (!existsSync(CLI)) execFileSync('npm', ['run', '-s', 'build'], { cwd: path.resolve(__dirname, '../../..') });
  });

  it('outside a git repository analyzes the bundled example change, plans it and replays a bad rollout', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-demo-'));
    // A temp folder of its own, so other runs on the machine cannot put an example folder beside it.
    const ownTmp = mkdtempSync(path.join(tmpdir(), 'rollout-lens-demo-tmp-'));
    try {
      const r = spawnSync(process.execPath, [CLI, 'demo', '--repo', dir], { encoding: 'utf8', env: { ...process.env, TMPDIR: ownTmp } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /not a git repository: analyzing the bundled example change/);
      assert.match(r.stdout, /Deployment risk: HIGH/);
      assert.match(r.stdout, /src\/payments\/charge\.ts/);
      assert.match(r.stdout, /new-receipts/, 'the flag-guarded code is reported');
      assert.match(r.stdout, /Rollout plan\s+HIGH/);
      for (const stage of ['Infrastructure', 'Integration', 'Canary', 'Partial', 'Full rollout']) assert.match(r.stdout, new RegExp(stage));
      assert.match(r.stdout, /Rolled back at Canary/, 'the error-spike replay is caught at the canary');
      assert.deepEqual(readdirSync(ownTmp), [], 'the example repository is removed afterwards');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(ownTmp, { recursive: true, force: true });
    }
  });

  it('in a repository with a change analyzes that change, not the example', () => {
    const repo = makeRepo({ commits: [{ 'README.md': '# app\n' }], unstaged: { 'README.md': '# app\n\nMore docs.\n' } });
    try {
      const r = spawnSync(process.execPath, [CLI, 'demo', '--repo', repo.dir], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Analyzing the change in/);
      assert.match(r.stdout, /Deployment risk: ZERO/);
      assert.match(r.stdout, /README\.md/);
      assert.doesNotMatch(r.stdout, /charge\.ts/);
    } finally {
      repo.cleanup();
    }
  });
});
