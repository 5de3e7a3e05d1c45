/**
 * Running sums per metric over one promotion step: enough for a mean, a spread and a trend
 * (first third against last third), without keeping the samples.
 */
const FIELDS = 9;
const N = 0, SUM = 1, SQ = 2, N1 = 3, S1 = 4, Q1 = 5, N3 = 6, S3 = 7, Q3 = 8;

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
    const o = metric * FIELDS;
    const sq = value * value;
    d[o + N]++;
    d[o + SUM] += value;
    d[o + SQ] += sq;
    if (third === 0) {
      d[o + N1]++;
      d[o + S1] += value;
      d[o + Q1] += sq;
    } else if (third === 2) {
      d[o + N3]++;
      d[o + S3] += value;
      d[o + Q3] += sq;
    }
  }

  count(metric: number): number {
    return this.data[metric * FIELDS + N];
  }

  mean(metric: number): number {
    const o = metric * FIELDS;
    return this.data[o + N] ? this.data[o + SUM] / this.data[o + N] : NaN;
  }

  /** Standard error of the mean, treating samples as independent. */
  stderr(metric: number): number {
    const o = metric * FIELDS;
    return stderrOf(this.data[o + N], this.data[o + SUM], this.data[o + SQ]);
  }

  /** Means and standard errors of the first and last thirds. */
  trend(metric: number): { first: number; last: number; stderr: number; n1: number; n3: number } {
    const d = this.data;
    const o = metric * FIELDS;
    const n1 = d[o + N1];
    const n3 = d[o + N3];
    const e1 = stderrOf(n1, d[o + S1], d[o + Q1]);
    const e3 = stderrOf(n3, d[o + S3], d[o + Q3]);
    return { first: n1 ? d[o + S1] / n1 : NaN, last: n3 ? d[o + S3] / n3 : NaN, stderr: Math.sqrt(e1 * e1 + e3 * e3), n1, n3 };
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
