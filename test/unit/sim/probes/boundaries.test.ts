/**
 * Probes of what a replay may say about the trace's own end, and of conditions that cross a step
 * boundary. Each case states its answer and, beside it, why (the seed's table; how Argo Rollouts and
 * Flagger would decide).
 *
 * Plan of every replay (gatePlan): Integration 0 % minutes 0–60, Canary 10 % 60–180, Partial 50 %
 * 180–240, Full rollout 100 % 240–300, every gate on every stage.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { simulateTrace } from '../../../../src/core/sim';
import { uncoveredByTrace } from '../../../../src/core/sim/coverage';
import { formatSimulation } from '../../../../src/core/sim/text';
import type { MetricSeries, Trace } from '../../../../src/core/sim/trace';
import { allGates, gate, gatePlan } from '../plans';
import { T0 } from '../hand-traces';

const opts = { alignAt: T0 };
const HEALTHY: Record<string, number> = { error_rate: 0.05, latency_p95_ms: 150, success_rate: 99.95, db_errors_per_min: 2, security_alerts: 0 };
type Reading = (minute: number) => number | undefined;

/** Every metric read every `seconds`, at times in [from, until) minutes; `overrides` give a reading by minute (fractional below a minute). */
function every(seconds: number, until: number, overrides: Record<string, Reading> = {}, from = 0): Trace {
  const series = new Map<string, MetricSeries>();
  for (const [metric, healthy] of Object.entries(HEALTHY)) {
    const times: number[] = [];
    const values: number[] = [];
    for (let s = from * 60; s < until * 60; s += seconds) {
      const v = overrides[metric] ? overrides[metric](s / 60) : healthy;
      if (v === undefined) continue;
      times.push(T0 + s * 1000);
      values.push(v);
    }
    series.set(metric, { metric, times: Float64Array.from(times), values: Float64Array.from(values) });
  }
  return { source: 'probe.csv', series, issues: [] };
}

const RESOLUTIONS: [name: string, seconds: number][] = [['15 s', 15], ['1 min', 60], ['10 min', 600], ['1 h', 3600]];

describe('probes: whether the trace ran out is judged on its own resolution', () => {
  for (const [name, seconds] of RESOLUTIONS) {
    it(`${name}: a hold decided on readings inside the trace is not blamed on the trace's length`, () => {
      // One warning reading at minute 240 on a gate with warningLimit 1 holds the full rollout at its end
      // (300). The last reading (at 300 minus one reading) stands for the plan's last minutes: at 1 h it
      // is minute 240, and a fixed 5-minute slack called that trace "too short". Argo would be paused by
      // the inconclusive measurement whatever the data after it.
      const gates = allGates().map((g) => (g.metric === 'error_rate' ? gate('error_rate', { warningLimit: 1 }) : g));
      const trace = every(seconds, 300, { error_rate: (m) => (m === 240 ? 0.3 : 0.05) });
      const r = simulateTrace(gatePlan(gates), trace, opts);
      assert.equal(r.outcome, 'halted', r.verdict);
      assert.equal(r.stages[4].decision, 'held');
      assert.match(r.stages[4].reason!, /error rate 0\.3 % > 0\.2 % warning/);
      assert.equal(uncoveredByTrace(gatePlan(gates), trace, r, opts), undefined);
    });

    it(`${name}: a trace that stops at minute 120 is too short to decide the plan, and says up to where it covers`, () => {
      // Nothing after minute 120: the rollout halts for lack of data, which is the recording's fault,
      // not the service's (the CLI exits 2 on it). The last reading stands for one reading's span.
      const trace = every(seconds, 120);
      const r = simulateTrace(gatePlan(), trace, opts);
      assert.equal(r.outcome, 'halted', r.verdict);
      const last = Math.floor((120 * 60 - seconds) / 60);
      const covered = last + Math.max(1, seconds / 60);
      const message = uncoveredByTrace(gatePlan(), trace, r, opts);
      assert.match(message ?? '', new RegExp(`^probe\\.csv: the trace covers .* of the 5 h 0 min the plan needs: .* is not covered after minute ${covered} `));
    });
  }

  it('1 h: the last hourly reading is not a trace that ends an hour early', () => {
    // Readings at 0, 60, …, 240: the one at 240 stands for 240–299, the whole full rollout.
    const trace = every(3600, 300);
    assert.equal(simulateTrace(gatePlan(), trace, opts).outcome, 'promoted');
  });
});

describe('probes: runs and counts cross step boundaries', () => {
  /** Canary of two steps, 10 % for 60–120 and 25 % for 120–180 (one stage: the gate state is one). */
  function twoStepPlan() {
    const plan = gatePlan();
    const canary = plan.stages[2];
    const [s] = canary.steps;
    canary.steps = [{ ...s, trafficPercent: 10, waitHours: { min: 1, max: 1 } }, { ...s, trafficPercent: 25, waitHours: { min: 1, max: 1 } }];
    return plan;
  }
  const consecutive5 = () => allGates().map((g) => (g.metric === 'error_rate' ? gate('error_rate', { consecutive: 5 }) : g));

  it('a `consecutive: 5` critical that starts 2 minutes before a step ends rolls back at its 5th reading, in the next step', () => {
    // Error rate 0.9 % from minute 118 on, the 10 % step ending at 120. The run is not reset at the
    // boundary: 118, 119, 120, 121, 122 are five readings in a row → rollback at 122. Argo's background
    // analysis runs across steps; a run that crosses one is one run.
    const plan = twoStepPlan();
    plan.stages.forEach((st) => (st.gates = st.gates.length ? consecutive5() : st.gates));
    const r = simulateTrace(plan, every(60, 300, { error_rate: (m) => (m >= 118 ? 0.9 : 0.05) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 122);
  });

  it('the same run across a stage boundary (Canary → Partial at 180) rolls back at 182', () => {
    const gates = consecutive5();
    const r = simulateTrace(gatePlan(gates), every(60, 300, { error_rate: (m) => (m >= 178 ? 0.9 : 0.05) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 182);
    assert.equal(r.rollback?.stage, 4);
  });

  it('a sustained latency that starts 2 minutes before the canary ends rolls back at its 10th minute (187)', () => {
    // Seed: latency rolls back once sustained 10 minutes. 178–187 is ten minutes in a row.
    const r = simulateTrace(gatePlan(), every(60, 300, { latency_p95_ms: (m) => (m >= 178 ? 620 : 150) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 187);
  });

  it('a warning run that crosses a step boundary counts as one: 2 warnings before it and 1 after hold, at that 1', () => {
    // Error rate 0.3 % at 118, 119 (10 % step ends at 120) and 120: three warning readings in a row,
    // the default warningLimit. Argo counts inconclusive measurements over the whole analysis, so it
    // pauses at the third (minute 120, in the 25 % step); counting per step from zero would let the run
    // through both steps.
    const r = simulateTrace(twoStepPlan(), every(60, 300, { error_rate: (m) => (m >= 118 && m <= 120 ? 0.3 : 0.05) }), opts);
    assert.equal(r.outcome, 'halted', r.verdict);
    assert.equal(r.stages[2].decision, 'held');
    assert.equal(r.durationMinutes, 121);
    assert.deepEqual([r.hold?.minute, r.hold?.trafficPercent, r.hold?.count], [120, 25, 3]);
    assert.match(r.stages[2].reason!, /error rate 0\.3 % > 0\.2 % warning at 2 h 0 min, the 3rd reading at warning or worse in this step and the run going into it \(2 before it; the limit is 3\): promotion held/);
  });

  it('stray warnings in different steps do not add up: 2 in one step, 1 in the next promotes', () => {
    // Not a run (normal readings between): each step is judged on its own, as the seed's "stable" step is.
    const r = simulateTrace(twoStepPlan(), every(60, 300, { error_rate: (m) => ([70, 90, 150].includes(m) ? 0.3 : 0.05) }), opts);
    assert.equal(r.outcome, 'promoted', r.verdict);
  });

  it('a flapping critical counted per step keeps the readings of a run that crosses into it', () => {
    // Latency critical 115–124 on, off afterwards, then every other minute: the run 115–124 is ten in a
    // row and rolls back at 124 on its own, across the 10 %/25 % boundary at 120.
    const r = simulateTrace(twoStepPlan(), every(60, 300, { latency_p95_ms: (m) => (m >= 115 && m < 125 ? 620 : 150) }), opts);
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.minute, 124);
  });
});

describe('probes: no data is decided as the silence passes the series\' limit', () => {
  it('1-minute error rate that stops at minute 100 halts at 106, not at the canary\'s end (180)', () => {
    // Hole limit 5 min: the 6th silent minute (100–105) is more than the series may be silent. Argo: an
    // empty query errors the measurement; at consecutiveErrorLimit the analysis stops within minutes.
    const r = simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => (m < 100 ? 0.05 : undefined) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.durationMinutes, 106);
    assert.deepEqual({ kind: r.hold?.kind, metrics: r.hold?.metrics, from: r.hold?.from, to: r.hold?.to, limit: r.hold?.limit }, { kind: 'hole', metrics: ['error_rate'], from: 100, to: 106, limit: 5 });
  });

  it('10-minute error rate whose last reading is at 90 halts at 122 (30 min limit), with a blast radius of minutes, not hours', () => {
    const r = simulateTrace(gatePlan(), every(600, 300, { error_rate: (m) => (m < 100 ? 0.05 : undefined) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.durationMinutes, 122);
    assert.equal(r.hold?.limit, 30);
    assert.ok((r.blastRadius ?? Infinity) < 7, `blast radius ${r.blastRadius}`);
  });
});

describe('probes: a hold says what it waits on and what resuming would mean', () => {
  // Argo pauses an inconclusive rollout until a person resumes or aborts it. What that person needs
  // is the metric, the span or the count that held it, where and when, and where resuming leads.
  it('a hole names the metric, the unobserved minutes, the step and the minute, and says resuming goes on blind', () => {
    const r = simulateTrace(gatePlan(), every(60, 300, { latency_p95_ms: (m) => (m >= 250 && m < 270 ? undefined : 150) }), opts);
    assert.equal(r.hold?.kind, 'hole');
    assert.equal(r.hold?.waitsOn, 'readings of latency_p95_ms: minutes 250–256 of Full rollout 100 % (minutes 240–300) unobserved (6 min, more than the 5 min the series may be silent), decided at minute 256');
    assert.match(r.hold!.resume, /^resuming keeps 100 % of users on the new version to minute 300 with latency_p95_ms unobserved/);
  });

  it('a warning hold names the count, the limit and the minute it was reached, and says where resuming leads', () => {
    // Argo pauses at the measurement past inconclusiveLimit (the third, at 160), not at the step's end;
    // resumed, the rollout stays at 10 % to the step's end, then promotes.
    const r = simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => ([100, 130, 160].includes(m) ? 0.25 : 0.05) }), opts);
    assert.equal(r.hold?.kind, 'warning');
    assert.deepEqual([r.hold?.stage, r.hold?.minute, r.hold?.count, r.hold?.limit], [3, 160, 3, 3]);
    assert.equal(r.hold?.waitsOn, 'a person to judge 3 error rate readings at warning or worse in Canary 10 % (minutes 60–180), the worst 0.25 % > 0.2 % (the limit is 3), held at minute 160, when the limit was reached');
    assert.equal(r.hold?.resume, 'resuming accepts what was seen and keeps 10 % of users on the new version to minute 180, then promotes to Partial 50 % at minute 180; error_rate warnings are accepted for the rest of the step, the gates go on watching, and a critical reading still rolls back');
  });

  it('a brief critical, a failed criterion and a condition older than the rollout each say so', () => {
    const brief = simulateTrace(gatePlan(), every(60, 300, { latency_p95_ms: (m) => (m >= 100 && m < 103 ? 620 : 150) }), opts);
    assert.equal(brief.hold?.kind, 'critical');
    assert.match(brief.hold!.waitsOn, /^a person to judge a critical latency p95 reading \(620 ms > 500 ms\) in Canary 10 %/);
    const old = simulateTrace(gatePlan(), every(60, 300, { error_rate: () => 0.9 }, -30), opts);
    assert.equal(old.hold?.kind, 'before-exposure');
    assert.equal(old.hold?.from, -30);
    assert.match(old.hold!.resume, /a rollback could not fix it/);
  });

  it('the text output prints both lines under the held stage', () => {
    const r = simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => ([100, 130, 160].includes(m) ? 0.25 : 0.05) }), opts);
    const text = formatSimulation(r, undefined, 200);
    assert.match(text, /^ {6}waits on: a person to judge 3 error rate readings/m);
    assert.match(text, /^ {6}resuming accepts what was seen and keeps 10 % of users on the new version to minute 180, then promotes to Partial 50 %/m);
  });

  it('promotions and rollbacks carry no hold', () => {
    assert.equal(simulateTrace(gatePlan(), every(60, 300), opts).hold, undefined);
    assert.equal(simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => (m >= 100 ? 0.9 : 0.05) }), opts).hold, undefined);
  });
});

describe('probes: what follows a hold had an operator resumed it', () => {
  // A "what if" tool is asked whether the hold protected anyone. Argo leaves an inconclusive rollout
  // paused for a person, who resumes or aborts it. The simulation goes on past the hold as if each hold
  // were resumed, and shows that apart: the outcome stays `halted`, what follows is `afterResume`.
  it('a warning hold at the canary, then a critical error rate in the partial step: halted, and after resume rolled back at 200', () => {
    const r = simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => ([100, 130, 160].includes(m) ? 0.25 : m >= 200 ? 0.9 : 0.05) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.rollback, null, 'the rollout as run never reached the critical');
    assert.equal(r.durationMinutes, 161);
    assert.equal(r.afterResume?.outcome, 'rolled_back');
    assert.equal(r.afterResume?.rollback?.minute, 200);
    assert.equal(r.afterResume?.verdict, 'If resumed: Rolled back at Partial 50 %, 3 h 20 min in: error rate 0.9 % > 0.5 % critical → Level 1');
    assert.deepEqual(r.afterResume?.holds.map((h) => h.minute), [160]);
    assert.ok(r.afterResume!.alerts.every((a) => a.minute >= 161), 'only alerts after the hold');
    assert.ok(r.afterResume!.alerts.some((a) => a.minute === 200 && a.severity === 'critical'));
    assert.ok(!r.alerts.some((a) => a.minute >= 161), 'the run as it happened stops at the hold');
  });

  it('a hold on a healthy rest: after resume, it reaches 100 % with no rollback', () => {
    const r = simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => ([100, 130, 160].includes(m) ? 0.25 : 0.05) }), opts);
    assert.equal(r.outcome, 'halted');
    assert.equal(r.afterResume?.outcome, 'promoted');
    assert.equal(r.afterResume?.verdict, 'If resumed: reaches 100 % after 5 h 0 min with no rollback');
  });

  it('a hole resumed goes on, and a later hole is a second hold, each listed', () => {
    const r = simulateTrace(gatePlan(), every(60, 300, { latency_p95_ms: (m) => ((m >= 100 && m < 120) || (m >= 250 && m < 270) ? undefined : 150) }), opts);
    assert.equal(r.hold?.kind, 'hole');
    assert.equal(r.durationMinutes, 106);
    const minutes = r.afterResume!.holds.map((h) => h.minute);
    assert.equal(minutes[0], 106);
    assert.ok(minutes.includes(256), `holds at ${minutes.join(', ')}`);
    assert.match(r.afterResume!.verdict, /^If resumed at each of its \d+ holds: reaches 100 %/);
  });

  it('the text output shows it under "After resume", apart from what happened', () => {
    const r = simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => ([100, 130, 160].includes(m) ? 0.25 : m >= 200 ? 0.9 : 0.05) }), opts);
    const text = formatSimulation(r, undefined, 200);
    assert.match(text, /^After resume \(had each hold been resumed; the outcome stays halted\)$/m);
    assert.match(text, /^ {2}If resumed: Rolled back at Partial 50 %/m);
    assert.match(text.split('\n')[0], /^Halted at Canary 10 %/);
  });

  it('promotions and rollbacks have nothing to resume', () => {
    assert.equal(simulateTrace(gatePlan(), every(60, 300), opts).afterResume, undefined);
    assert.equal(simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => (m >= 100 ? 0.9 : 0.05) }), opts).afterResume, undefined);
  });
});

describe('probes: docs/gates.md quotes what the simulator says about holds', () => {
  const doc = readFileSync(path.join(__dirname, '../../../../docs/gates.md'), 'utf8').replace(/\n> ?/g, ' ').replace(/\s+/g, ' ');
  const warned = () => simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => ([100, 130, 160].includes(m) ? 0.25 : 0.05) }), opts);
  const examples: [string, () => string][] = [
    ['the warning hold waits on', () => warned().hold!.waitsOn],
    ['resuming it', () => warned().hold!.resume],
    ['after resume, healthy', () => warned().afterResume!.verdict],
    ['after resume, rolled back', () => simulateTrace(gatePlan(), every(60, 300, { error_rate: (m) => ([100, 130, 160].includes(m) ? 0.25 : m >= 200 ? 0.9 : 0.05) }), opts).afterResume!.verdict],
    ['a warning run across a boundary', () => {
      const plan = gatePlan();
      const [s] = plan.stages[2].steps;
      plan.stages[2].steps = [{ ...s, trafficPercent: 10, waitHours: { min: 1, max: 1 } }, { ...s, trafficPercent: 25, waitHours: { min: 1, max: 1 } }];
      return /the 3rd reading at warning or worse in this step and the run going into it \(.*?\)/.exec(simulateTrace(plan, every(60, 300, { error_rate: (m) => (m >= 118 && m <= 120 ? 0.3 : 0.05) }), opts).stages[2].reason!)![0];
    }],
  ];
  for (const [name, run] of examples) {
    it(`${name}: the doc states it`, () => {
      const text = run();
      assert.ok(doc.includes(text), `docs/gates.md does not state: ${text}`);
    });
  }
});
