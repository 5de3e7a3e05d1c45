/**
 * What each metric's chart marks on its time axis, read from a simulation result: where each stage
 * starts, the rollback, and the minute the rollout was held. A hold is marked on the charts of the
 * metrics it waits on, or on every chart when it waits on no metric (a criterion, an unwatched step).
 */
import type { SimulationResult } from '../src/protocol/messages';

export interface Marks {
  /** `label` is the full text ("1, 2 Integration"), `short` the stage numbers ("1, 2"). */
  stages: { minute: number; label: string; short: string }[];
  rollbackMinute?: number;
  /** Minutes the rollout was held at, each drawn as a line labelled "held". */
  held: { minute: number; label: string }[];
}

/** The marks of the chart of `metric` for a result. */
export function chartMarks(result: SimulationResult, metric: string): Marks {
  // Stages that start at the same minute (a 0-minute stage) share one marker: "1, 2 Integration".
  const starts = new Map<number, { numbers: number[]; name: string }>();
  for (const s of result.stages) {
    if (s.decision === 'skipped' || s.decision === 'not_reached') continue;
    const at = starts.get(s.startMinute) ?? { numbers: [], name: '' };
    at.numbers.push(s.number);
    at.name = s.name;
    starts.set(s.startMinute, at);
  }
  const hold = result.hold;
  const held = hold && (hold.metrics.length === 0 || hold.metrics.includes(metric)) ? [{ minute: hold.minute, label: 'held' }] : [];
  return {
    stages: [...starts].map(([minute, v]) => ({ minute, label: `${v.numbers.join(', ')} ${v.name}`, short: v.numbers.join(', ') })),
    rollbackMinute: result.rollback?.minute,
    held,
  };
}
