import { InputError } from '../errors';
import type { RolloutPlan } from '../plan/schema';
import type { Trace } from './trace';

/** The metrics a plan reads: every gate's and every success criterion's. */
export function readMetrics(plan: RolloutPlan): string[] {
  const read = new Set<string>();
  for (const stage of plan.stages) {
    for (const g of stage.gates) read.add(g.metric);
    for (const c of stage.successCriteria) if (c.metric) read.add(c.metric);
  }
  return [...read];
}

/** The metrics the plan gates from below (a success rate, a custom throughput): their duplicates keep the lower reading. */
export function worseBelow(plan: RolloutPlan): string[] {
  return [...new Set(plan.stages.flatMap((st) => st.gates.filter((g) => g.direction === 'below').map((g) => g.metric)))];
}

export interface UngatedSeries {
  metric: string;
  /** What the plan does read, for the message. */
  read: string[];
}

/**
 * The first series the caller named that no gate or criterion of the plan reads and the policy does
 * not declare: replayed into nothing, a misspelt gate name would read as "every gate stayed green".
 */
export function ungatedSeries(trace: Trace, plan: RolloutPlan, named: readonly string[], declared: readonly string[] = []): UngatedSeries | undefined {
  const read = readMetrics(plan);
  const known = new Set([...read, ...declared]);
  const metric = named.find((m) => !known.has(m) && trace.series.has(m));
  return metric === undefined ? undefined : { metric, read };
}

/** What is wrong with an ungated series and how to fix it, without saying how it was named. */
export function ungatedMessage(u: UngatedSeries): string {
  const gates = u.read.length ? u.read.join(', ') : 'none';
  return `no gate of the plan reads ${u.metric} (the plan's gates read ${gates}; expected one of them, or ${u.metric} declared in .rollout-lens.json, e.g. "gates": {"${u.metric}": {"enabled": false}})`;
}

/** Refuses a trace with a named series no gate reads: bad input naming the field (`trace`) and the series. */
export function checkSeriesGated(trace: Trace, plan: RolloutPlan, named: readonly string[], declared: readonly string[] = []): void {
  const u = ungatedSeries(trace, plan, named, declared);
  if (u) throw new InputError(`trace: series ${u.metric}: ${ungatedMessage(u)}`, { field: 'trace' });
}
