/**
 * Values recorded in another unit than the gate reads: a success rate exported as a ratio (0.998 for
 * 99.8 %) rolls back at minute 0, a p95 in seconds (0.25 for 250 ms) passes every latency gate.
 * Only patterns no healthy service produces are refused; a pattern that a real service can show is a
 * warning. An error rate as a ratio cannot be told from a healthy error rate (both sit below 1 %), so
 * is refused only beside a success rate of the same trace that is a ratio: the same exporter wrote both.
 */
import { InputError } from '../../errors';
import type { RolloutPlan } from '../../plan/schema';
import type { DataIssue, MetricSeries, Trace } from '../trace';

/** What the check needs to know of a gate: the metric it reads and the unit it compares in. */
export interface GatedUnit {
  metric: string;
  unit: string;
}

export interface UnitFindings {
  /** Readings that cannot be in the gate's unit: bad input. */
  errors: string[];
  /** Readings that are most likely in another unit, but could be real. */
  warnings: DataIssue[];
}

/** Fewer readings than this say nothing about a unit. */
const MIN_READINGS = 3;

/** The largest finite reading and the count of finite readings (NaN is no reading; ±Inf is not a unit clue). */
function finiteMax(s: MetricSeries): { max: number; n: number } {
  let max = -Infinity;
  let n = 0;
  for (const v of s.values) {
    if (v - v !== 0) continue;
    n++;
    if (v > max) max = v;
  }
  return { max, n };
}

function shown(v: number): string {
  return String(+v.toPrecision(4));
}

export function checkUnits(trace: Trace, gates: readonly GatedUnit[]): UnitFindings {
  const errors: string[] = [];
  const warnings: DataIssue[] = [];
  const unitOf = new Map(gates.map((g) => [g.metric, g.unit]));
  const ratio = (metric: string): boolean => {
    const s = trace.series.get(metric);
    if (!s || unitOf.get(metric) !== '%') return false;
    const { max, n } = finiteMax(s);
    return n >= MIN_READINGS && max <= 1;
  };

  // A success rate of at most 1 % for a whole recording is an outage no rollout is simulated on:
  // it is a ratio.
  const successRatio = ratio('success_rate');
  if (successRatio) {
    const { max } = finiteMax(trace.series.get('success_rate')!);
    errors.push(
      `${trace.source}: success_rate: every reading is at most 1 (highest ${shown(max)}): the gate reads percent (99.5 means 99.5 %); these look like ratios — multiply them by 100 (in PromQL: * 100)`,
    );
  }
  if (trace.series.has('error_rate') && ratio('error_rate') && successRatio) {
    const { max } = finiteMax(trace.series.get('error_rate')!);
    errors.push(
      `${trace.source}: error_rate: every reading is at most 1 (highest ${shown(max)}) and the success rate beside it is a ratio too: the gate reads percent (0.5 means 0.5 %); multiply the error rate by 100 (in PromQL: * 100)`,
    );
  }

  const latency = trace.series.get('latency_p95_ms');
  if (latency && unitOf.get('latency_p95_ms') === 'ms') {
    const { max, n } = finiteMax(latency);
    // A p95 under 10 ms throughout is rare for a service behind a network, but real for a cache: warn.
    if (n >= MIN_READINGS && max < 10) {
      warnings.push({
        metric: 'latency_p95_ms',
        kind: 'unit',
        count: n,
        message: `${trace.source}: latency_p95_ms: every reading is below 10 ms (highest ${shown(max)}): if these are seconds, multiply them by 1000 (histogram_quantile over *_seconds_bucket gives seconds)`,
      });
    }
  }
  return { errors, warnings };
}

/**
 * The trace checked against the gates of `plan`, on every surface that replays one: readings that
 * cannot be in a gate's unit are bad input; likely ones are added to the trace's data issues.
 */
export function checkTraceUnits(trace: Trace, plan: RolloutPlan): Trace {
  const gates = plan.stages.flatMap((st) => st.gates.map((g) => ({ metric: g.metric, unit: g.unit })));
  const { errors, warnings } = checkUnits(trace, gates);
  if (errors.length) throw new InputError(errors.join('; '), { field: 'trace', file: trace.source });
  return warnings.length ? { ...trace, issues: [...trace.issues, ...warnings] } : trace;
}
