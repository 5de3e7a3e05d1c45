import { strict as assert } from 'node:assert';
import { simulateScenario } from '../../../src/core/sim';
import { MonteCarloResultSchema } from '../../../src/core/sim/schema';
import { monteCarlo } from '../../../src/core/sim/montecarlo';
import { monteCarloParallel } from '../../../src/core/sim/parallel';
import { scenarioModel } from '../../../src/core/sim/simulate';
import { allGates, gate, gatePlan, highPlan } from './plans';

describe('Monte Carlo', () => {
  it('promotes every healthy run; each exposes exactly the plan’s traffic-minutes', () => {
    const plan = gatePlan();
    const mc = MonteCarloResultSchema.parse(monteCarlo(scenarioModel(plan, 'healthy'), 300));
    assert.equal(mc.runs, 300);
    assert.equal(mc.promoted, 1);
    assert.equal(mc.caughtAt.length, 0);
    // 120 min at 10 % + 60 at 50 % + 60 at 100 %.
    for (const q of Object.values(mc.blastRadius)) assert.ok(Math.abs(q - 102) < 1e-9, `blast radius ${q}`);
  });

  it('catches every error spike at the canary, before most of the planned exposure', () => {
    const mc = monteCarlo(scenarioModel(highPlan(), 'error-spike'), 300);
    assert.equal(mc.rolledBack, 1);
    assert.deepEqual(mc.caughtAt.map((c) => c.stage), [3]);
    const b = mc.blastRadius;
    assert.ok(b.min <= b.median && b.median <= b.p95 && b.p95 <= b.max);
    // Caught within the first 5 % step: at most 8 h × 5 % = 24 traffic-minutes.
    assert.ok(b.max <= 24, `max ${b.max}`);
    assert.ok(b.min > 0);
  });

  it('spreads outcomes for a regression a gate barely sees, and the shares add up to 1', () => {
    // No warning band, and +0.43 % errors on the new version: about 0.48 % at full traffic, so whether
    // a noisy reading crosses 0.5 % within the last hour is down to the seed.
    const gates = allGates().map((g) =>
      g.metric === 'error_rate' ? gate('error_rate', { warning: 0.5 }) : g.metric === 'success_rate' ? gate('success_rate', { warning: 99.5 }) : g,
    );
    const mc = monteCarlo(scenarioModel(gatePlan(gates), 'healthy', { faults: [{ metric: 'error_rate', delta: 0.43 }] }), 400);
    assert.ok(Math.abs(mc.promoted + mc.rolledBack + mc.halted - 1) < 1e-12);
    assert.ok(mc.rolledBack > 0.1 && mc.promoted > 0.1, JSON.stringify(mc));
    assert.ok(mc.caughtAt.every((c) => c.stage === 5 || c.stage === 4), JSON.stringify(mc.caughtAt));
    assert.ok(mc.blastRadius.min < mc.blastRadius.max, 'rolled-back runs exposed fewer users than promoted ones');
    assert.equal(mc.blastRadius.max, 102);
  });

  it('each run of the per-reading engine is the single simulation of the same seed', () => {
    const plan = highPlan();
    const model = scenarioModel(plan, 'security-alert');
    for (const seed of [11, 12, 13]) {
      const mc = monteCarlo(model, 1, seed, { exact: true });
      const one = simulateScenario(plan, 'security-alert', seed);
      assert.equal(mc.rolledBack, one.outcome === 'rolled_back' ? 1 : 0);
      assert.ok(Math.abs(mc.blastRadius.max - one.blastRadius!) < 0.01, `${mc.blastRadius.max} vs ${one.blastRadius}`);
    }
  });

  it('gives the same answer on two threads as on one', async () => {
    const plan = gatePlan();
    const one = monteCarlo(scenarioModel(plan, 'slow-degradation'), 5001, 5);
    const two = await monteCarloParallel(plan, 'slow-degradation', 5001, 5, {}, 2);
    assert.deepEqual({ ...two, elapsedMs: 0 }, { ...one, elapsedMs: 0 });
  });

  it('gives the same answer with every run in worker threads, as the editor asks, the caller only waiting', async () => {
    const plan = gatePlan();
    const one = monteCarlo(scenarioModel(plan, 'error-spike'), 300, 7);
    for (const threads of [1, 2]) {
      const free = await monteCarloParallel(plan, 'error-spike', 300, 7, {}, threads, true);
      assert.deepEqual({ ...free, elapsedMs: 0 }, { ...one, elapsedMs: 0 }, `${threads} worker thread(s)`);
    }
  });
});
