/**
 * The editor's plan without an analysis (untrusted, no repository, analysis failed) reads the
 * policy once per folder: every panel action after that plans from what was read, until the policy
 * file changes.
 */
import { strict as assert } from 'node:assert';
import { PolicyCache } from '../../../src/extension/policyCache';

describe('the policy read for the editor', () => {
  function counted(answers: (root: string | undefined) => Promise<string>) {
    const reads: (string | undefined)[] = [];
    const cache = new PolicyCache<string>((root) => {
      reads.push(root);
      return answers(root);
    });
    return { cache, reads };
  }

  it('is read once for any number of panel actions on one folder', async () => {
    const { cache, reads } = counted(async (root) => `policy of ${root}`);
    for (let i = 0; i < 5; i++) assert.equal(await cache.get('/repo'), 'policy of /repo');
    assert.deepEqual(reads, ['/repo']);
  });

  it('is read again after the policy file changes, and for another folder', async () => {
    let version = 1;
    const { cache, reads } = counted(async (root) => `${root} v${version}`);
    assert.equal(await cache.get('/repo'), '/repo v1');
    version = 2;
    assert.equal(await cache.get('/repo'), '/repo v1');
    cache.invalidate();
    assert.equal(await cache.get('/repo'), '/repo v2');
    assert.equal(await cache.get(undefined), 'undefined v2');
    assert.deepEqual(reads, ['/repo', '/repo', undefined]);
  });

  it('keeps one policy per repository: a change to one repository\'s file reads only that one again', async () => {
    let version = 1;
    const { cache, reads } = counted(async (root) => `${root} v${version}`);
    assert.equal(await cache.get('/api'), '/api v1');
    assert.equal(await cache.get('/web'), '/web v1');
    // Going back and forth between the two repositories reads neither file again.
    assert.equal(await cache.get('/api'), '/api v1');
    assert.equal(await cache.get('/web'), '/web v1');
    version = 2;
    cache.invalidate('/web');
    assert.equal(await cache.get('/api'), '/api v1', 'the other repository keeps its policy');
    assert.equal(await cache.get('/web'), '/web v2');
    assert.deepEqual(reads, ['/api', '/web', '/web']);
  });

  it('keeps no failed read: a broken file is read again on the next action, after the user fixes it', async () => {
    let broken = true;
    const { cache, reads } = counted(async () => {
      if (broken) throw new Error('.rollout-lens.json: field "gates": expected object');
      return 'fixed';
    });
    await assert.rejects(cache.get('/repo'), /expected object/);
    broken = false;
    assert.equal(await cache.get('/repo'), 'fixed');
    assert.equal(reads.length, 2);
  });
});
