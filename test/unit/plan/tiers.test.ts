/** Each tier's plan checked against the seed's decision matrix and 5-stage sequence, line by line. */
import { strict as assert } from 'node:assert';
import { buildPlan, RolloutPlanSchema } from '../../../src/core/plan';
import type { RolloutPlan, Stage } from '../../../src/core/plan';
import { assessment, NY, policy } from './helpers';
import { isInputError } from '../../../src/core/errors';

// Tuesday 10:00 in New York (EDT since 2026-03-08): the start of an optimal window.
const START = new Date('2026-03-10T14:00:00Z');

const plan = (tier: 'ZERO' | 'LOW' | 'MEDIUM' | 'HIGH') => buildPlan(assessment(tier), policy(), { start: START, timezone: NY });

const stepsOf = (s: Stage) => s.steps.map((x) => [x.trafficPercent, x.waitHours.min, x.waitHours.max]);
const windows = (s: Stage) => s.steps.map((x) => [x.start, x.end]);
const kinds = (s: Stage) => s.successCriteria.map((c) => [c.id, c.kind, c.metric ?? null, c.tolerancePercent ?? null]);

function checkShape(p: RolloutPlan): void {
  assert.ok(RolloutPlanSchema.safeParse(p).success, 'validates against RolloutPlanSchema');
  assert.deepEqual(p.stages.map((s) => [s.number, s.name]), [[1, 'Infrastructure'], [2, 'Integration'], [3, 'Canary'], [4, 'Partial'], [5, 'Full rollout']]);
  for (const s of p.stages) {
    assert.ok(s.reason.length > 10, `stage ${s.number} says why`);
    if (!s.required) {
      assert.deepEqual([s.steps, s.gates, s.successCriteria], [[], [], []], `stage ${s.number} not required: nothing scheduled`);
      assert.match(s.reason, /^Not needed/);
    }
  }
}

describe('plan: tiers against the seed', () => {
  it('ZERO deploys immediately (wait 0) and monitors deployment success only', () => {
    const p = plan('ZERO');
    checkShape(p);
    assert.equal(p.strategy, 'immediate');
    assert.equal(p.monitoring, 'Deployment success only');
    const [s1, ...rest] = p.stages;
    assert.equal(s1.required, true);
    assert.deepEqual(stepsOf(s1), [[100, 0, 0]]);
    assert.deepEqual(windows(s1), [['2026-03-10T10:00:00-04:00', '2026-03-10T10:00:00-04:00']]);
    assert.deepEqual(s1.gates, [], 'no metric gates: deployment success only');
    assert.deepEqual(s1.successCriteria.map((c) => [c.text, c.kind]), [
      ['Build succeeds', 'manual'],
      ['App healthy (health checks pass after the deploy)', 'manual'],
    ]);
    assert.deepEqual(rest.map((s) => s.required), [false, false, false, false]);
    assert.equal(p.schedule.totalHours, 0);
  });

  it('LOW is flag-gated: deployed dark, then 1 hour watching for any error from the new code', () => {
    const p = plan('LOW');
    checkShape(p);
    assert.equal(p.strategy, 'flag-gated');
    assert.equal(p.monitoring, 'No errors from new code (should be silent)');
    const [s1, s2, s3, s4, s5] = p.stages;
    assert.deepEqual(stepsOf(s1), [[0, 0, 0]]);
    assert.deepEqual(stepsOf(s2), [[0, 1, 1]]);
    assert.deepEqual(windows(s2), [['2026-03-10T10:00:00-04:00', '2026-03-10T11:00:00-04:00']]);
    assert.deepEqual(s2.gates.map((g) => g.metric), ['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts']);
    assert.deepEqual(kinds(s2), [
      ['no-memory-leaks', 'manual', null, null],
      ['no-new-errors', 'stable', 'error_rate', 10],
      ['no-warning', 'no-warning', null, null],
    ]);
    assert.deepEqual([s3.required, s4.required, s5.required], [false, false, false]);
  });

  it('MEDIUM canaries 10% (2–4 h) → 50% (4–8 h, overnight) → 100% (24 h)', () => {
    const p = plan('MEDIUM');
    checkShape(p);
    assert.equal(p.strategy, 'canary');
    assert.equal(p.monitoring, 'Error rate, latency, success rate');
    const [s1, s2, s3, s4, s5] = p.stages;
    assert.ok(p.stages.every((s) => s.required));
    assert.deepEqual([stepsOf(s1), stepsOf(s2)], [[[0, 0, 0]], [[0, 1, 1]]]);
    assert.deepEqual(stepsOf(s3), [[10, 2, 4]]);
    assert.deepEqual(stepsOf(s4), [[50, 4, 8]]);
    assert.deepEqual(stepsOf(s5), [[100, 24, 24]]);
    // 10% at 11:00 for 2 h, 50% at 13:00 for 4 h; the 100% step waits for the morning after (overnight), 10:00 Wednesday.
    assert.deepEqual(windows(s3), [['2026-03-10T11:00:00-04:00', '2026-03-10T13:00:00-04:00']]);
    assert.deepEqual(windows(s4), [['2026-03-10T13:00:00-04:00', '2026-03-10T17:00:00-04:00']]);
    assert.deepEqual(windows(s5), [['2026-03-11T10:00:00-04:00', '2026-03-12T10:00:00-04:00']]);
    assert.deepEqual(s5.steps[0].moved.map((m) => m.rule), ['overnight', 'outside-best-window']);
    assert.match(s4.steps[0].note ?? '', /overnight/);
    assert.deepEqual(kinds(s3), [
      ['error-rate-stable', 'stable', 'error_rate', 10],
      ['latency-within-baseline', 'relative-to-baseline', 'latency_p95_ms', 10],
      ['no-critical', 'no-critical', null, null],
    ]);
    assert.deepEqual(s3.rollback.level, 1);
    assert.match(s3.rollback.action, /ANY critical alert/);
    assert.ok(s4.successCriteria.some((c) => c.kind === 'stable' && c.metric === 'success_rate'), 'metrics stable at scale');
    assert.ok(s5.successCriteria.some((c) => c.kind === 'scales-linearly' && c.metric === 'error_rate'), 'metrics scale linearly');
    assert.ok(s5.successCriteria.some((c) => c.kind === 'no-warning'), 'no surprises');
    assert.equal(p.schedule.start, '2026-03-10T10:00:00-04:00');
    assert.equal(p.schedule.end, '2026-03-12T10:00:00-04:00');
    assert.equal(p.schedule.totalHours, 48);
  });

  it('HIGH is the extended canary 5% (8–24 h) → 10 → 25 → 50 → 75 → 100%, each at least 4–8 h', () => {
    const p = plan('HIGH');
    checkShape(p);
    assert.equal(p.strategy, 'extended-canary');
    assert.match(p.monitoring, /Intensive monitoring at every stage/);
    const [, , s3, s4, s5] = p.stages;
    assert.deepEqual(stepsOf(s3), [[5, 8, 24], [10, 4, 8]]);
    assert.deepEqual(stepsOf(s4), [[25, 4, 8], [50, 4, 8]]);
    assert.deepEqual(stepsOf(s5), [[75, 4, 8], [100, 24, 24]]);
    assert.ok([s3, s4, s5].flatMap((s) => s.steps).every((x) => x.waitHours.min >= 4 && x.waitHours.max >= 8));
    assert.ok(p.stages.every((s) => s.gates.length === 5), 'every stage watches every gate');
    assert.match(s4.steps[1].note ?? '', /overnight/, 'the 50% step holds overnight');
    // Steps never overlap and never go back in time.
    const all = p.stages.flatMap((s) => s.steps);
    for (let i = 1; i < all.length; i++) assert.ok(Date.parse(all[i].start) >= Date.parse(all[i - 1].end));
  });

  it('uses the seed\'s metric table for the gates', () => {
    const g = Object.fromEntries(plan('MEDIUM').stages[2].gates.map((x) => [x.metric, [x.baseline, x.direction, x.warning, x.critical, x.action, x.rollbackLevel]]));
    assert.deepEqual(g, {
      error_rate: [0.05, 'above', 0.2, 0.5, 'Level 1 rollback', 1],
      latency_p95_ms: [150, 'above', 300, 500, 'Investigate, Level 1 if sustained', 1],
      success_rate: [99.95, 'below', 99.8, 99.5, 'Level 1 rollback', 1],
      db_errors_per_min: [5, 'above', 10, 50, 'Level 1, investigate DB', 1],
      security_alerts: [0, 'above', 0, 0, 'Immediate Level 1 + incident', 1],
    });
  });

  it('lists the post-rollback procedure in the seed\'s order', () => {
    assert.deepEqual(plan('HIGH').postRollback.map((p) => `${p.step}. ${p.title}`), [
      '1. Notify team', '2. Update status page', '3. Document incident', '4. Keep monitoring', '5. Schedule postmortem', '6. Fix root cause',
    ]);
  });

  it('is deterministic: the same inputs give the same plan', () => {
    assert.deepEqual(plan('HIGH'), plan('HIGH'));
    assert.notDeepEqual(plan('HIGH').schedule, buildPlan(assessment('HIGH'), policy(), { start: new Date('2026-03-11T14:00:00Z'), timezone: NY }).schedule);
  });

  it('replaces the traffic steps of stages 3–5 with policy.rollout[TIER].steps', () => {
    const p = buildPlan(assessment('MEDIUM'), policy({ rollout: { MEDIUM: { steps: [{ trafficPercent: 20, waitHours: { min: 1, max: 2 } }, { trafficPercent: 100, waitHours: { min: 12, max: 12 } }] } } }), {
      start: START,
      timezone: NY,
    });
    assert.deepEqual(stepsOf(p.stages[2]), [[20, 1, 2]]);
    assert.equal(p.stages[3].required, false);
    assert.match(p.stages[3].reason, /rollout\.MEDIUM\.steps/);
    assert.deepEqual(stepsOf(p.stages[4]), [[100, 12, 12]]);
  });

  it('gives even a ZERO-risk change a canary when the policy asks for one', () => {
    const p = buildPlan(assessment('ZERO'), policy({ rollout: { ZERO: { steps: [{ trafficPercent: 10, waitHours: { min: 1, max: 1 } }, { trafficPercent: 100, waitHours: { min: 2, max: 2 } }] } } }), {
      start: START,
      timezone: NY,
    });
    assert.deepEqual(p.stages.map(stepsOf), [[[0, 0, 0]], [], [[10, 1, 1]], [], [[100, 2, 2]]]);
    assert.match(p.stages[1].reason, /no new code to keep dark/);
    assert.ok(p.stages[0].gates.length > 0, 'watched once users get the new version');
  });

  it('rejects policy steps that shrink, naming the field', () => {
    const bad = policy({ rollout: { HIGH: { steps: [{ trafficPercent: 50, waitHours: { min: 1, max: 2 } }, { trafficPercent: 20, waitHours: { min: 1, max: 2 } }] } } });
    assert.throws(() => buildPlan(assessment('HIGH'), bad, { start: START, timezone: NY }), (e: unknown) => isInputError(e) && e.where?.field === 'rollout.HIGH.steps.1.trafficPercent' && /steps only grow/.test(e.message));
  });

  it('rejects an unknown time zone with an InputError naming the field', () => {
    assert.throws(() => buildPlan(assessment('LOW'), policy({ timezone: 'Mars/Olympus' }), { start: START }), (e: unknown) => isInputError(e) && e.where?.field === 'timezone' && /Mars\/Olympus/.test(e.message));
  });
});
