import { formatDuration } from './format';
import { earliestTime } from './replay';
import type { SimulationResult } from './schema';
import { DEFAULT_GAP_MINUTES } from './setup';
import { buildTimeline, type TimelineOptions } from './timeline';
import type { RolloutPlan } from '../plan/schema';
import type { Trace } from './trace';

/**
 * When a replay halted because the recording ends before the plan does (rather than on a warning
 * or a gap inside it): one sentence saying how much of the plan the trace covers and which stage
 * it leaves uncovered. Undefined when the trace was long enough for the rollout to be decided.
 */
export function uncoveredByTrace(plan: RolloutPlan, trace: Trace, result: SimulationResult, options: TimelineOptions & { alignAt?: number } = {}): string | undefined {
  if (result.outcome !== 'halted' || result.durationMinutes === undefined) return undefined;
  const zero = options.alignAt ?? earliestTime(trace);
  let latest = -Infinity;
  for (const s of trace.series.values()) if (s.times.length) latest = Math.max(latest, s.times[s.times.length - 1]);
  if (!Number.isFinite(latest) || !Number.isFinite(zero)) return undefined;
  const covered = Math.floor((latest - zero) / 60000) + 1;
  if (result.durationMinutes - covered <= DEFAULT_GAP_MINUTES) return undefined;
  const timeline = buildTimeline(plan, options);
  const total = timeline.totalMinutes;
  const held = result.stages.findIndex((s) => s.decision === 'held');
  const stage = held >= 0 ? timeline.stages[held] : undefined;
  const where = stage ? `${stage.name} (minutes ${stage.startMinute}–${stage.endMinute}) is not covered after minute ${covered}` : `the plan is not covered after minute ${covered}`;
  return `${trace.source}: the trace covers ${formatDuration(Math.max(0, covered))} of the ${formatDuration(total)} the plan needs: ${where} (expected a trace at least as long as the plan, or one in which the rollout rolls back)`;
}

/**
 * Minutes one reading of each metric stands for: the median spacing of its readings (at least 1),
 * so a 10-minute CloudWatch period or an irregular recording is judged on its own steps.
 */
export function seriesResolution(rows: readonly { rows: Float64Array }[]): Float64Array {
  return Float64Array.from(rows, ({ rows: r }) => {
    if (r.length < 2) return 1;
    const d = new Float64Array(r.length - 1);
    for (let k = 1; k < r.length; k++) d[k - 1] = r[k] - r[k - 1];
    d.sort();
    return Math.max(1, d[d.length >> 1]);
  });
}
