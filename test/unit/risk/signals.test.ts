/** Caches and outgoing calls further down a changed block: found in the added lines, not only in the quoted one. */
import { strict as assert } from 'node:assert';
import { readChange } from '../../../src/core/change';
import { buildPlan } from '../../../src/core/plan';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { assess } from '../../../src/core/risk';
import { signalsOf } from '../../../src/core/risk/signals';
import { makeRepo } from '../../fixtures/repo';

describe('risk: signals for the custom metrics', () => {
  it('finds the first cache use and the first outgoing call among the added lines', () => {
    const lines = ['const id = req.params.id;', 'const hit = await redis.get(`user:${id}`);', 'if (hit) return hit;', 'const res = await fetch(`${API}/users/${id}`);', 'await cache.set(id, res);'];
    assert.deepEqual(signalsOf(lines.map((text, i) => ({ line: i + 10, text }))), [
      { kind: 'cache', line: 11, text: 'const hit = await redis.get(`user:${id}`);' },
      { kind: 'external-call', line: 13, text: 'const res = await fetch(`${API}/users/${id}`);' },
    ]);
  });

  it('finds nothing in lines that only mention neither', () => {
    assert.deepEqual(signalsOf([{ line: 1, text: 'const total = items.reduce((s, i) => s + i.price, 0);' }, { line: 2, text: 'http.createServer(handler);' }]), []);
  });

  it('a changed block that calls out and caches three lines below its first change gets both metrics in the plan', async () => {
    const before = 'export async function loadUser(id: string) {\n  return db.users.find(id);\n}\n';
    const after = [
      'export async function loadUser(id: string) {',
      '  const key = `user:${id}`;',
      '  const profile = await db.users.find(id);',
      '  const avatar = await axios.get(`https://avatars.example/${id}`);',
      '  await redis.set(key, JSON.stringify({ profile, avatar }));',
      '  return profile;',
      '}',
      '',
    ].join('\n');
    const repo = makeRepo({ commits: [{ 'src/users/load.ts': before, 'src/server.ts': "import { loadUser } from './users/load';\nloadUser('1');\n" }], unstaged: { 'src/users/load.ts': after } });
    try {
      const { change, search } = await readChange({ repo: repo.dir });
      const a = await assess(change, DEFAULT_POLICY, search);
      const f = a.files.find((x) => x.path === 'src/users/load.ts')!;
      assert.deepEqual(f.signals?.map((s) => [s.kind, s.line]), [['external-call', 4], ['cache', 5]]);
      const plan = buildPlan(a, DEFAULT_POLICY, { start: new Date('2026-03-10T15:00:00Z'), timezone: 'UTC' });
      const metrics = new Map((plan.customMetrics ?? []).map((m) => [m.metric, m]));
      assert.match(metrics.get('cache_hit_rate')?.why ?? '', /^src\/users\/load\.ts:5 uses a cache \(redis\)/);
      assert.match(metrics.get('external_api_calls')?.why ?? '', /^src\/users\/load\.ts:4 calls out with `axios`/);
    } finally {
      repo.cleanup();
    }
  });
});
