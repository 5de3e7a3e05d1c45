import type { DataIssue, Trace } from './trace';
import type { MinuteSource } from './engine';
import type { SimSetup } from './setup';
import { downsample, downsampleStream } from './downsample';
import type { Readings } from './result';

/**
 * A recorded (or synthesized) trace laid on simulation minutes. Every reading is checked before it
 * reaches a gate: NaN is dropped (no reading), ±Infinity is read as beyond every threshold, duplicate and out-of-order timestamps resolved,
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

/** Where a trace's samples land: one call per sample kept, with its metric index and minute row (minute − firstMinute). */
type Place = (metric: number, row: number, value: number) => void;

/**
 * Lays every usable sample of a trace on the setup's minutes and reports what was wrong with the rest.
 * `alignAt`: the epoch milliseconds of sim minute 0. Default: the trace's earliest sample, so a
 * recording replays from its start.
 */
function placeSamples(trace: Trace, setup: SimSetup, alignAt: number | undefined, place: (firstMinute: number) => Place): { firstMinute: number; issues: DataIssue[] } {
  const issues: DataIssue[] = [...trace.issues];
  const earliest = earliestTime(trace);
  const zero = alignAt ?? (Number.isFinite(earliest) ? earliest : 0);
  const earliestMinute = Number.isFinite(earliest) ? Math.floor((earliest - zero) / 60000) : 0;
  const firstMinute = Math.max(-MAX_PRE_MINUTES, Math.min(0, earliestMinute));
  const total = setup.timeline.totalMinutes;
  const put = place(firstMinute);

  for (const [name, series] of trace.series) {
    const i = setup.metricIndex.get(name);
    if (i === undefined) {
      issues.push({ metric: name, kind: 'ungated', count: series.times.length, message: `${name} is in the trace but no gate or criterion of the plan reads it` });
      continue;
    }
    const n = Math.min(series.times.length, series.values.length);
    let nan = 0, unordered = 0, repeats = 0;
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
      const m = Math.floor((t - zero) / 60000);
      if (m < firstMinute || m >= total) continue;
      put(i, m - firstMinute, v);
    }
    // In time order a repeated timestamp equals the one before; out of order, count on a sorted copy.
    const dupes = unordered ? repeatedTimes(series.times, n) : repeats;
    if (nan) issues.push({ metric: name, kind: 'nan', count: nan, message: `${nan} ${name} sample${nan === 1 ? ' is' : 's are'} not a number: dropped, not read as 0` });
    if (unordered) issues.push({ metric: name, kind: 'out-of-order', count: unordered, message: `${unordered} ${name} sample${unordered === 1 ? ' is' : 's are'} earlier than the one before: placed by timestamp` });
    if (dupes) issues.push({ metric: name, kind: 'duplicate', count: dupes, message: `${dupes} ${name} timestamp${dupes === 1 ? ' is' : 's are'} repeated: the worst reading counts` });
  }
  for (const m of setup.metrics) {
    if (!trace.series.has(m.name)) issues.push({ metric: m.name, kind: 'missing', count: 0, message: `the plan gates ${m.name} but the trace has no ${m.name} series (a service without it can turn the gate off in .rollout-lens.json: "gates": { "${m.name}": { "enabled": false } })` });
  }
  return { firstMinute, issues };
}

/** Several readings in one minute (sub-minute data, duplicates): the gate sees the worst. */
function worse(above: boolean, v: number, old: number): boolean {
  return old !== old || (above ? v > old : v < old);
}

/** The trace as one row of readings per metric and minute, NaN where nothing was measured. */
export function gridFromTrace(trace: Trace, setup: SimSetup, alignAt?: number): MinuteGrid {
  let values: Float64Array[] = [];
  const { firstMinute, issues } = placeSamples(trace, setup, alignAt, (first) => {
    const rows = setup.timeline.totalMinutes - first;
    values = setup.metrics.map(() => new Float64Array(rows).fill(NaN));
    return (i, r, v) => {
      if (worse(setup.metrics[i].above, v, values[i][r])) values[i][r] = v;
    };
  });
  return { firstMinute, values, issues };
}

/**
 * The minutes of one metric that have a reading, in rising order, with the worst reading of each: as
 * long as the trace's samples inside the plan, however long the plan waits.
 */
export interface SparseRow {
  rows: Float64Array;
  values: Float64Array;
}

/** The trace as sparse rows: what a replay keeps, in memory that follows the samples, not the plan's length. */
export interface SparseGrid {
  firstMinute: number;
  rows: SparseRow[];
  issues: DataIssue[];
}

export function sparseGridFromTrace(trace: Trace, setup: SimSetup, alignAt?: number): SparseGrid {
  const M = setup.metrics.length;
  const at: number[][] = Array.from({ length: M }, () => []);
  const val: number[][] = Array.from({ length: M }, () => []);
  let sorted = true;
  const { firstMinute, issues } = placeSamples(trace, setup, alignAt, () => (i, r, v) => {
    const rs = at[i];
    const last = rs.length - 1;
    if (last >= 0 && rs[last] === r) {
      if (worse(setup.metrics[i].above, v, val[i][last])) val[i][last] = v;
      return;
    }
    if (last >= 0 && rs[last] > r) sorted = false;
    rs.push(r);
    val[i].push(v);
  });
  const rows = at.map((rs, i) => (sorted ? { rows: Float64Array.from(rs), values: Float64Array.from(val[i]) } : mergeMinutes(rs, val[i], setup.metrics[i].above)));
  return { firstMinute, rows, issues };
}

/** Samples placed out of time order: sorted by minute, the worst reading of each minute kept. */
function mergeMinutes(rs: number[], vs: number[], above: boolean): SparseRow {
  const order = rs.map((_, k) => k).sort((a, b) => rs[a] - rs[b] || a - b);
  const rows: number[] = [];
  const values: number[] = [];
  for (const k of order) {
    const last = rows.length - 1;
    if (last >= 0 && rows[last] === rs[k]) {
      if (worse(above, vs[k], values[last])) values[last] = vs[k];
    } else {
      rows.push(rs[k]);
      values.push(vs[k]);
    }
  }
  return { rows: Float64Array.from(rows), values: Float64Array.from(values) };
}

/** Reads sparse rows minute by minute (rising minutes), NaN where a metric has no reading. */
export function sparseSource(grid: SparseGrid): MinuteSource {
  const { firstMinute, rows } = grid;
  const pos = new Int32Array(rows.length);
  return {
    firstMinute,
    fill(minute: number, out: Float64Array): void {
      const r = minute - firstMinute;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        let p = pos[i];
        while (p < row.rows.length && row.rows[p] < r) p++;
        if (p < row.rows.length && row.rows[p] === r) {
          out[i] = row.values[p];
          pos[i] = p + 1;
        } else {
          out[i] = NaN;
          pos[i] = p;
        }
      }
    },
  };
}

/** Sparse rows as a result reads them: thinned for the charts exactly as the same rows laid out minute by minute would be. */
export function sparseReadings(grid: SparseGrid): Readings {
  return {
    firstMinute: grid.firstMinute,
    issues: grid.issues,
    points: (to, maxPoints) => {
      const source = sparseSource(grid);
      return downsampleStream(grid.rows.length, grid.firstMinute, to, (m, out) => source.fill(m, out), maxPoints);
    },
  };
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
