/**
 * A recorded trace replayed through a plan, the same on every surface (the CLI's `--trace`, the
 * editor's trace file and Prometheus replay): readings checked against the gates' units, faults
 * injected, the verdict named after its source, and a recording that ends before the rollout is
 * decided refused as bad input naming the trace, instead of a hold on readings that were never taken.
 */
import { InputError } from '../errors';
import type { RolloutPlan } from '../plan/schema';
import { compareWithBaseline } from './baseline';
import { uncoveredByTrace } from './coverage';
import { injectFault } from './fault';
import type { Fault } from './scenarios';
import type { SimulationResult } from './schema';
import { simulateTrace, type SimulateOptions } from './simulate';
import type { Trace } from './trace';
import { checkTraceUnits } from './traces/units';

export function replayRecording(plan: RolloutPlan, recorded: Trace, options: SimulateOptions & { alignAt?: number; faults?: readonly Fault[] } = {}): SimulationResult {
  let trace = checkTraceUnits(recorded, plan);
  for (const f of options.faults ?? []) trace = injectFault(trace, plan, f, options);
  const result = { ...simulateTrace(plan, trace, options), source: trace.source };
  const short = uncoveredByTrace(plan, trace, result, options);
  if (short) throw new InputError(short, { file: trace.source });
  const baselineComparison = compareWithBaseline(plan, trace, result, options.alignAt);
  return baselineComparison ? { ...result, baselineComparison } : result;
}
