import { strict as assert } from 'node:assert';
import { buildPlan } from '../../../src/core/plan';
import type { RolloutPlan } from '../../../src/core/plan/schema';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { SCENARIO_NAMES } from '../../../src/core/sim';
import { FastModel } from '../../../src/core/sim/fast';
import { monteCarlo } from '../../../src/core/sim/montecarlo';
import type { MonteCarloResult } from '../../../src/core/sim/schema';
import { scenarioModel } from '../../../src/core/sim/simulate';
import { allGates, criterion, gate, gatePlan, mediumPlan } from './plans';

const high = (): RolloutPlan =>
  buildPlan({ tier: 'HIGH', files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] }, DEFAULT_POLICY, { start: new Date('2026-03-10T10:00:00Z'), timezone: 'UTC' });

/**
 * Two estimates of one share from n runs each differ by a normal with standard error
 * sqrt(2·p(1 − p)/n), p the pooled share. Four standard errors (a 1-in-16,000 miss for one share)
 * plus 2/n for the discreteness of small counts: a real difference in how the fast path decides
 * (a lost rollback, a stage off by one, a criterion read on the wrong sums) is many times that at
 * these run counts, while the seeds are fixed, so the test gives the same answer every time.
 */
function close(name: string, fast: number, exact: number, n: number): void {
  const p = (fast + exact) / 2;
  const se = Math.sqrt((2 * p * (1 - p)) / n);
  assert.ok(Math.abs(fast - exact) <= 4 * se + 2 / n, `${name}: fast ${fast.toFixed(4)} vs per-reading ${exact.toFixed(4)} (allowed ${(4 * se + 2 / n).toFixed(4)})`);
}

function compare(scenario: string, fast: MonteCarloResult, exact: MonteCarloResult): void {
  const n = fast.runs;
  close(`${scenario} promoted`, fast.promoted, exact.promoted, n);
  close(`${scenario} rolled back`, fast.rolledBack, exact.rolledBack, n);
  close(`${scenario} halted`, fast.halted, exact.halted, n);
  const stages = new Set([...fast.caughtAt, ...exact.caughtAt].map((c) => c.stage));
  for (const stage of stages) {
    const f = fast.caughtAt.find((c) => c.stage === stage);
    const e = exact.caughtAt.find((c) => c.stage === stage);
    close(`${scenario} rolled back at stage ${stage}`, (f?.rolledBack ?? 0) / n, (e?.rolledBack ?? 0) / n, n);
    close(`${scenario} held at stage ${stage}`, (f?.halted ?? 0) / n, (e?.halted ?? 0) / n, n);
  }
  // The blast radius follows where runs stop: its median within 10 % (and 0.1 traffic-minutes).
  const tol = 0.1 * Math.max(fast.blastRadius.median, exact.blastRadius.median) + 0.1;
  assert.ok(Math.abs(fast.blastRadius.median - exact.blastRadius.median) <= tol, `${scenario} blast radius median: ${fast.blastRadius.median} vs ${exact.blastRadius.median}`);
}

describe('Monte Carlo fast path against the per-reading engine', function () {
  this.timeout(120_000);
  for (const [name, plan, runs] of [['HIGH', high(), 1000], ['hand-made MEDIUM', mediumPlan(), 600]] as const) {
    describe(name, () => {
      for (const scenario of SCENARIO_NAMES) {
        it(`${scenario}: the same shares promoted, rolled back and halted, caught at the same stages`, () => {
          const model = scenarioModel(plan, scenario);
          const fast = monteCarlo(model, runs, 1);
          const exact = monteCarlo(model, runs, 1, { exact: true });
          compare(scenario, fast, exact);
        });
      }
    });
  }

  it('takes the fast path for every built-in scenario but the silent one, which the per-reading engine decides in minutes', () => {
    for (const scenario of SCENARIO_NAMES) assert.equal(FastModel.of(scenarioModel(high(), scenario)) !== undefined, scenario !== 'no-data', scenario);
    // A fault on a rate is drawn reading by reading; one on the p95 is part of the fast path's tables.
    assert.equal(FastModel.of(scenarioModel(high(), 'healthy', { faults: [{ metric: 'error_rate', delta: 0.1 }] })), undefined);
    assert.notEqual(FastModel.of(scenarioModel(high(), 'healthy', { faults: [{ metric: 'latency_p95_ms', delta: 100 }] })), undefined);
  });

  it('criticals that must come in a row: a quiet minute between two breaks the run, in the same shares either way', () => {
    // near-warning at full traffic reads 0.2 % ± 0.008 %; with the gate at 0.215 % (critical = warning)
    // and consecutive 2, 3 % of minutes are critical: two in a row (about 5 % of the 60-minute steps)
    // roll back, three apart hold, the rest promote. Were quiet minutes not read as green, any two
    // criticals in the step would roll back, about half the runs.
    const gates = allGates().map((g) =>
      g.metric === 'error_rate' ? gate('error_rate', { warning: 0.215, critical: 0.215, consecutive: 2, failureLimit: 1000 }) : g.metric === 'success_rate' ? gate('success_rate', { warning: 99.5 }) : g,
    );
    const model = scenarioModel(gatePlan(gates), 'near-warning');
    const fast = monteCarlo(model, 2000, 1);
    compare('consecutive 2', fast, monteCarlo(model, 2000, 1, { exact: true }));
    assert.ok(fast.rolledBack > 0.02 && fast.rolledBack < 0.1 && fast.halted > 0.1, JSON.stringify(fast));
  });

  it('a step mean at its tolerance: runs split on the criterion, read on the drawn sums, in the same shares either way', () => {
    // +24 ms on the new version: at the 50 % step the mix's p95 averages close to 110 % of the baseline
    // measured before exposure, so whether 'relative-to-baseline' holds depends on the step's and the
    // baseline's mean noise (about 1 ms each): roughly 1 run in 4 promotes. Sums drawn with the wrong
    // mean or spread move that share by many standard errors.
    const plan = gatePlan(allGates(), [[], [], [], [criterion('lat', 'relative-to-baseline', 'latency_p95_ms', 10)], []]);
    const model = scenarioModel(plan, 'healthy', { faults: [{ metric: 'latency_p95_ms', delta: 24 }] });
    const fast = monteCarlo(model, 2000, 1);
    compare('relative-to-baseline', fast, monteCarlo(model, 2000, 1, { exact: true }));
    assert.ok(fast.promoted > 0.1 && fast.halted > 0.5, JSON.stringify(fast));
  });

  it('a p95 just under its warning: runs split on the warning count, in the same shares either way', () => {
    // +130 ms on the new version: at full traffic the p95 reads ~280 ms ± 8 ms, 2 noise widths under the
    // 300 ms warning, so a 1-hour step sees ~1.4 warning readings and about 1 run in 5 reaches the 3
    // that hold it. The fast path draws just those rare readings; a lost or extra one shows here.
    const model = scenarioModel(gatePlan(), 'healthy', { faults: [{ metric: 'latency_p95_ms', delta: 130 }] });
    const fast = monteCarlo(model, 2000, 1);
    compare('latency +130 ms', fast, monteCarlo(model, 2000, 1, { exact: true }));
    assert.ok(fast.halted > 0.1 && fast.promoted > 0.5, JSON.stringify(fast));
  });
});
