import { formatDuration } from './format';
import { holeLimit } from './gate';
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
export function uncoveredByTrace(plan: RolloutPlan, trace: Trace, result: SimulationResult, options: TimelineOptions & { alignAt?: number; gapMinutes?: number } = {}): string | undefined {
  if (result.outcome !== 'halted' || result.durationMinutes === undefined) return undefined;
  const zero = options.alignAt ?? earliestTime(trace);
  const end = traceEnd(trace, zero);
  if (!end) return undefined;
  const timeline = buildTimeline(plan, options);
  const halt = result.durationMinutes;
  // The step the halt decided: a hold at a step's end belongs to the step that ends there.
  const step = timeline.stages.flatMap((st) => st.steps).find((s) => s.startMinute < halt && halt <= s.endMinute);
  // The last reading stands for its series' resolution, and the series may be silent for its hole
  // limit after it: a halt inside that span was decided on readings, not on the trace running out.
  const silent = halt - (end.last + 1);
  const stepAfterEnd = step !== undefined && step.startMinute >= end.last + end.resolution;
  if (silent <= holeLimit(end.resolution, options.gapMinutes ?? DEFAULT_GAP_MINUTES) && !stepAfterEnd) return undefined;
  const covered = Math.max(0, Math.min(timeline.totalMinutes, end.last + end.resolution));
  const total = timeline.totalMinutes;
  const held = result.stages.findIndex((s) => s.decision === 'held');
  const stage = held >= 0 ? timeline.stages[held] : undefined;
  const where = stage ? `${stage.name} (minutes ${stage.startMinute}–${stage.endMinute}) is not covered after minute ${covered}` : `the plan is not covered after minute ${covered}`;
  return `${trace.source}: the trace covers ${formatDuration(covered)} of the ${formatDuration(total)} the plan needs: ${where} (expected a trace at least as long as the plan, or one in which the rollout rolls back)`;
}

/**
 * The minute of the trace's last reading (from `zero`), and the resolution of the series it belongs
 * to (the coarsest, when several end on that minute). Undefined for a trace without readings.
 */
function traceEnd(trace: Trace, zero: number): { last: number; resolution: number } | undefined {
  if (!Number.isFinite(zero)) return undefined;
  let best: { last: number; resolution: number } | undefined;
  for (const s of trace.series.values()) {
    if (!s.times.length) continue;
    const last = Math.floor((s.times[s.times.length - 1] - zero) / 60000);
    const resolution = seriesResolution([{ rows: Float64Array.from(s.times, (t) => (t - zero) / 60000) }])[0];
    if (!best || last > best.last || (last === best.last && resolution > best.resolution)) best = { last, resolution };
  }
  return best && Number.isFinite(best.last) ? best : undefined;
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
