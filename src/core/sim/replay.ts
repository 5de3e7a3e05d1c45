import type { DataIssue, Trace } from './trace';
import type { MinuteSource } from './engine';
import type { SimSetup } from './setup';
import { downsample } from './downsample';
import type { Readings } from './result';

/**
 * A recorded (or synthesized) trace laid on simulation minutes. Every reading is checked before it
 * reaches a gate: NaN and infinities are dropped, duplicate and out-of-order timestamps resolved,
 * and each problem is reported. Nothing is ever filled in: a minute without a sample stays empty,
 * and a gate without samples cannot pass.
 */
export interface MinuteGrid {
  /** Minute of the first row (≤ 0): earlier rows are pre-rollout readings. */
  firstMinute: number;
  /** One row of readings per metric index, NaN where nothing was measured. */
  values: Float64Array[];
  issues: DataIssue[];
}

/** How much pre-rollout history to keep for the baseline. */
const MAX_PRE_MINUTES = 24 * 60;

/**
 * `alignAt`: the epoch milliseconds of sim minute 0. Default: the trace's earliest sample, so a
 * recording replays from its start.
 */
export function gridFromTrace(trace: Trace, setup: SimSetup, alignAt?: number): MinuteGrid {
  const issues: DataIssue[] = [...trace.issues];
  const earliest = earliestTime(trace);
  const zero = alignAt ?? (Number.isFinite(earliest) ? earliest : 0);
  const earliestMinute = Number.isFinite(earliest) ? Math.floor((earliest - zero) / 60000) : 0;
  const firstMinute = Math.max(-MAX_PRE_MINUTES, Math.min(0, earliestMinute));
  const total = setup.timeline.totalMinutes;
  const rows = total - firstMinute;
  const values = setup.metrics.map(() => new Float64Array(rows).fill(NaN));

  for (const [name, series] of trace.series) {
    const i = setup.metricIndex.get(name);
    if (i === undefined) {
      issues.push({ metric: name, kind: 'ungated', count: series.times.length, message: `${name} is in the trace but no gate or criterion of the plan reads it` });
      continue;
    }
    const above = setup.metrics[i].above;
    const row = values[i];
    const n = Math.min(series.times.length, series.values.length);
    let nan = 0, inf = 0, unordered = 0, repeats = 0;
    let prev = -Infinity;
    for (let k = 0; k < n; k++) {
      const t = series.times[k];
      const v = series.values[k];
      if (!Number.isFinite(t)) {
        nan++;
        continue;
      }
      if (t < prev) unordered++;
      else if (t === prev) repeats++;
      prev = Math.max(prev, t);
      if (v !== v) {
        nan++;
        continue;
      }
      if (v === Infinity || v === -Infinity) {
        inf++;
        continue;
      }
      const m = Math.floor((t - zero) / 60000);
      if (m < firstMinute || m >= total) continue;
      const r = m - firstMinute;
      const old = row[r];
      // Several readings in one minute (sub-minute data, duplicates): the gate sees the worst.
      if (old !== old || (above ? v > old : v < old)) row[r] = v;
    }
    // In time order a repeated timestamp equals the one before; out of order, count on a sorted copy.
    const dupes = unordered ? repeatedTimes(series.times, n) : repeats;
    if (nan) issues.push({ metric: name, kind: 'nan', count: nan, message: `${nan} ${name} sample${nan === 1 ? ' is' : 's are'} not a number: dropped, not read as 0` });
    if (inf) issues.push({ metric: name, kind: 'infinite', count: inf, message: `${inf} ${name} sample${inf === 1 ? ' is' : 's are'} infinite: dropped` });
    if (unordered) issues.push({ metric: name, kind: 'out-of-order', count: unordered, message: `${unordered} ${name} sample${unordered === 1 ? ' is' : 's are'} earlier than the one before: placed by timestamp` });
    if (dupes) issues.push({ metric: name, kind: 'duplicate', count: dupes, message: `${dupes} ${name} timestamp${dupes === 1 ? ' is' : 's are'} repeated: the worst reading counts` });
  }
  for (const m of setup.metrics) {
    if (!trace.series.has(m.name)) issues.push({ metric: m.name, kind: 'missing', count: 0, message: `the plan gates ${m.name} but the trace has no ${m.name} series (a service without it can turn the gate off in .rollout-lens.json: "gates": { "${m.name}": { "enabled": false } })` });
  }
  return { firstMinute, values, issues };
}

/** A grid's readings as a result reads them: each row thinned for its chart. */
export function gridReadings(grid: MinuteGrid): Readings {
  return {
    firstMinute: grid.firstMinute,
    issues: grid.issues,
    points: (to, maxPoints) => grid.values.map((row) => downsample(grid.firstMinute, row, grid.firstMinute, to, maxPoints)),
  };
}

export function gridSource(grid: MinuteGrid): MinuteSource {
  const { firstMinute, values } = grid;
  return {
    firstMinute,
    fill(minute: number, out: Float64Array): void {
      const r = minute - firstMinute;
      for (let i = 0; i < values.length; i++) out[i] = values[i][r];
    },
  };
}

/** How many of the first `n` finite timestamps repeat an earlier one; memory is one copy of the times, whatever their number. */
function repeatedTimes(times: Float64Array, n: number): number {
  const sorted = new Float64Array(n);
  let w = 0;
  for (let k = 0; k < n; k++) if (Number.isFinite(times[k])) sorted[w++] = times[k];
  const finite = sorted.subarray(0, w).sort();
  let repeated = 0;
  for (let k = 1; k < finite.length; k++) if (finite[k] === finite[k - 1]) repeated++;
  return repeated;
}

/** The earliest finite timestamp of any series (Infinity for an empty trace). */
export function earliestTime(trace: Trace): number {
  let earliest = Infinity;
  for (const s of trace.series.values()) for (const t of s.times) if (Number.isFinite(t) && t < earliest) earliest = t;
  return earliest;
}
