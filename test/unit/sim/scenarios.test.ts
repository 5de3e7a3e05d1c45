import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildPlan } from '../../../src/core/plan';
import type { RolloutPlan } from '../../../src/core/plan/schema';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { injectFault, isScenario, scenarioOrThrow, simulateScenario, simulateTrace, synthesizeTrace, SCENARIO_NAMES } from '../../../src/core/sim';
import { isInputError } from '../../../src/core/errors';
import { mixtureQuantile } from '../../../src/core/sim/mixture';
import * as engine from '../../../src/core/pipeline';
import { scenarioModel } from '../../../src/core/sim/simulate';
import { SimulationResultSchema } from '../../../src/core/sim/schema';
import type { Tier } from '../../../src/core/tier';
import { gatePlan } from './plans';
import { handTrace, T0 } from './hand-traces';

function realPlan(tier: Tier): RolloutPlan {
  const assessment = { tier, files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] };
  return buildPlan(assessment, DEFAULT_POLICY, { start: new Date('2026-03-10T10:00:00Z'), timezone: 'UTC' });
}

const SEEDS = [1, 2, 3];

describe('scenarios on the MEDIUM and HIGH plans', () => {
  for (const tier of ['MEDIUM', 'HIGH'] as const) {
    describe(tier, () => {
      const plan = realPlan(tier);
      const run = (scenario: (typeof SCENARIO_NAMES)[number], seed: number) => SimulationResultSchema.parse(simulateScenario(plan, scenario, seed));

      it('healthy promotes through every stage', () => {
        for (const seed of SEEDS) {
          const r = run('healthy', seed);
          assert.equal(r.outcome, 'promoted', `seed ${seed}: ${r.verdict}`);
          assert.equal(r.alerts.length, 0);
          assert.ok(r.stages.every((s) => s.decision === 'promoted' || s.decision === 'skipped'));
        }
      });

      it('error-spike rolls back at the canary on the error or success rate', () => {
        for (const seed of SEEDS) {
          const r = run('error-spike', seed);
          assert.equal(r.outcome, 'rolled_back', r.verdict);
          assert.equal(r.rollback?.stage, 3);
          assert.equal(r.rollback?.metric, 'error_rate');
          assert.equal(r.rollback?.level, 1);
          assert.ok(r.rollback!.value > 0.5);
        }
      });

      it('latency-regression never promotes and is caught at the canary', () => {
        for (const seed of SEEDS) {
          const r = run('latency-regression', seed);
          assert.notEqual(r.outcome, 'promoted');
          assert.equal(r.stages.find((s) => s.decision === 'held' || s.decision === 'rolled_back')?.number, 3, r.verdict);
          assert.match(r.verdict, /latency/);
        }
      });

      it('slow-degradation never promotes', () => {
        for (const seed of SEEDS) assert.notEqual(run('slow-degradation', seed).outcome, 'promoted');
      });

      it('db-errors rolls back on database errors', () => {
        const r = run('db-errors', 1);
        assert.equal(r.outcome, 'rolled_back');
        assert.equal(r.rollback?.metric, 'db_errors_per_min');
      });

      it('security-alert rolls back at once and opens an incident', () => {
        for (const seed of SEEDS) {
          const r = run('security-alert', seed);
          assert.equal(r.outcome, 'rolled_back');
          assert.equal(r.rollback?.metric, 'security_alerts');
          assert.equal(r.incidents.length, 1);
          assert.equal(r.incidents[0].minute, r.rollback?.minute);
        }
      });

      it('no-data halts and names the silent metric', () => {
        const r = run('no-data', 1);
        assert.equal(r.outcome, 'halted');
        assert.match(r.verdict, /no data for error_rate/);
      });
    });
  }

  it('MEDIUM latency-regression is a sustained critical at 10 %: a Level 1 rollback', () => {
    const r = simulateScenario(realPlan('MEDIUM'), 'latency-regression', 7);
    assert.equal(r.outcome, 'rolled_back');
    assert.equal(r.rollback?.metric, 'latency_p95_ms');
    // Critical from the first canary minute, sustained 10 minutes.
    assert.equal(r.rollback?.minute, r.stages[2].startMinute + 9);
  });
});

describe('scenarios: seeds and traffic weighting', () => {
  it('the same seed gives the same trace and result; another seed a different trace', () => {
    const plan = realPlan('MEDIUM');
    const a = simulateScenario(plan, 'slow-degradation', 42);
    const b = simulateScenario(plan, 'slow-degradation', 42);
    assert.deepEqual(a, b);
    const c = simulateScenario(plan, 'slow-degradation', 43);
    assert.notDeepEqual(a.series[0].points, c.series[0].points);
    const model = scenarioModel(plan, 'healthy');
    assert.deepEqual(synthesizeTrace(model, 5, T0), synthesizeTrace(model, 5, T0));
  });

  it('a +1 % error regression reads as +0.1 % at a 10 % canary', () => {
    const plan = gatePlan();
    const base = simulateScenario(plan, 'healthy', 9);
    const hurt = simulateScenario(plan, 'healthy', 9, { faults: [{ metric: 'error_rate', delta: 1 }] });
    const canary = (r: typeof base) => r.series.find((s) => s.metric === 'error_rate')!.points.filter(([m]) => m >= 60 && m < 180);
    const diffs = canary(hurt).map(([, v], k) => v - canary(base)[k][1]);
    assert.equal(diffs.length, 120);
    for (const d of diffs) assert.ok(Math.abs(d - 0.1) < 1e-9, `difference ${d}`);
  });

  it('injectFault weights a fault over a recording by the traffic share of each minute', () => {
    const plan = gatePlan();
    const faulty = injectFault(handTrace(300), plan, { metric: 'error_rate', delta: 1 });
    const values = faulty.series.get('error_rate')!.values;
    assert.ok(Math.abs(values[30] - 0.05) < 1e-12, 'no traffic in Integration');
    assert.ok(Math.abs(values[100] - 0.15) < 1e-12, '10 % canary: +0.1');
    assert.ok(Math.abs(values[200] - 0.55) < 1e-12, '50 %: +0.5');
    const r = simulateTrace(plan, faulty, { alignAt: T0 });
    assert.equal(r.outcome, 'rolled_back');
    assert.equal(r.rollback?.stage, 4);
    assert.equal(r.rollback?.minute, 180);
    const scaled = injectFault(handTrace(300), plan, { metric: 'latency_p95_ms', factor: 3, fromMinute: 200 });
    const lat = scaled.series.get('latency_p95_ms')!.values;
    assert.equal(lat[199], 150);
    // A p95 is the quantile of the mix (150 ms and 450 ms at 50 %), above the weighted mean's 300 ms.
    assert.equal(lat[200], mixtureQuantile(150, 450, 0.5));
    assert.ok(lat[200] > 300 && lat[200] < 450, `${lat[200]}`);
  });

  it('an unknown scenario is an InputError listing the valid names', () => {
    assert.ok(isScenario('healthy'));
    assert.throws(() => scenarioOrThrow('healty'), (e: unknown) => isInputError(e) && /healthy, error-spike, latency-regression/.test((e as Error).message));
  });

  it('carries everything a chart needs, at most 2,000 points per series, extremes kept', () => {
    const r = simulateScenario(realPlan('HIGH'), 'healthy', 1);
    assert.equal(r.series.length, 5);
    for (const s of r.series) {
      assert.ok(s.points.length <= 2000, `${s.metric}: ${s.points.length}`);
      assert.ok(s.points.length >= 1000, `${s.metric}: every bucket keeps at least one reading`);
    }
    const spike = simulateScenario(realPlan('HIGH'), 'healthy', 1, { faults: [{ metric: 'latency_p95_ms', delta: 2000, fromMinute: 2000 }], maxPoints: 2000 });
    const lat = spike.series.find((s) => s.metric === 'latency_p95_ms')!;
    assert.ok(Math.max(...lat.points.map(([, v]) => v)) > 1000, 'the spike survives downsampling');
    assert.ok(r.stages.every((s) => s.steps.every((st) => st.endMinute >= st.startMinute)));
  });
});

describe('near-threshold scenarios in the editor', () => {
  it('the Simulate tab lists them, the setting offers them, and its Monte Carlo carries caught-at stages and the blast radius', async () => {
    const names = engine.scenarios().map((s) => s.name);
    assert.ok(names.includes('near-warning') && names.includes('slow-leak'), names.join(', '));
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { enum?: string[] }> } } };
    assert.deepEqual(pkg.contributes.configuration.properties['rolloutLens.defaultScenario'].enum, [...SCENARIO_NAMES]);
    // near-warning on the HIGH plan: the error rate sits at the warning only at full traffic; every run
    // is held at the Full rollout's 75 % step (scales-linearly), 408 traffic-minutes in.
    const { monteCarlo } = await engine.simulate(realPlan('HIGH'), { kind: 'scenario', scenario: 'near-warning', seed: 1 }, { runs: 300, offThread: true });
    assert.ok(monteCarlo);
    assert.deepEqual(monteCarlo.caughtAt.map((c) => [c.stage, c.rolledBack, c.halted]), [[5, 0, 300]]);
    assert.equal(monteCarlo.blastRadius.median, 408);
  });
});
