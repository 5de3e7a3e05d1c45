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
  /** Values in the metric's unit; finite numbers only (bad samples are dropped and reported). */
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
