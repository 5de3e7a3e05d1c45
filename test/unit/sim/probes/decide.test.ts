/**
 * Probes of how the simulator decides, at the edges of coverage and accumulation. Each case is a
 * generated trace through the hand-made MEDIUM-shaped plan (Integration 0 % minutes 0–60, Canary
 * 10 % 60–180, Partial 50 % 180–240, Full 100 % 240–300) with the answer judged from the seed's
 * table (warning holds, critical rolls back at Level 1, latency only once sustained) and from how
 * Argo Rollouts (AnalysisRun failureLimit / inconclusiveLimit, a measurement with no data is
 * inconclusive and pauses) and Flagger (a failed check counts towards `threshold`, missing metrics
 * halt the canary) would decide. No case promotes on data that could not show health.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildPlan } from '../../../../src/core/plan';
import { isInputError } from '../../../../src/core/errors';
import { parsePolicy, POLICY_FILE } from '../../../../src/core/policy/load';
import { simulateScenario, simulateTrace } from '../../../../src/core/sim';
import { allGates, gate, gatePlan } from '../plans';
import { handTrace, T0 } from '../hand-traces';

const opts = { alignAt: T0 };
type Reading = (m: number) => number | undefined;
const HEALTHY: Record<string, number> = { error_rate: 0.05, latency_p95_ms: 150, success_rate: 99.95, db_errors_per_min: 2, security_alerts: 0 };

/** Every metric read only every `step` minutes (a CloudWatch period, a Prometheus step), with overrides. */
function coarse(step: number, minutes = 300, overrides: Record<string, Reading> = {}, from = 0) {
  const all: Record<string, Reading> = {};
  for (const metric of Object.keys(HEALTHY)) {
    const f = overrides[metric] ?? (() => HEALTHY[metric]);
    all[metric] = (m) => ((m - from) % step === 0 ? f(m) : undefined);
  }
  return handTrace(minutes, all, from);
}

/** A metric absent inside [from, to). */
const absent = (from: number, to: number, value: number): Reading => (m) => (m >= from && m < to ? undefined : value);

describe('probes: a step must be vouched for across its whole length', () => {
  it('halts a canary whose first half is unobserved, naming the metric and the unobserved minutes', () => {
    // Error rate dark for canary minutes 60–120. Argo: no data is inconclusive → paused; Flagger: halt.
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: absent(60, 120, 0.05) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.stages[2].decision, 'held');
    assert.match(r.verdict, /error_rate/);
    assert.match(r.stages[2].reason!, /no data for error_rate during Canary 10 %/);
    // Decided as the hole opens, not after two hours at 10 %.
    assert.ok((r.durationMinutes ?? Infinity) <= 60 + 6, `halted at minute ${r.durationMinutes}`);
  });

  it('does not promote a canary in which error_rate is present only in its last 10 of 120 minutes', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: absent(60, 170, 0.05) }), opts);
    assert.notEqual(r.outcome, 'promoted');
    assert.equal(r.stages[2].decision, 'held');
  });

  it('does not promote a full rollout with a dark middle, and says which minutes nobody saw', () => {
    // The last stage lasts 60 minutes; 20 of them (250–270) are dark for latency.
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: absent(250, 270, 150) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.stages[4].decision, 'held');
    assert.match(r.stages[4].reason!, /^no reading of latency_p95_ms after 4 h 10 min, .*minutes 250–256 are unobserved \(6 min, more than the 5 min/);
  });

  it('holds on a 6-minute hole in 1-minute data, and lets a 5-minute one through', () => {
    // The edge: a 1-minute series may be silent 5 minutes (an exporter restart); 6 is a hole.
    const six = simulateTrace(gatePlan(), handTrace(300, { success_rate: absent(100, 106, 99.95) }), opts);
    assert.equal(six.outcome, 'halted');
    assert.match(six.stages[2].reason!, /success_rate/);
    const five = simulateTrace(gatePlan(), handTrace(300, { success_rate: absent(100, 105, 99.95) }), opts);
    assert.equal(five.outcome, 'promoted', five.verdict);
  });

  it('holds when several gated metrics go dark at once, naming each', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: absent(200, 230, 0.05), db_errors_per_min: absent(200, 230, 2) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.match(r.stages[3].reason!, /^no reading of error_rate, db_errors_per_min after 3 h 20 min/);
  });

  it('reports every gap only once, with its length and the limit of its series', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: absent(200, 230, 0.05) }), opts);
    const gap = r.dataIssues.filter((d) => d.kind === 'gap' && d.metric === 'error_rate');
    assert.equal(gap.length, 1);
    assert.match(gap[0].message, /over 5 min .* from minute 200/);
    assert.equal(r.outcome, 'halted');
  });
});

describe('probes: limits follow the series resolution', () => {
  it('promotes a healthy recording read every 10 minutes', () => {
    // A 10-minute CloudWatch period: each reading stands for 10 minutes, nothing is missing.
    const r = simulateTrace(gatePlan(), coarse(10), opts);
    assert.equal(r.outcome, 'promoted', r.verdict);
    assert.ok(!r.dataIssues.some((d) => d.kind === 'gap'));
  });

  it('promotes a healthy hourly recording, and still halts when an hourly reading is missing for three hours', () => {
    const r = simulateTrace(gatePlan(), coarse(60, 300), opts);
    assert.equal(r.outcome, 'promoted', r.verdict);
    const long = simulateTrace(gatePlan(), coarse(60, 300, { error_rate: (m) => (m >= 60 && m < 240 ? undefined : 0.05) }), opts);
    assert.notEqual(long.outcome, 'promoted');
  });

  it('promotes readings 8 minutes apart (a Prometheus step of 8 m)', () => {
    const r = simulateTrace(gatePlan(), coarse(8, 300), opts);
    assert.equal(r.outcome, 'promoted', r.verdict);
  });

  it('at 10-minute resolution, one missing reading is not a hole but three missing are', () => {
    // Silence of 19 minutes (one reading lost) is under 3 × 10; 39 minutes (three lost) is a hole.
    const one = simulateTrace(gatePlan(), coarse(10, 300, { error_rate: (m) => (m === 100 ? undefined : 0.05) }), opts);
    assert.equal(one.outcome, 'promoted', one.verdict);
    const three = simulateTrace(gatePlan(), coarse(10, 300, { error_rate: (m) => (m >= 100 && m <= 120 ? undefined : 0.05) }), opts);
    assert.equal(three.outcome, 'halted');
    assert.match(three.stages[2].reason!, /more than the 30 min this series may be silent/);
  });

  it('rolls back a sustained critical latency read every 10 minutes', () => {
    // Latency 620 ms from minute 100 on, one reading per 10 minutes: two readings span 20 minutes,
    // past the 10-minute sustain. Flagger with a 10 m interval would fail that check at once.
    const r = simulateTrace(gatePlan(), coarse(10, 300, { latency_p95_ms: (m) => (m >= 100 ? 620 : 150) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.metric, 'latency_p95_ms');
    assert.ok(r.rollback!.minute <= 110, `rolled back at ${r.rollback!.minute}`);
  });

  it('rolls back a sustained critical latency read every hour', () => {
    const r = simulateTrace(gatePlan(), coarse(60, 300, { latency_p95_ms: (m) => (m >= 120 ? 700 : 150) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 120);
  });
});

describe('probes: cumulative failures and warnings per step', () => {
  it('rolls back a flapping critical latency: 20 criticals in 40 minutes, every other minute', () => {
    // No run reaches 10 minutes, but Argo's failureLimit and Flagger's threshold count failed checks:
    // the tenth critical reading of the step (minute 118) rolls back.
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 100 && m < 140 && m % 2 === 0 ? 620 : 150) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 118);
    assert.match(r.stages[2].reason!, /10 critical readings in this step, the limit is 10/);
  });

  it('rolls back a flapping critical error rate on a `consecutive: 3` gate at the fifth critical reading', () => {
    const gates = allGates().map((g) => (g.metric === 'error_rate' ? gate('error_rate', { consecutive: 3 }) : g));
    const r = simulateTrace(gatePlan(gates), handTrace(300, { error_rate: (m) => (m >= 100 && m < 140 && m % 2 === 0 ? 0.9 : 0.05) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 108);
  });

  it('caps the default at 10 critical readings, even on a gate that asks for 60 sustained minutes', () => {
    // A policy's long sustain must not become a licence for a flapping critical to run all step.
    const gates = allGates().map((g) => (g.metric === 'latency_p95_ms' ? gate('latency_p95_ms', { sustainMinutes: 60 }) : g));
    const r = simulateTrace(gatePlan(gates), handTrace(300, { latency_p95_ms: (m) => (m >= 100 && m < 140 && m % 2 === 0 ? 620 : 150) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 118);
  });

  it('takes failureLimit from the policy, and refuses one out of bounds naming the field', () => {
    const change = { tier: 'MEDIUM' as const, files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] };
    const start = { start: new Date(T0), timezone: 'UTC' };
    const plan = buildPlan(change, parsePolicy('{"gates": {"latency_p95_ms": {"failureLimit": 2}}}', POLICY_FILE), start);
    assert.ok(plan.stages.some((s) => s.gates.some((g) => g.metric === 'latency_p95_ms' && g.failureLimit === 2)));
    for (const bad of ['0', '1001', '2.5', '"3"']) {
      assert.throws(
        () => parsePolicy(`{"gates": {"error_rate": {"failureLimit": ${bad}}}}`, POLICY_FILE),
        (e: unknown) => isInputError(e) && /failureLimit/.test((e as Error).message),
        `failureLimit ${bad}`,
      );
    }
  });

  it('does not hold a 5-hour plan on one warning reading, but holds on three', () => {
    // Argo's inconclusiveLimit: a stray inconclusive measurement is tolerated; persistent ones pause.
    const one = simulateTrace(gatePlan(), handTrace(300, { error_rate: (m) => (m === 100 ? 0.25 : 0.05) }), opts);
    assert.equal(one.outcome, 'promoted', one.verdict);
    assert.equal(one.alerts.length, 1, 'the warning is still reported');
    const three = simulateTrace(gatePlan(), handTrace(300, { error_rate: (m) => ([100, 130, 160].includes(m) ? 0.25 : 0.05) }), opts);
    assert.equal(three.outcome, 'halted');
    assert.equal(three.stages[2].decision, 'held');
  });

  it('takes warningLimit from a plan gate: 1 holds on a single warning', () => {
    const gates = allGates().map((g) => (g.metric === 'error_rate' ? gate('error_rate', { warningLimit: 1 }) : g));
    const r = simulateTrace(gatePlan(gates), handTrace(300, { error_rate: (m) => (m === 100 ? 0.25 : 0.05) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.match(r.verdict, /error rate 0.25 % > 0.2 % warning/);
  });
});

describe('probes: a warning hold is decided the minute its limit is reached', () => {
  // Argo Rollouts counts inconclusive measurements (a reading between success and failure: the
  // warning band) and, at the measurement that takes the count past `inconclusiveLimit`, ends the
  // AnalysisRun Inconclusive and pauses the rollout there and then; the simulator's warningLimit is
  // that limit plus one (docs/gates.md, the export table). A failed measurement (a critical reading) is
  // counted apart, towards `failureLimit`: so when criticals are among the counted readings, the
  // critical rules keep the step to roll back, and the hold is decided at the step's end.
  const warnAt = (minutes: number[], value = 0.25): Reading => (m) => (minutes.includes(m) ? value : 0.05);

  it('three spaced warnings hold at the third (minute 160), not at the canary\'s end (180)', () => {
    // Argo, inconclusiveLimit 2: the third inconclusive measurement, at 160, pauses. 20 minutes at 10 %
    // fewer exposed: the blast radius is 0.1 × (161 − 60).
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: warnAt([100, 130, 160]) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.hold?.kind, 'warning');
    assert.equal(r.hold?.minute, 160);
    assert.equal(r.durationMinutes, 161);
    assert.equal(r.blastRadius, 10.1);
    assert.match(r.verdict, /^Halted at Canary 10 %, 2 h 41 min in: error rate 0\.25 % > 0\.2 % warning at 2 h 40 min, the 3rd reading at warning or worse in this step \(the limit is 3\): promotion held$/);
  });

  it('a warning that sets in and stays holds within minutes of its start', () => {
    // Error rate 0.3 % from minute 70 on: Argo pauses at the third measurement (72); holding at the
    // end of the step would keep 10 % of users on a degraded version for 108 more minutes.
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: (m) => (m >= 70 ? 0.3 : 0.05) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.hold?.minute, 72);
    assert.ok((r.blastRadius ?? Infinity) < 1.5, `blast radius ${r.blastRadius}`);
  });

  it('a hold decided early stops a later critical from being reached; after resume it rolls back there', () => {
    // Warnings at 100–102, a critical error rate from 150. Argo: paused at 102 (Inconclusive), so the
    // critical at 150 is never measured while paused; resumed, the critical aborts the rollout at 150.
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: (m) => (m >= 100 && m <= 102 ? 0.25 : m >= 150 ? 0.9 : 0.05) }), opts);
    assert.equal(r.outcome, 'halted', r.verdict);
    assert.equal(r.rollback, null);
    assert.equal(r.hold?.minute, 102);
    assert.equal(r.afterResume?.outcome, 'rolled_back');
    assert.equal(r.afterResume?.rollback?.minute, 150);
    assert.deepEqual(r.afterResume?.holds.map((h) => h.minute), [102]);
  });

  it('resumed, a gate\'s warnings are accepted for the rest of the step, and count again in the next', () => {
    // Warnings at 100, 130, 160 (hold at 160), and 165, 170, 175 in the same step: resuming accepted
    // them, so no second hold at 175 nor at the step's end. In the partial step, 190, 200, 210 reach the
    // limit again: Argo's next step starts a new AnalysisRun, whose inconclusive count starts at 0.
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: warnAt([100, 130, 160, 165, 170, 175, 190, 200, 210]) }), opts);
    assert.equal(r.hold?.minute, 160);
    assert.deepEqual(r.afterResume?.holds.map((h) => [h.minute, h.stage]), [[160, 3], [210, 4]]);
    assert.match(r.afterResume!.holds[1].reason, /warning at 3 h 30 min, the 3rd reading at warning or worse in this step/);
  });

  it('warningLimit 1 holds in the minute of the single warning', () => {
    // inconclusiveLimit 0: the first inconclusive measurement pauses.
    const gates = allGates().map((g) => (g.metric === 'error_rate' ? gate('error_rate', { warningLimit: 1 }) : g));
    const r = simulateTrace(gatePlan(gates), handTrace(300, { error_rate: warnAt([100]) }), opts);
    assert.deepEqual([r.outcome, r.hold?.minute, r.durationMinutes], ['halted', 100, 101]);
  });

  it('three latency readings in the warning band hold at the third; with a critical among them, the step decides at its end', () => {
    // 400 ms at 100–102: three inconclusive measurements, Argo pauses at 102. 400, 620, 400: the 620 ms
    // is a failed measurement (1, under failureLimit 9), the 400s two inconclusive (not past 2): Argo
    // goes on; the simulator holds the brief critical at the step's end (180) as before.
    const warm = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 100 && m <= 102 ? 400 : 150) }), opts);
    assert.deepEqual([warm.outcome, warm.hold?.kind, warm.hold?.minute], ['halted', 'warning', 102]);
    const mixed = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m === 101 ? 620 : m === 100 || m === 102 ? 400 : 150) }), opts);
    assert.deepEqual([mixed.outcome, mixed.hold?.kind, mixed.hold?.minute], ['halted', 'critical', 180]);
  });

  it('a warning run that turns into a sustained critical still rolls back: the limit reached with a critical among them does not hold', () => {
    // 400 ms at 100–101, 620 ms from 102: the third reading over the warning (102) is critical. Argo:
    // two inconclusive (not past 2), then failed measurements until the tenth (111) passes failureLimit 9.
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 102 ? 620 : m >= 100 ? 400 : 150) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 111);
  });

  it('warnings that `consecutive` keeps from firing still hold at the limit', () => {
    // consecutive 3, 0.25 % at 100, 102, 104: never three in a row, so no alert, but three readings in
    // the warning band, each an inconclusive measurement for Argo (it has no "in a row"): held at 104.
    const gates = allGates().map((g) => (g.metric === 'error_rate' ? gate('error_rate', { consecutive: 3 }) : g));
    const r = simulateTrace(gatePlan(gates), handTrace(300, { error_rate: warnAt([100, 102, 104]) }), opts);
    assert.deepEqual([r.outcome, r.alerts.length, r.hold?.minute], ['halted', 0, 104]);
  });

  it('a rollback in the same minute as the warning limit wins', () => {
    // Latency's third warning reading and the error rate's first critical both at 102: Argo's failed
    // error-rate measurement aborts (failureLimit 0) whatever the latency metric says.
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 100 && m <= 102 ? 400 : 150), error_rate: (m) => (m === 102 ? 0.9 : 0.05) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 102);
  });
});

describe('probes: decided as it happens, across step boundaries', () => {
  it('a no-data scenario stops within minutes of the first exposure, not after hours at 5 %', () => {
    const plan = buildPlan({ tier: 'HIGH', files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] }, parsePolicy('{}', POLICY_FILE), { start: new Date(T0), timezone: 'UTC' });
    const r = simulateScenario(plan, 'no-data', 1);
    assert.equal(r.outcome, 'halted');
    assert.match(r.verdict, /no data for error_rate/);
    assert.ok((r.blastRadius ?? Infinity) < 1, `blast radius ${r.blastRadius} user-traffic-minutes`);
  });

  it('rolls back a critical latency that starts 5 minutes before the canary ends and goes on', () => {
    // Critical 175–…: a run of 10 minutes crosses the canary's end at 180; it is one run.
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 175 ? 620 : 150) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 184);
  });

  it('holds (no rollback) when that run ends before it is sustained', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 175 && m < 182 ? 620 : 150) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.rollback, null);
    // It was watched past the boundary until the run broke, then held.
    assert.equal(r.durationMinutes, 183);
  });
});

describe('probes: a condition older than the rollout', () => {
  it('says a critical error rate already there before minute 0 is not caused by this rollout', () => {
    // Readings from minute −30 on; the error rate is 0.9 % throughout. Rolling back the flag would
    // change nothing: the seed's rollback is for regressions the change brings.
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: () => 0.9 }, -30), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.rollback, null);
    assert.match(r.verdict, /critical since minute -30, before any exposure: not caused by this rollout/);
  });

  it('still rolls back when a critical begins after minute 0, though earlier readings were critical and then recovered', () => {
    const r = simulateTrace(gatePlan(), handTrace(300, { error_rate: (m) => (m < -20 || m >= 100 ? 0.9 : 0.05) }, -30), opts);
    assert.equal(r.outcome, 'rolled_back');
    assert.equal(r.rollback?.minute, 100);
    const pre = simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: () => 900 }, -30), opts);
    assert.match(pre.verdict, /not caused by this rollout/);
  });
});

describe('probes: docs/gates.md states these rules with examples the simulator gives', () => {
  /** The doc's text with quote markers and line breaks folded, so a quoted sentence reads as one line. */
  const doc = readFileSync(path.join(__dirname, '../../../../docs/gates.md'), 'utf8').replace(/\n> ?/g, ' ').replace(/\s+/g, ' ');
  const examples: [string, () => string, string][] = [
    ['a critical older than the rollout', () => simulateTrace(gatePlan(), handTrace(300, { error_rate: () => 0.9 }, -30), opts).verdict,
      'Halted at Integration 0 %, 1 min in: error rate 0.9 % > 0.5 % critical since minute -30, before any exposure: not caused by this rollout — fix the running version first, then start the rollout again'],
    ['a hole in the full rollout', () => simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: absent(250, 270, 150) }), opts).stages[4].reason!,
      'no reading of latency_p95_ms after 4 h 10 min, 50 min before the end of Full rollout 100 % (minutes 240–300): a gate cannot pass on data that stopped or has a hole — minutes 250–256 are unobserved (6 min, more than the 5 min this series may be silent);'],
    ['a flapping critical', () => simulateTrace(gatePlan(), handTrace(300, { latency_p95_ms: (m) => (m >= 100 && m < 140 && m % 2 === 0 ? 620 : 150) }), opts).stages[2].reason!,
      'latency p95 620 ms > 500 ms critical (10 critical readings in this step, the limit is 10)'],
    ['a warning hold, decided at the third reading', () => simulateTrace(gatePlan(), handTrace(300, { error_rate: (m) => (m >= 70 && m < 76 ? 0.25 : 0.05) }), opts).verdict,
      'Halted at Canary 10 %, 1 h 13 min in: error rate 0.25 % > 0.2 % warning at 1 h 12 min, the 3rd reading at warning or worse in this step (the limit is 3): promotion held'],
    ['three lost 10-minute readings', () => simulateTrace(gatePlan(), coarse(10, 300, { error_rate: (m) => (m >= 100 && m <= 120 ? undefined : 0.05) }), opts).stages[2].reason!,
      'more than the 30 min this series may be silent'],
  ];
  for (const [name, run, text] of examples) {
    it(`${name}: the doc quotes what the simulator says`, () => {
      assert.ok(doc.includes(text), `docs/gates.md does not state: ${text}`);
      assert.ok(run().includes(text), `the simulator no longer says: ${text}`);
    });
  }
});
