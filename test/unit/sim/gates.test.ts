import { strict as assert } from 'node:assert';
import { buildPlan } from '../../../src/core/plan';
import { parsePolicy, POLICY_FILE } from '../../../src/core/policy/load';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { simulateTrace } from '../../../src/core/sim';
import { uncoveredByTrace } from '../../../src/core/sim/coverage';
import { SimulationResultSchema } from '../../../src/core/sim/schema';
import { allGates, gate, gatePlan } from './plans';
import { during, handTrace, T0 } from './hand-traces';

const opts = { alignAt: T0 };

describe('gates: what a reading does to the rollout', () => {
  it('rolls back (Level 1) at the minute a critical error rate is read, naming value and threshold', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: during(134, 300, 0.61, 0.05) }), opts);
    SimulationResultSchema.parse(r);
    assert.equal(r.outcome, 'rolled_back');
    assert.deepEqual(r.rollback, { stage: 3, minute: 134, metric: 'error_rate', value: 0.61, threshold: 0.5, level: 1 });
    assert.equal(r.verdict, 'Rolled back at Canary 10 %, 2 h 14 min in: error rate 0.61 % > 0.5 % critical → Level 1');
    assert.deepEqual(
      r.stages.map((s) => s.decision),
      ['promoted', 'promoted', 'rolled_back', 'not_reached', 'not_reached'],
    );
    // Exposure: minutes 60…134 inclusive at 10 %.
    assert.equal(r.blastRadius, 7.5);
    assert.deepEqual(r.alerts.map((a) => [a.minute, a.metric, a.severity]), [[134, 'error_rate', 'critical']]);
  });

  it('rolls back on a critical success rate and on critical database errors', () => {
    const s = simulateTrace(gatePlan(), handTrace(300, { success_rate: during(200, 300, 99.4, 99.95) }), opts);
    assert.equal(s.outcome, 'rolled_back');
    assert.equal(s.rollback?.metric, 'success_rate');
    assert.equal(s.rollback?.stage, 4);
    assert.equal(s.rollback?.minute, 200);
    const d = simulateTrace(gatePlan(), handTrace(300, { db_errors_per_min: during(250, 300, 51, 2) }), opts);
    assert.equal(d.rollback?.metric, 'db_errors_per_min');
    assert.equal(d.rollback?.stage, 5);
  });

  it('does not roll back on a brief critical latency, but holds promotion', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: during(100, 105, 620, 150) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.rollback, null);
    assert.equal(r.stages[2].decision, 'held');
    assert.match(r.stages[2].reason!, /latency p95 620 ms > 500 ms critical/);
    assert.equal(r.alerts.length, 1, 'one alert when latency enters critical, not one per minute');
  });

  it('rolls back on latency once critical is sustained for the gate’s sustainMinutes', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: during(100, 300, 620, 150) }), opts);
    assert.equal(r.outcome, 'rolled_back');
    // sustainMinutes 10: readings at 100…109 make ten minutes.
    assert.equal(r.rollback?.minute, 109);
    assert.equal(r.rollback?.metric, 'latency_p95_ms');
  });

  it('rolls back at once on a security alert and opens an incident', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { security_alerts: during(61, 62, 1, 0) }), opts);
    assert.equal(r.outcome, 'rolled_back');
    assert.equal(r.rollback?.minute, 61);
    assert.equal(r.rollback?.metric, 'security_alerts');
    assert.equal(r.incidents.length, 1);
    assert.equal(r.incidents[0].minute, 61);
    assert.match(r.verdict, /incident opened/);
  });

  it('holds on a warning and reports it, without rolling back', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: during(70, 76, 0.25, 0.05) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.rollback, null);
    assert.equal(r.stages[2].decision, 'held');
    // Held in the minute of the third warning reading (72), not at the end of the wait (180).
    assert.equal(r.stages[2].endMinute, 73, 'held the minute the warning limit is reached');
    assert.equal(r.alerts.length, 1);
    assert.deepEqual([r.alerts[0].minute, r.alerts[0].severity, r.alerts[0].value, r.alerts[0].threshold], [70, 'warning', 0.25, 0.2]);
    assert.equal(r.verdict, 'Halted at Canary 10 %, 1 h 13 min in: error rate 0.25 % > 0.2 % warning at 1 h 12 min, the 3rd reading at warning or worse in this step (the limit is 3): promotion held');
  });

  it('reports a new alert each time a metric enters a severity', () => {
    // A warning limit of 10, so the five warning readings do not hold before the critical comes.
    const gates = allGates().map((g) => (g.metric === 'error_rate' ? gate('error_rate', { warningLimit: 10 }) : g));
    const r = simulateTrace(gatePlan(gates), handTrace(300, { error_rate: (m) => (m >= 70 && m < 75 ? 0.3 : m >= 75 ? 0.7 : 0.05) }), opts);
    assert.deepEqual(r.alerts.map((a) => [a.minute, a.severity]), [[70, 'warning'], [75, 'critical']]);
  });

  it('fires only after `consecutive` bad samples in a row', () => {
    const gates = allGates().map((g) => (g.metric === 'error_rate' ? gate('error_rate', { consecutive: 3 }) : g));
    const spaced = simulateTrace(gatePlan(gates), handTrace(300, { error_rate: (m) => ([100, 102, 104].includes(m) ? 0.9 : 0.05) }), opts);
    // Three separate critical readings are not three in a row (no rollback, no alert), but they are
    // three readings over the warning in one step: the step holds instead of promoting.
    assert.equal(spaced.outcome, 'halted', 'three separate bad samples are not three in a row');
    assert.equal(spaced.rollback, null);
    assert.equal(spaced.alerts.length, 0);
    const row = simulateTrace(gatePlan(gates), handTrace(300, { error_rate: during(100, 103, 0.9, 0.05) }), opts);
    assert.equal(row.outcome, 'rolled_back');
    assert.equal(row.rollback?.minute, 102);
  });

  it('promotes a healthy trace through every stage', () => {
    const r = simulateTrace(gatePlan(), handTrace(300), opts);
    assert.equal(r.outcome, 'promoted');
    assert.deepEqual(r.stages.map((s) => s.decision), ['promoted', 'promoted', 'promoted', 'promoted', 'promoted']);
    assert.equal(r.blastRadius, 120 * 0.1 + 60 * 0.5 + 60 * 1);
  });

  it('skips a stage that is not required: it takes 0 minutes', () => {
    const plan = gatePlan();
    plan.stages[3].required = false;
    const r = simulateTrace(plan, handTrace(300), opts);
    assert.equal(r.stages[3].decision, 'skipped');
    assert.equal(r.stages[3].startMinute, r.stages[3].endMinute);
    assert.equal(r.stages[4].startMinute, 180);
    assert.equal(r.durationMinutes, 240);
  });

  it('uses the maximum waits when asked', () => {
    const plan = gatePlan();
    plan.stages[2].steps[0].waitHours = { min: 2, max: 4 };
    assert.equal(simulateTrace(plan, handTrace(400), { ...opts, useMaxWait: true }).stages[2].endMinute, 300);
  });
});

describe('gates: no silent pass', () => {
  it('halts, naming the metric, when a gated metric has no data during a stage', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: (m) => (m >= 60 && m < 180 ? undefined : 0.05) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.stages[2].decision, 'held');
    assert.match(r.stages[2].reason!, /no data for error_rate during Canary 10 %/);
    assert.match(r.verdict, /error_rate/);
  });

  it('does not pass a run whose every measurement errored (all NaN)', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: () => NaN, success_rate: () => NaN }), opts);
    assert.notEqual(r.outcome, 'promoted');
    assert.equal(r.stages[1].decision, 'held');
    const nan = r.dataIssues.find((d) => d.metric === 'error_rate' && d.kind === 'nan');
    assert.equal(nan?.count, 300);
  });

  it('never reads a missing value as 0: a failing canary with holes still rolls back', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: (m) => (m < 60 ? 0.05 : m % 2 ? NaN : 0.9) }), opts);
    assert.equal(r.outcome, 'rolled_back');
    assert.equal(r.rollback?.minute, 60);
  });

  it('does not promote a step whose readings stop before it ends: a trace shorter than the plan halts, saying so', () => {
    const short = simulateTrace(gatePlan(), handTrace(250), opts);
    assert.equal(short.outcome, 'halted');
    assert.deepEqual(short.stages.map((s) => s.decision), ['promoted', 'promoted', 'promoted', 'promoted', 'held']);
    assert.match(short.stages[4].reason!, /^no reading of error_rate, .* after 4 h 10 min, 50 min before the end of Full rollout 100 % .*: a gate cannot pass on data that stopped/);
    const message = uncoveredByTrace(gatePlan(), handTrace(250), short, opts);
    assert.match(message ?? '', /^hand-made: the trace covers 4 h 10 min of the 5 h 0 min the plan needs: Full rollout \(minutes 240–300\) is not covered after minute 250/);
    // Long enough, or decided before the recording ends: nothing to say.
    assert.equal(uncoveredByTrace(gatePlan(), handTrace(300), simulateTrace(gatePlan(), handTrace(300), opts), opts), undefined);
    const bad = handTrace(130, { error_rate: during(100, 130, 0.9, 0.05) });
    const rolledBack = simulateTrace(gatePlan(), bad, opts);
    assert.equal(rolledBack.outcome, 'rolled_back');
    assert.equal(uncoveredByTrace(gatePlan(), bad, rolledBack, opts), undefined);
  });

  it('does not promote a step whose one metric goes quiet for its last minutes, though the others go on', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 165 && m < 180 ? undefined : 150) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.match(r.stages[2].reason!, /^no reading of latency_p95_ms after 2 h 45 min, 15 min before the end of Canary/);
  });

  it('halts at a long gap inside a stage, reporting it, and when it covers the whole stage', () => {
    // A 30-minute hole in 1-minute latency: the canary is not vouched for, so it holds as the hole opens.
    const gap = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 90 && m < 120 ? undefined : 150) }), opts);
    assert.equal(gap.outcome, 'halted');
    assert.equal(gap.stages[2].decision, 'held');
    assert.match(gap.stages[2].reason!, /^no reading of latency_p95_ms after 1 h 30 min, .*minutes 90–96 are unobserved/);
    const issue = gap.dataIssues.find((d) => d.kind === 'gap' && d.metric === 'latency_p95_ms');
    assert.ok(issue, 'the gap is reported');
    assert.match(issue.message, /from minute 90/);
    const whole = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 180 && m < 240 ? undefined : 150) }), opts);
    assert.equal(whole.outcome, 'halted');
    assert.equal(whole.stages[3].decision, 'held');
    assert.match(whole.stages[3].reason!, /latency_p95_ms/);
  });

  it('reports duplicate and out-of-order timestamps and lets the worst duplicate count', () => {
    const trace = handTrace(300);
    const s = trace.series.get('error_rate')!;
    const times = Array.from(s.times);
    const values = Array.from(s.values);
    // Minute 100 read twice (the second reading critical), minutes 150/151 swapped.
    times.splice(101, 0, times[100]);
    values.splice(101, 0, 0.8);
    [times[152], times[151]] = [times[151], times[152]];
    trace.series.set('error_rate', { metric: 'error_rate', times: Float64Array.from(times), values: Float64Array.from(values) });
    const r = simulateTrace(gatePlan(), trace, opts);
    assert.deepEqual(r.dataIssues.filter((d) => d.metric === 'error_rate').map((d) => [d.kind, d.count]), [['out-of-order', 1], ['duplicate', 1]]);
    assert.equal(r.rollback?.minute, 100);
  });

  it('reads an infinity as a reading beyond every threshold: a brief critical that holds, not a promotion', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m === 150 ? Infinity : 150) }), opts);
    assert.deepEqual(r.alerts.map((a) => [a.minute, a.metric, a.severity]), [[150, 'latency_p95_ms', 'critical']]);
    assert.equal(r.outcome, 'halted');
  });
});

describe('gates: a metric the service does not have', () => {
  const start = { start: new Date(T0), timezone: 'UTC' };
  const change = { tier: 'MEDIUM' as const, files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] };
  /** A healthy recording long enough for the MEDIUM plan, without database errors. */
  function withoutDbErrors(minutes: number) {
    const trace = handTrace(minutes);
    trace.series.delete('db_errors_per_min');
    return trace;
  }

  it('says what to do when a gate has nothing to read: add the metric, or the exact policy lines that turn the gate off', () => {
    const plan = buildPlan(change, DEFAULT_POLICY, start);
    const r = simulateTrace(plan, withoutDbErrors(2000), opts);
    assert.equal(r.outcome, 'halted');
    const held = r.stages.find((s) => s.decision === 'held')!;
    assert.match(held.reason!, /^no data for db_errors_per_min during .*: a gate with nothing to read cannot pass — add the metric to the trace, or turn the gate off in \.rollout-lens\.json with "gates": \{"db_errors_per_min": \{"enabled": false\}\}$/);
  });

  it('names every silent metric, and the policy lines it suggests parse as a policy that lets the rollout through', () => {
    const plan = buildPlan(change, DEFAULT_POLICY, start);
    const trace = withoutDbErrors(2000);
    trace.series.delete('security_alerts');
    const held = simulateTrace(plan, trace, opts).stages.find((s) => s.decision === 'held')!;
    assert.match(held.reason!, /^no data for db_errors_per_min, security_alerts during /);
    const suggested = /with ("gates": .*)$/.exec(held.reason!)![1];
    const policy = parsePolicy(`{${suggested}}`, POLICY_FILE);
    const fixed = buildPlan(change, policy, start);
    const gated = new Set(fixed.stages.flatMap((s) => s.gates.map((g) => g.metric)));
    assert.ok(!gated.has('db_errors_per_min') && !gated.has('security_alerts'), `still gated: ${[...gated].join(', ')}`);
    assert.ok(gated.has('error_rate'), 'the other gates stay');
    const r = simulateTrace(fixed, trace, opts);
    assert.equal(r.outcome, 'promoted', r.verdict);
  });

  it('with the gate turned off, a spike in that metric no longer rolls back, while the gate on still catches it', () => {
    const spike = handTrace(2000, { db_errors_per_min: during(300, 2000, 80, 2) });
    const on = simulateTrace(buildPlan(change, DEFAULT_POLICY, start), spike, opts);
    assert.equal(on.outcome, 'rolled_back');
    assert.equal(on.rollback?.metric, 'db_errors_per_min');
    const off = simulateTrace(buildPlan(change, parsePolicy('{"gates": {"db_errors_per_min": {"enabled": false}}}', POLICY_FILE), start), spike, opts);
    assert.equal(off.outcome, 'promoted', off.verdict);
    assert.ok(!off.alerts.some((a) => a.metric === 'db_errors_per_min'));
  });
});
