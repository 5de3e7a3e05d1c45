/**
 * The canary against its baseline, as Kayenta's judge compares them: for each gated metric with a
 * baseline series (the stable version's, `prometheus.baseline.<metric>`), each step's canary readings
 * against the baseline's readings of the same minutes, with a one-sided Mann–Whitney U test in the
 * gate's bad direction and an effect size (the shift and the ratio of the medians). The thresholds
 * say whether the canary is bad; this says whether it is worse than what it replaces, which a canary
 * under every threshold can still be. Reported beside the thresholds' verdict, never instead of it.
 */
import type { RolloutPlan } from '../plan/schema';
import { formatComparison, formatDuration, formatP, formatValue, metricPhrase } from './format';
import { mannWhitney } from './mannwhitney';
import { earliestTime } from './replay';
import type { BaselineComparison, SimulationResult } from './schema';
import type { MetricSeries, Trace } from './trace';

/** A worse canary fails below this p-value when its shift is large enough, and is marginal below `MARGINAL_P`. */
export const FAIL_P = 0.01;
export const MARGINAL_P = 0.05;
/** The share of the baseline's room to the warning threshold a shift must take to fail. */
export const FAIL_SHARE = 0.25;
/** Fewer readings than this on either side of a step: not judged. */
export const MIN_READINGS = 3;

type StepJudgement = BaselineComparison['metrics'][number]['steps'][number];

/** The comparison for a replay whose trace carries baseline series; undefined when it carries none. */
export function compareWithBaseline(plan: RolloutPlan, trace: Trace, result: SimulationResult, alignAt?: number): BaselineComparison | undefined {
  const baselines = trace.baselines;
  if (!baselines || baselines.size === 0) return undefined;
  const zero = alignAt ?? earliestTime(trace);
  const end = result.durationMinutes ?? Infinity;
  // The steps the rollout reached with the new version exposed, up to where it stopped.
  const steps = result.stages
    .filter((s) => s.decision !== 'skipped' && s.decision !== 'not_reached')
    .flatMap((s) => s.steps.map((x) => ({ stage: s.number, name: s.name, ...x })))
    .filter((x) => x.trafficPercent > 0 && x.endMinute > x.startMinute && x.startMinute < end)
    .map((x) => ({ ...x, endMinute: Math.min(x.endMinute, end) }));
  const gates = new Map(plan.stages.flatMap((st) => st.gates).map((g) => [g.metric, g] as const).reverse());
  const metrics: BaselineComparison['metrics'] = [];
  for (const [metric, base] of baselines) {
    const gate = gates.get(metric);
    const canary = trace.series.get(metric);
    if (!gate) continue;
    const above = gate.direction === 'above';
    metrics.push({
      metric,
      label: gate.label,
      unit: gate.unit,
      direction: gate.direction,
      steps: steps.map((s) => {
        const c = canary ? readingsIn(canary, zero, s.startMinute, s.endMinute) : new Float64Array(0);
        const b = readingsIn(base, zero, s.startMinute, s.endMinute);
        return judgeStep(c, b, above, gate.warning, gate.unit, { stage: s.stage, name: s.name, trafficPercent: s.trafficPercent, startMinute: s.startMinute, endMinute: s.endMinute });
      }),
    });
  }
  if (metrics.length === 0) return undefined;
  return summarise(metrics, result);
}

/** One step's verdict from its canary and baseline readings. */
export function judgeStep(canary: Float64Array, baseline: Float64Array, above: boolean, warning: number, unit: string, where: Pick<StepJudgement, 'stage' | 'name' | 'trafficPercent' | 'startMinute' | 'endMinute'>): StepJudgement {
  const orNull = (x: number) => (x === x ? x : null);
  const counts = { canary: { count: canary.length, median: orNull(median(canary)) }, baseline: { count: baseline.length, median: orNull(median(baseline)) } };
  if (canary.length < MIN_READINGS || baseline.length < MIN_READINGS) {
    const short = canary.length < MIN_READINGS ? `${canary.length} canary` : `${baseline.length} baseline`;
    return { ...where, verdict: 'no-data', ...counts, u: null, p: null, exact: false, shift: null, ratio: null, detail: `${short} reading${(canary.length < MIN_READINGS ? canary.length : baseline.length) === 1 ? '' : 's'} (expected at least ${MIN_READINGS} on each side): not judged` };
  }
  const test = mannWhitney(canary, baseline, above ? 'greater' : 'less');
  const mc = median(canary);
  const mb = median(baseline);
  // The shift of the medians on the gate's bad side (positive: the canary is worse), and the room the
  // baseline leaves to the warning threshold.
  const shift = above ? mc - mb : mb - mc;
  const room = above ? warning - mb : mb - warning;
  const share = room > 0 ? shift / room : shift > 0 ? Infinity : 0;
  const ratio = mb !== 0 && Number.isFinite(mb) && Number.isFinite(mc) ? mc / mb : null;
  const fail = test.p < FAIL_P && shift > 0 && share >= FAIL_SHARE;
  const marginal = !fail && test.p < MARGINAL_P && shift >= 0;
  const verdict = fail ? 'fail' : marginal ? 'marginal' : 'pass';
  const worse = above ? 'higher' : 'lower';
  const of = room > 0 ? `, ${Math.round(share * 100)} % of the baseline's room to the ${formatValue(warning, unit)} warning` : '';
  const detail =
    `canary median ${formatValue(mc, unit)} against the baseline's ${formatValue(mb, unit)} (${mc - mb >= 0 ? '+' : ''}${formatValue(mc - mb, unit)}${of}); ` +
    `${worse} with p ${formatP(test.p)} (Mann–Whitney U ${test.u} of ${test.n1 * test.n2}, ${test.n1} against ${test.n2} readings${test.exact ? ', exact' : ''})`;
  return { ...where, verdict, ...counts, u: test.u, p: test.p, exact: test.exact, shift: mc - mb, ratio, detail };
}

/** The overall verdict, the first failed step, and what it would have changed against the thresholds. */
function summarise(metrics: BaselineComparison['metrics'], result: SimulationResult): BaselineComparison {
  const judged = metrics.flatMap((m) => m.steps.map((s) => ({ m, s })));
  const failed = judged.filter((x) => x.s.verdict === 'fail').sort((a, b) => a.s.endMinute - b.s.endMinute);
  const marginal = judged.filter((x) => x.s.verdict === 'marginal');
  const first = failed[0];
  const base = { method: 'mann-whitney' as const, failP: FAIL_P, marginalP: MARGINAL_P, failShare: FAIL_SHARE, metrics };
  if (!first) {
    const names = metrics.map((m) => m.metric).join(', ');
    const verdict = judged.every((x) => x.s.verdict === 'no-data')
      ? `Canary against baseline: not judged (too few readings in every step of ${names})`
      : marginal.length
        ? `Canary against baseline: marginal in ${marginal.length} step${marginal.length === 1 ? '' : 's'} (${[...new Set(marginal.map((x) => x.m.metric))].join(', ')}), no step failed`
        : `Canary against baseline: pass in every step judged (${names})`;
    const changed = marginal.length
      ? `nothing: no step failed (marginal: worse with p < ${MARGINAL_P}, but not by ${FAIL_SHARE * 100} % of the room to the warning at p < ${FAIL_P}); a person may look at them`
      : 'nothing: the canary did not read worse than its baseline';
    return { ...base, verdict, firstFail: null, wouldHaveChanged: changed, blastRadius: null };
  }
  const { m, s } = first;
  const at = s.endMinute;
  const where = `${s.name} ${s.trafficPercent} %`;
  const reading = `${metricPhrase(m.label)} median ${formatComparison(s.canary.median!, m.direction === 'above', s.baseline.median!, m.unit)} (the baseline's median)`;
  const verdict = `Canary against baseline: fail at ${where}, ${formatDuration(at)} in: ${reading} (p ${formatP(s.p!)}) → rollback`;
  const blast = exposure(result, at);
  let changed: string;
  const stop = result.rollback ? result.rollback.minute + 1 : result.durationMinutes ?? at;
  if (result.outcome === 'promoted') {
    changed = `the thresholds promoted; judged against its baseline the canary would have rolled back at ${where} at minute ${at}, the end of that step, with ${round(blast)} user-traffic-minutes exposed instead of ${round(result.blastRadius ?? 0)}`;
  } else if (result.outcome === 'rolled_back' && at < stop) {
    changed = `a rollback ${formatDuration(stop - at)} earlier: at ${where} at minute ${at}, the end of that step, instead of minute ${result.rollback!.minute}, with ${round(blast)} user-traffic-minutes exposed instead of ${round(result.blastRadius ?? 0)}`;
  } else if (result.outcome === 'halted' && at <= stop) {
    changed = `a rollback instead of the hold: at ${where} at minute ${at}, ${at < stop ? `${formatDuration(stop - at)} before the thresholds held` : 'where the thresholds held'}`;
  } else {
    changed = `nothing: the thresholds ${result.outcome === 'rolled_back' ? 'rolled back' : 'held'} first, at minute ${stop - (result.rollback ? 1 : 0)}`;
  }
  return { ...base, verdict, firstFail: { metric: m.metric, stage: s.stage, trafficPercent: s.trafficPercent, minute: at }, wouldHaveChanged: changed, blastRadius: round(blast) };
}

/** User-traffic-minutes the result's steps expose before `minute`. */
function exposure(result: SimulationResult, minute: number): number {
  let sum = 0;
  for (const st of result.stages) {
    if (st.decision === 'skipped') continue;
    for (const s of st.steps) sum += (s.trafficPercent / 100) * Math.max(0, Math.min(s.endMinute, minute) - s.startMinute);
  }
  return sum;
}

/** The readings of a series whose minute (from `zero`) lies in [from, to). */
function readingsIn(s: MetricSeries, zero: number, from: number, to: number): Float64Array {
  const lo = lowerBound(s.times, zero + from * 60_000);
  const hi = lowerBound(s.times, zero + to * 60_000);
  const out: number[] = [];
  for (let k = lo; k < hi; k++) if (s.values[k] === s.values[k]) out.push(s.values[k]);
  return Float64Array.from(out);
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function median(x: Float64Array): number {
  if (x.length === 0) return NaN;
  const s = Float64Array.from(x).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}


function round(x: number): number {
  return Math.round(x * 100) / 100;
}
