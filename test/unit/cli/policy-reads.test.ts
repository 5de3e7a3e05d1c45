/**
 * The policy is read once per command: `plan --repo` and `simulate --repo` plan the change with the
 * policy the analysis read, instead of opening `.rollout-lens.json` a second time (which a file
 * edited in between could make disagree with itself). Counted where every read goes, fs.promises.open.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { planFromArgs } from '../../../src/cli/commands/plan';
import { POLICY_FILE } from '../../../src/core/policy/name';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

// The module object itself (an ES namespace would be read-only), the one core's reads call through.
const fsp = require('node:fs/promises') as typeof import('node:fs/promises');

describe('the policy is read once per command', () => {
  let repo: FixtureRepo;
  const realOpen = fsp.open;
  let reads: string[] = [];

  before(() => {
    repo = makeRepo({
      commits: [{ 'README.md': '# app\n', [POLICY_FILE]: JSON.stringify({ gates: { error_rate: { warning: 0.8, critical: 2 } } }) }],
      unstaged: { 'src/api/routes.ts': 'export const route = "/v2/orders";\n' },
    });
    fsp.open = ((file: Parameters<typeof fsp.open>[0], ...rest: [never?, never?]) => {
      if (path.basename(String(file)) === POLICY_FILE) reads.push(String(file));
      return realOpen(file, ...rest);
    }) as typeof fsp.open;
  });
  after(() => {
    fsp.open = realOpen;
    repo.cleanup();
  });
  beforeEach(() => (reads = []));

  it('plan --repo reads the policy once, and plans with what it read (the thresholds of the file)', async () => {
    const { plan } = await planFromArgs({ repo: repo.dir, start: '2026-03-10T10:00:00Z' });
    assert.deepEqual(reads, [path.join(repo.dir, POLICY_FILE)]);
    const gates = plan.stages.flatMap((s) => s.gates ?? []).filter((g) => g.metric === 'error_rate');
    assert.ok(gates.length > 0, 'the plan has an error-rate gate');
    assert.ok(gates.every((g) => g.warning === 0.8 && g.critical === 2), JSON.stringify(gates[0]));
  });

  it('plan --tier reads it once too', async () => {
    await planFromArgs({ tier: 'HIGH', config: path.join(repo.dir, POLICY_FILE) });
    assert.deepEqual(reads, [path.join(repo.dir, POLICY_FILE)]);
  });
});
