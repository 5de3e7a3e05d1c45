import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readChange } from '../../../src/core/change';
import { InputError } from '../../../src/core/errors';
import { makeRepo } from '../../fixtures/repo';

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    return e;
  }
  assert.fail('expected readChange to fail');
}

describe('readChange: errors a user can act on', () => {
  const r = makeRepo({ commits: [{ 'a.txt': 'a\n' }] });
  const outside = mkdtempSync(path.join(tmpdir(), 'rollout-lens-not-a-repo-'));
  after(() => {
    r.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  it('names a folder that is not in a git repository', async () => {
    const e = await inputError(readChange({ repo: outside }));
    assert.equal(e.message, `${outside}: not a git repository (or any parent up to /)`);
  });

  it('names a folder that does not exist', async () => {
    const e = await inputError(readChange({ repo: path.join(outside, 'nope') }));
    assert.match(e.message, /nope: no such directory$/);
  });

  it('names an unknown --base ref, and never lets it pass as an option', async () => {
    for (const ref of ['origin/nope', '--output=/tmp/x', 'HEAD~99']) {
      const e = await inputError(readChange({ repo: r.dir, base: ref }));
      assert.equal(e.where?.field, 'base');
      assert.equal(e.message, `unknown revision "${ref}" (expected a branch, tag or commit of this repository)`);
    }
  });

  it('refuses --base in a repository with no commits', async () => {
    const empty = makeRepo({});
    try {
      const e = await inputError(readChange({ repo: empty.dir, base: 'main' }));
      assert.equal(e.where?.field, 'base');
      assert.match(e.message, /"main"/);
    } finally {
      empty.cleanup();
    }
  });

  it('says so when git is not installed', async () => {
    const saved = process.env.PATH;
    process.env.PATH = outside;
    try {
      const e = await inputError(readChange({ repo: r.dir }));
      assert.equal(e.message, 'git is not installed or not on PATH');
    } finally {
      process.env.PATH = saved;
    }
  });
});
