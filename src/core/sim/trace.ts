/** A metric trace, after parsing and validation: what the simulator replays. */

export interface DataIssue {
  metric: string;
  /** `gap`, `duplicate`, `out-of-order`, `nan`, `infinite`, `negative`, … */
  kind: string;
  count: number;
  message: string;
}

export interface MetricSeries {
  metric: string;
  /** Sample times, epoch milliseconds, ascending, no duplicates. */
  times: Float64Array;
  /** Values in the metric's unit; never NaN (bad samples are dropped and reported); ±Infinity is a reading beyond every threshold, reported as an `infinite` issue. */
  values: Float64Array;
}

export interface Trace {
  /** Where it came from: a file name, or `synthetic:<scenario>#<seed>`. */
  source: string;
  series: Map<string, MetricSeries>;
  issues: DataIssue[];
  /** The stable version's series beside a gated metric's canary series (`prometheus.baseline`), for the canary-against-baseline judge. */
  baselines?: Map<string, MetricSeries>;
}

/** Minutes from the first reading (or `from`, epoch ms, when given) to the last reading of any metric: how much of a plan the trace can replay. */
export function traceSpanMinutes(trace: Pick<Trace, 'series'>, from?: number): number {
  let first = Infinity;
  let last = -Infinity;
  for (const s of trace.series.values()) {
    if (!s.times.length) continue;
    first = Math.min(first, s.times[0]);
    last = Math.max(last, s.times[s.times.length - 1]);
  }
  if (!Number.isFinite(first)) return 0;
  return Math.max(0, (last - (from ?? first)) / 60_000);
}
