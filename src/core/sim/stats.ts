/**
 * Running sums per metric over one promotion step: enough for a mean, a spread and a trend
 * (first third against last third), without keeping the samples. Each reading adds to the sums of
 * its third only — three updates, not six — and the step's totals add the thirds up when asked.
 */
const FIELDS = 9;
/** Offsets of a third's count, sum and sum of squares; third k starts at 3·k. */
const N = 0, S = 1, Q = 2;

export class StepStats {
  readonly data: Float64Array;

  constructor(readonly metricCount: number) {
    this.data = new Float64Array(metricCount * FIELDS);
  }

  reset(): void {
    this.data.fill(0);
  }

  /** `third`: 0 in the first third of the step, 2 in the last, 1 between. */
  add(metric: number, value: number, third: number): void {
    const d = this.data;
    const o = metric * FIELDS + 3 * third;
    d[o + N]++;
    d[o + S] += value;
    d[o + Q] += value * value;
  }

  count(metric: number): number {
    const d = this.data;
    const o = metric * FIELDS;
    return d[o + N] + d[o + 3 + N] + d[o + 6 + N];
  }

  mean(metric: number): number {
    const d = this.data;
    const o = metric * FIELDS;
    const n = this.count(metric);
    return n ? (d[o + S] + d[o + 3 + S] + d[o + 6 + S]) / n : NaN;
  }

  /** Standard error of the mean, treating samples as independent. */
  stderr(metric: number): number {
    const d = this.data;
    const o = metric * FIELDS;
    return stderrOf(this.count(metric), d[o + S] + d[o + 3 + S] + d[o + 6 + S], d[o + Q] + d[o + 3 + Q] + d[o + 6 + Q]);
  }

  /** Means and standard errors of the first and last thirds. */
  trend(metric: number): { first: number; last: number; stderr: number; n1: number; n3: number } {
    const d = this.data;
    const o1 = metric * FIELDS;
    const o3 = o1 + 6;
    const n1 = d[o1 + N];
    const n3 = d[o3 + N];
    const e1 = stderrOf(n1, d[o1 + S], d[o1 + Q]);
    const e3 = stderrOf(n3, d[o3 + S], d[o3 + Q]);
    return { first: n1 ? d[o1 + S] / n1 : NaN, last: n3 ? d[o3 + S] / n3 : NaN, stderr: Math.sqrt(e1 * e1 + e3 * e3), n1, n3 };
  }
}

function stderrOf(n: number, sum: number, sq: number): number {
  if (n < 2) return Infinity;
  const mean = sum / n;
  const variance = Math.max(0, (sq - n * mean * mean) / (n - 1));
  return Math.sqrt(variance / n);
}

/** Mean and count of a metric across a span (the pre-exposure baseline). */
export class MeanAccumulator {
  readonly n: Float64Array;
  readonly sum: Float64Array;

  constructor(metricCount: number) {
    this.n = new Float64Array(metricCount);
    this.sum = new Float64Array(metricCount);
  }

  add(metric: number, value: number): void {
    this.n[metric]++;
    this.sum[metric] += value;
  }

  mean(metric: number): number {
    return this.n[metric] ? this.sum[metric] / this.n[metric] : NaN;
  }
}
