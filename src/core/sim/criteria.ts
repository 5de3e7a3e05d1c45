import type { Criterion } from '../plan/schema';
import type { CriterionResult } from './schema';
import { formatValue, metricPhrase } from './format';
import { CRITICAL, WARNING } from './gate';
import type { MeanAccumulator, StepStats } from './stats';

/** What the simulator knows of a metric: from the plan's gates, else the seed's defaults. */
export interface MetricInfo {
  name: string;
  label: string;
  unit: string;
  above: boolean;
  baseline: number;
}

export interface CriteriaContext {
  metrics: MetricInfo[];
  metricIndex: ReadonlyMap<string, number>;
  stats: StepStats;
  /** Samples before the new version got any traffic. */
  baseline: MeanAccumulator;
  /** Per metric, the mean over the last earlier step with traffic; NaN when there is none. */
  previousMean: Float64Array;
  /** Worst gate severity reached during the step, per metric index. */
  worstSeverity: Int8Array;
  worstValue: Float64Array;
  /** Write the detail sentences (a Monte Carlo run only needs the statuses). */
  explain: boolean;
}

/** A trend or a difference counts only when it is this many standard errors out: noise alone must not hold a rollout. */
const NOISE_GUARD = 4;

export function checkCriteria(criteria: readonly Criterion[], ctx: CriteriaContext): CriterionResult[] {
  return criteria.map((c) => {
    const [status, detail] = checkOne(c, ctx);
    return { id: c.id, text: c.text, kind: c.kind, status, detail: ctx.explain ? (typeof detail === 'string' ? detail : detail()) : '' };
  });
}

/** The detail is a function where writing it costs more than checking. */
type Verdict = [CriterionResult['status'], string | (() => string)];

function checkOne(c: Criterion, ctx: CriteriaContext): Verdict {
  switch (c.kind) {
    case 'manual':
      return ['assumed', 'checked by a person, not by the simulator'];
    case 'no-critical':
      return severityCheck(c, ctx, CRITICAL);
    case 'no-warning':
      return severityCheck(c, ctx, WARNING);
    case 'relative-to-baseline':
      return relativeToBaseline(c, ctx);
    case 'stable':
      return stable(c, ctx);
    case 'scales-linearly':
      return scalesLinearly(c, ctx);
  }
}

function severityCheck(c: Criterion, ctx: CriteriaContext, at: number): Verdict {
  const which = c.metric ? [ctx.metricIndex.get(c.metric)].filter((i): i is number => i !== undefined) : ctx.metrics.map((_, i) => i);
  const word = at === CRITICAL ? 'critical' : 'warning';
  for (const i of which) {
    if (ctx.worstSeverity[i] >= at) {
      const m = ctx.metrics[i];
      return ['failed', () => `${metricPhrase(m.label)} reached ${ctx.worstSeverity[i] === CRITICAL ? 'critical' : 'warning'} (${formatValue(ctx.worstValue[i], m.unit)})`];
    }
  }
  return ['met', c.metric ? `no ${word} reading of ${c.metric}` : `no ${word} reading`];
}

/** Resolves the criterion's metric and its step samples, or says why it cannot be judged. */
function measured(c: Criterion, ctx: CriteriaContext): { i: number; m: MetricInfo; mean: number } | Verdict {
  if (!c.metric) return ['no-data', `criterion ${c.id} names no metric`];
  const i = ctx.metricIndex.get(c.metric);
  if (i === undefined || ctx.stats.count(i) === 0) return ['no-data', `no ${c.metric} samples in this step`];
  return { i, m: ctx.metrics[i], mean: ctx.stats.mean(i) };
}

// An infinite reading (a p95 above the histogram's top bucket) makes the mean infinite and its standard
// error NaN; it is worse than any tolerance, so the noise guard does not apply to it.
function relativeToBaseline(c: Criterion, ctx: CriteriaContext): Verdict {
  const r = measured(c, ctx);
  if (Array.isArray(r)) return r;
  const { i, m, mean } = r;
  const tolerance = c.tolerancePercent ?? 10;
  const pre = ctx.baseline.mean(i);
  const base = Number.isNaN(pre) ? m.baseline : pre;
  const from = Number.isNaN(pre) ? "the plan's baseline" : 'the baseline measured before exposure';
  const worse = m.above ? mean - base : base - mean;
  const pct = base !== 0 ? (100 * Math.abs(mean - base)) / Math.abs(base) : mean !== base ? Infinity : 0;
  const text = () => `${metricPhrase(m.label)} averaged ${formatValue(mean, m.unit)}, ${formatPct(pct)} ${mean >= base ? 'above' : 'below'} ${from} ${formatValue(base, m.unit)} (tolerance ${tolerance} %)`;
  const failed = worse === Infinity || (worse > (tolerance / 100) * Math.abs(base) && worse > NOISE_GUARD * ctx.stats.stderr(i));
  return [failed ? 'failed' : 'met', text];
}

function stable(c: Criterion, ctx: CriteriaContext): Verdict {
  const r = measured(c, ctx);
  if (Array.isArray(r)) return r;
  const { i, m } = r;
  const tolerance = c.tolerancePercent ?? 20;
  const t = ctx.stats.trend(i);
  if (t.n1 < 3 || t.n3 < 3) return ['met', () => `too few ${m.name} samples (${ctx.stats.count(i)}) to see a trend`];
  const drift = m.above ? t.last - t.first : t.first - t.last;
  const pct = t.first !== 0 ? (100 * drift) / Math.abs(t.first) : drift > 0 ? Infinity : 0;
  const failed = drift === Infinity || (drift > (tolerance / 100) * Math.abs(t.first) && drift > NOISE_GUARD * t.stderr);
  const text = () => `${metricPhrase(m.label)} went from ${formatValue(t.first, m.unit)} to ${formatValue(t.last, m.unit)} over the step (${formatPct(m.above ? pct : -pct, true)}, tolerance ${tolerance} %)`;
  return [failed ? 'failed' : 'met', text];
}

function scalesLinearly(c: Criterion, ctx: CriteriaContext): Verdict {
  const r = measured(c, ctx);
  if (Array.isArray(r)) return r;
  const { i, m, mean } = r;
  const tolerance = c.tolerancePercent ?? 10;
  const prev = ctx.previousMean[i];
  if (Number.isNaN(prev)) return ['met', `no earlier step with traffic to compare ${m.name} with`];
  const worse = m.above ? mean - prev : prev - mean;
  const pct = prev !== 0 ? (100 * worse) / Math.abs(prev) : worse > 0 ? Infinity : 0;
  const failed = worse === Infinity || (worse > (tolerance / 100) * Math.abs(prev) && worse > NOISE_GUARD * ctx.stats.stderr(i));
  const text = () => `${metricPhrase(m.label)} averaged ${formatValue(mean, m.unit)} against ${formatValue(prev, m.unit)} at the previous traffic share (${formatPct(m.above ? pct : -pct, true)}, tolerance ${tolerance} %)`;
  return [failed ? 'failed' : 'met', text];
}

function formatPct(pct: number, signed = false): string {
  if (!Number.isFinite(pct)) return pct > 0 ? '+∞ %' : '−∞ %';
  const r = Math.round(pct);
  return signed ? `${r >= 0 ? '+' : '−'}${Math.abs(r)} %` : `${Math.abs(r)} %`;
}
