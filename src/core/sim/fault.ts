import { InputError } from '../errors';
import { mixtureQuantile, quantileOf } from './mixture';
import type { RolloutPlan } from '../plan/schema';
import type { Fault } from './scenarios';
import { buildTimeline, shareAt, type TimelineOptions } from './timeline';
import { earliestTime } from './replay';
import type { Trace } from './trace';

/**
 * Adds a regression the new version would carry on top of a recorded baseline: at each sample the
 * fault is weighted by the new version's traffic share at that minute, so the same fault is faint
 * in a 1 % canary and full at 100 %. A rate is the traffic-weighted mean of both versions; a
 * quantile metric (`latency_p95_ms`) is the quantile of the mix of their distributions (mixture.ts). `alignAt` is the epoch milliseconds of sim minute 0
 * (default: the trace's earliest sample, as in a replay).
 */
export function injectFault(trace: Trace, plan: RolloutPlan, fault: Fault, options: TimelineOptions & { alignAt?: number } = {}): Trace {
  const timeline = buildTimeline(plan, options);
  const series = trace.series.get(fault.metric);
  if (!series) return { ...trace, issues: [...trace.issues, { metric: fault.metric, kind: 'missing', count: 0, message: `no ${fault.metric} series to inject the fault into` }] };
  const earliest = earliestTime(trace);
  const zero = options.alignAt ?? (Number.isFinite(earliest) ? earliest : 0);
  const from = fault.fromMinute ?? timeline.firstExposure;
  const delta = fault.delta ?? 0;
  const factor = fault.factor ?? 1;
  const last = timeline.totalMinutes - 1;
  const values = series.values.slice();
  const q = quantileOf(fault.metric);
  for (let k = 0; k < values.length; k++) {
    const m = Math.floor((series.times[k] - zero) / 60000);
    if (m < 0 || m < from) continue;
    // After the plan's last minute the new version keeps its final share.
    const share = last >= 0 ? shareAt(timeline, Math.min(m, last)) : 0;
    if (share === 0) continue;
    const v = values[k];
    values[k] = q === undefined ? v * (1 + share * (factor - 1)) + share * delta : mixtureQuantile(v, v * factor + delta, share, q);
  }
  const next = new Map(trace.series);
  next.set(fault.metric, { ...series, values });
  const what = fault.factor !== undefined ? `×${factor}` : `${delta >= 0 ? '+' : ''}${delta}`;
  return { ...trace, source: `${trace.source} + ${fault.metric} ${what}`, series: next };
}

/**
 * A fault as the CLI's `--fault` and the view's fault list write it: `error_rate=+1` (add, in the
 * metric's unit), `latency_p95_ms=x1.5` (multiply), optionally `@MINUTE` (from that sim minute).
 */
export function parseFault(text: string): Fault {
  const m = /^([a-z][a-z0-9_]*)=([+-]\d+(?:\.\d+)?|[x*×]\d+(?:\.\d+)?)(?:@(\d+))?$/.exec(text.trim());
  if (!m) {
    throw new InputError(`"${text}": expected METRIC=+DELTA or METRIC=xFACTOR, optionally @MINUTE (e.g. error_rate=+1, latency_p95_ms=x1.5@120)`, { field: 'fault' });
  }
  const [, metric, amount, from] = m;
  const fault: Fault = /^[x*×]/.test(amount) ? { metric, factor: Number(amount.slice(1)) } : { metric, delta: Number(amount) };
  if (from !== undefined) fault.fromMinute = Number(from);
  return fault;
}
