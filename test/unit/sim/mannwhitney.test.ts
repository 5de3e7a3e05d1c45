/**
 * The Mann–Whitney U test against values worked out by hand and by an independent implementation
 * (scipy.stats.mannwhitneyu 1.17.1, `use_continuity=True`, method "exact" or "asymptotic"), and the
 * canary-against-baseline step verdicts built on it.
 */
import { strict as assert } from 'node:assert';
import { judgeStep } from '../../../src/core/sim/baseline';
import { mannWhitney, uFrequencies } from '../../../src/core/sim/mannwhitney';
import { replayRecording } from '../../../src/core/sim/recording';
import { handTrace, T0 } from './hand-traces';
import { gatePlan } from './plans';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);

describe('Mann–Whitney U', () => {
  // x = 16, 19, 22, 24, 29 against y = 11, 12, 17, 20. Pairs with x > y: 16 beats 2, 19 beats 3, and
  // 22, 24, 29 beat all 4: U = 17 of 20. Under the null each of the C(9, 4) = 126 orderings is equally
  // likely; U ≥ 17 is U' = 20 − U ≤ 3, and U' = 0, 1, 2, 3 can be reached in 1, 1, 2, 3 ways: P = 7/126.
  const x = [19, 22, 16, 29, 24];
  const y = [20, 11, 17, 12];

  it('a small untied sample: U and the exact p-value worked out by hand', () => {
    const r = mannWhitney(x, y, 'greater');
    assert.equal(r.u, 17);
    assert.equal(r.exact, true);
    close(r.p, 7 / 126, 1e-12, 'P(U ≥ 17)');
    close(mannWhitney(x, y, 'two-sided').p, 14 / 126, 1e-12, 'two-sided');
    // scipy: less, exact 0.9682539682539683 (= 122/126: U ≤ 17).
    close(mannWhitney(x, y, 'less').p, 122 / 126, 1e-12, 'P(U ≤ 17)');
  });

  it('the exact distribution counts every ordering once', () => {
    // C(9, 4) = 126 orderings, symmetric about n1·n2/2, the first few 1, 1, 2, 3, 5 (partitions).
    const f = uFrequencies(5, 4);
    assert.equal(f.reduce((a, b) => a + b, 0), 126);
    assert.deepEqual([...f.slice(0, 5)], [1, 1, 2, 3, 5]);
    for (let k = 0; k <= 20; k++) assert.equal(f[k], f[20 - k], `symmetric at ${k}`);
    // C(40, 20) = 137,846,528,820 orderings of two samples of 20.
    assert.equal(uFrequencies(20, 20).reduce((a, b) => a + b, 0), 137_846_528_820);
  });

  it('tied values: average ranks, the tie-corrected variance and the continuity correction (scipy asymptotic)', () => {
    const a = [1.1, 2.2, 2.2, 3.5, 4.0, 4.0, 5.1, 6.3];
    const b = [0.9, 1.1, 2.2, 2.8, 3.0, 3.0, 3.9];
    const g = mannWhitney(a, b, 'greater');
    assert.equal(g.u, 40.5);
    assert.equal(g.exact, false);
    close(g.p, 0.08113284421816086, 1e-6, 'greater');
    close(mannWhitney(a, b, 'less').p, 0.9349806889502443, 1e-6, 'less');
    close(mannWhitney(a, b, 'two-sided').p, 0.16226568843632172, 1e-6, 'two-sided');
  });

  it('large samples take the normal approximation (scipy asymptotic)', () => {
    const a = Array.from({ length: 60 }, (_, i) => ((i * 37) % 101) / 10 + 1);
    const b = Array.from({ length: 70 }, (_, i) => ((i * 53) % 97) / 10);
    const g = mannWhitney(a, b, 'greater');
    assert.equal(g.u, 2620);
    assert.equal(g.exact, false);
    close(g.p, 0.007627680707436965, 1e-7, 'greater');
    close(mannWhitney(a, b, 'less').p, 0.9924699336449723, 1e-7, 'less');
    close(mannWhitney(a, b, 'two-sided').p, 0.01525536141487393, 1e-7, 'two-sided');
  });

  it('every value tied: no evidence either way (p = 1)', () => {
    const r = mannWhitney([0.05, 0.05, 0.05, 0.05], [0.05, 0.05, 0.05], 'greater');
    assert.equal(r.u, 6);
    assert.equal(r.p, 1);
  });
});

describe('canary against baseline: the verdict of one step', () => {
  const where = { stage: 3, name: 'Canary', trafficPercent: 10, startMinute: 60, endMinute: 180 };
  /** 120 readings around a level, a deterministic sawtooth of ±0.01. */
  const around = (level: number, phase = 0) => Float64Array.from({ length: 120 }, (_, i) => level + (0.01 * (((i * 7 + phase) % 13) - 6)) / 6);

  it('fails a canary clearly worse by a good part of the room to the warning, though under it', () => {
    // 0.12 % against 0.05 %, warning 0.2 %: the shift 0.07 % takes 47 % of the baseline's 0.15 % room.
    const s = judgeStep(around(0.12), around(0.05), true, 0.2, '%', where);
    assert.equal(s.verdict, 'fail');
    assert.ok(s.p! < 1e-10, `p ${s.p}`);
    close(s.shift!, 0.07, 1e-9, 'shift');
    assert.match(s.detail, /^canary median 0\.12 % against the baseline's 0\.05 % \(\+0\.07 %, 47 % of the baseline's room to the 0\.2 % warning\); higher with p < 0\.0001/);
  });

  it('calls a significant but small shift marginal, and equal distributions a pass', () => {
    // +0.01 % (7 % of the room): real, but not a quarter of the way to the warning.
    assert.equal(judgeStep(around(0.06), around(0.05), true, 0.2, '%', where).verdict, 'marginal');
    assert.equal(judgeStep(around(0.05, 5), around(0.05), true, 0.2, '%', where).verdict, 'pass');
    // Better than the baseline is never a fail.
    assert.equal(judgeStep(around(0.01), around(0.05), true, 0.2, '%', where).verdict, 'pass');
  });

  it('reads a "below" gate (success rate) on its own side', () => {
    const lower = Float64Array.from(around(0.12), (v) => 100 - v);
    const base = Float64Array.from(around(0.05), (v) => 100 - v);
    assert.equal(judgeStep(lower, base, false, 99.8, '%', where).verdict, 'fail');
    assert.equal(judgeStep(base, lower, false, 99.8, '%', where).verdict, 'pass');
  });

  it('does not judge a step with fewer than 3 readings on a side', () => {
    const s = judgeStep(Float64Array.of(0.3, 0.3), around(0.05), true, 0.2, '%', where);
    assert.equal(s.verdict, 'no-data');
    assert.equal(s.p, null);
  });
});

describe('canary against baseline: what it would have changed, against the thresholds', () => {
  // The hand-made MEDIUM-shaped plan: Canary 10 % minutes 60–180, Partial 50 % 180–240, Full 100 % 240–300.
  const sawtooth = (m: number) => (0.01 * (((m * 7) % 13) - 6)) / 6;
  /** A canary error rate 0.12 % (under the 0.2 % warning) unless `over` says otherwise, and a 0.05 % baseline. */
  function replay(over: (m: number) => number | undefined = () => undefined) {
    const trace = handTrace(300, { error_rate: (m) => over(m) ?? 0.12 + sawtooth(m) });
    const base = handTrace(300, { error_rate: (m) => 0.05 + sawtooth(m) }).series.get('error_rate')!;
    return replayRecording(gatePlan(), { ...trace, baselines: new Map([['error_rate', base]]) }, { alignAt: T0 });
  }

  it('where the thresholds roll back later, a rollback earlier, by how long, and the exposure it spares', () => {
    // A critical 0.9 % from minute 250 rolls back in the full rollout; the comparison failed the canary at 180.
    const r = replay((m) => (m >= 250 ? 0.9 : undefined));
    assert.equal(r.outcome, 'rolled_back');
    assert.equal(r.rollback?.minute, 250);
    const c = r.baselineComparison!;
    assert.deepEqual(c.firstFail, { metric: 'error_rate', stage: 3, trafficPercent: 10, minute: 180 });
    // 10 % × 120 min = 12 user-traffic-minutes to the canary's end, against 12 + 30 + 11 to minute 251.
    assert.equal(r.blastRadius, 53);
    assert.equal(c.wouldHaveChanged, 'a rollback 1 h 11 min earlier: at Canary 10 % at minute 180, the end of that step, instead of minute 250, with 12 user-traffic-minutes exposed instead of 53');
  });

  it('where the thresholds hold, a rollback instead of the hold', () => {
    // Three 0.25 % readings in the partial step hold it at the third (minute 202).
    const r = replay((m) => ([190, 196, 202].includes(m) ? 0.25 : undefined));
    assert.equal(r.outcome, 'halted');
    assert.equal(r.hold?.minute, 202);
    assert.equal(r.baselineComparison!.wouldHaveChanged, 'a rollback instead of the hold: at Canary 10 % at minute 180, 23 min before the thresholds held');
  });

  it('a replay without baseline series carries no comparison', () => {
    assert.equal(replayRecording(gatePlan(), handTrace(300), { alignAt: T0 }).baselineComparison, undefined);
  });
});
