/**
 * Collects one metric's samples as they stream in, then puts them in order and says what was wrong with
 * the data. Samples live in growable Float64Arrays: a million rows cost 16 MB, not a million objects.
 */
import type { DataIssue, MetricSeries } from '../trace';
import { cannotBeNegative, isPercent, lowerIsWorse } from './metrics';

/** Why a sample was dropped or flagged; each kind is counted and its first line remembered. */
type Tally = { count: number; first: number };

const INITIAL_CAPACITY = 1024;

export class SeriesBuilder {
  private times = new Float64Array(INITIAL_CAPACITY);
  private values = new Float64Array(INITIAL_CAPACITY);
  private length = 0;
  private last = -Infinity;
  private readonly tallies = new Map<string, Tally>();
  private readonly checkNegative: boolean;
  private readonly checkPercent: boolean;
  private readonly worseBelow: boolean;

  /**
   * @param where how messages name the origin: a file name.
   * @param position how messages name where a sample came from: a line, or a JSON array element.
   * @param worseBelow a lower reading is the worse one (success rate), so of two readings at one time the lower is kept.
   */
  constructor(
    readonly metric: string,
    private readonly where: string,
    private readonly position: (at: number) => string = (at) => `line ${at}`,
    worseBelow = lowerIsWorse(metric),
  ) {
    this.checkNegative = cannotBeNegative(metric);
    this.checkPercent = isPercent(metric);
    this.worseBelow = worseBelow;
  }

  get size(): number {
    return this.length;
  }

  /** Adds a sample; `line` is the file line (or array index) it came from, for the report. */
  add(time: number, value: number, line: number): void {
    if (value !== value) {
      // NaN is "no reading"; ±Infinity is a reading beyond every threshold (histogram_quantile above its top bucket).
      this.tally('nan', line);
      return;
    }
    // An infinity is reported once, as such, not also as out of the metric's range.
    if (value === Infinity || value === -Infinity) this.tally('infinite', line);
    else if (value < 0 && this.checkNegative) this.tally('negative', line);
    else if (value > 100 && this.checkPercent) this.tally('out-of-range', line);
    if (time < this.last) this.tally('out-of-order', line);
    this.last = time;
    if (this.length === this.times.length) this.grow();
    this.times[this.length] = time;
    this.values[this.length] = value;
    this.length++;
  }

  /** A cell with nothing in it: dropped, reported. */
  addEmpty(line: number): void {
    this.tally('empty', line);
  }

  private tally(kind: string, line: number): void {
    const t = this.tallies.get(kind);
    if (t) t.count++;
    else this.tallies.set(kind, { count: 1, first: line });
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    times.set(this.times);
    values.set(this.values);
    this.times = times;
    this.values = values;
  }

  /** The series in time order without duplicate times, and the issues found on the way. */
  finish(): { series: MetricSeries; issues: DataIssue[] } {
    let times: Float64Array = this.times.subarray(0, this.length);
    let values: Float64Array = this.values.subarray(0, this.length);
    if (this.tallies.has('out-of-order')) ({ times, values } = sortByTime(times, values));
    const deduped = dropDuplicates(times, values, this.worseBelow);
    // Copy out of the growth buffer so the series holds exactly its samples.
    const series: MetricSeries = { metric: this.metric, times: deduped.times.slice(), values: deduped.values.slice() };
    const issues = [...this.tallies].map(([kind, t]) => this.describe(kind, t));
    if (deduped.duplicates > 0) {
      issues.push(this.issue('duplicate', deduped.duplicates, `${deduped.duplicates} duplicate timestamp${s(deduped.duplicates)} (kept the worse reading of each)`));
    }
    const gaps = findGaps(series.times);
    if (gaps) {
      issues.push(
        this.issue(
          'gap',
          gaps.count,
          `${gaps.count} gap${s(gaps.count)} longer than 3× the usual ${duration(gaps.step)} step (longest ${duration(gaps.longest)}, from ${new Date(gaps.longestStart).toISOString()})`,
        ),
      );
    }
    if (series.times.length === 0) issues.push(this.issue('no-data', 0, 'no usable samples'));
    return { series, issues };
  }

  private describe(kind: string, t: Tally): DataIssue {
    const at = `first at ${this.position(t.first)}`;
    const n = t.count;
    switch (kind) {
      case 'nan':
        return this.issue(kind, n, `${n} NaN value${s(n)} dropped (${at})`);
      case 'infinite':
        return this.issue(kind, n, `${n} infinite value${s(n)}, read as beyond every threshold (${at})`);
      case 'empty':
        return this.issue(kind, n, `${n} empty value${s(n)} dropped (${at})`);
      case 'negative':
        return this.issue(kind, n, `${n} negative value${s(n)}, impossible for ${this.metric} (${at})`);
      case 'out-of-range':
        return this.issue(kind, n, `${n} value${s(n)} above 100%, impossible for ${this.metric} (${at})`);
      case 'out-of-order':
        return this.issue(kind, n, `${n} sample${s(n)} out of time order, sorted (${at})`);
      default:
        return this.issue(kind, n, `${n} × ${kind} (${at})`);
    }
  }

  private issue(kind: string, count: number, what: string): DataIssue {
    return { metric: this.metric, kind, count, message: `${this.where}: ${this.metric}: ${what}` };
  }
}

function s(n: number): string {
  return n === 1 ? '' : 's';
}

/** Stable sort by time, so that among equal times the one read last stays last. */
function sortByTime(times: Float64Array, values: Float64Array): { times: Float64Array; values: Float64Array } {
  const order = new Uint32Array(times.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => times[a] - times[b] || a - b);
  const t = new Float64Array(times.length);
  const v = new Float64Array(times.length);
  for (let i = 0; i < order.length; i++) {
    t[i] = times[order[i]];
    v[i] = values[order[i]];
  }
  return { times: t, values: v };
}

/**
 * Keeps the worse of each run of equal times: a re-sent normal reading must not erase a critical one,
 * and a gate that reads the worse can only be stricter. Input is sorted.
 */
function dropDuplicates(times: Float64Array, values: Float64Array, worseBelow: boolean): { times: Float64Array; values: Float64Array; duplicates: number } {
  let w = 0;
  for (let r = 0; r < times.length; r++) {
    if (w > 0 && times[w - 1] === times[r]) {
      const v = values[r];
      if (worseBelow ? v < values[w - 1] : v > values[w - 1]) values[w - 1] = v;
      continue;
    }
    times[w] = times[r];
    values[w] = values[r];
    w++;
  }
  return { times: times.subarray(0, w), values: values.subarray(0, w), duplicates: times.length - w };
}

/** Intervals longer than 3× the median step: the scrape stopped, or the exporter dropped data. */
export function findGaps(times: Float64Array): { count: number; longest: number; longestStart: number; step: number } | null {
  if (times.length < 3) return null;
  const steps = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) steps[i - 1] = times[i] - times[i - 1];
  const step = median(steps.slice());
  let count = 0;
  let longest = 0;
  let longestStart = 0;
  for (let i = 0; i < steps.length; i++) {
    if (steps[i] > 3 * step) {
      count++;
      if (steps[i] > longest) {
        longest = steps[i];
        longestStart = times[i];
      }
    }
  }
  return count > 0 ? { count, longest, longestStart, step } : null;
}

/** Median by quickselect: linear time, so a million-sample series does not pay for a full sort. */
function median(a: Float64Array): number {
  const k = a.length >> 1;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 3_600_000).toFixed(1)} h`;
}
