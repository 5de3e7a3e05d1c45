/**
 * The Mann–Whitney U test (Wilcoxon rank-sum) of two independent samples, as the canary-against-
 * baseline judge reads it: ranks with ties sharing their average rank, the normal approximation with
 * the tie correction of the variance and a continuity correction of ½, and the exact distribution of
 * U when both samples are small and untied.
 */
import { normalCdf } from './mixture';

export type Alternative = 'greater' | 'less' | 'two-sided';

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, a tie counting ½. */
  u: number;
  n1: number;
  n2: number;
  /** The normal deviate with the tie and continuity corrections; NaN for an exact p-value. */
  z: number;
  /** P-value of the alternative: x tends to be greater than y, less, or either. */
  p: number;
  exact: boolean;
}

/** Samples smaller than this on both sides and without ties take the exact distribution of U. */
export const EXACT_BELOW = 50;

export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>, alternative: Alternative): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitney: both samples need at least one value');
  const n = n1 + n2;
  const all = new Float64Array(n);
  for (let i = 0; i < n1; i++) all[i] = x[i];
  for (let j = 0; j < n2; j++) all[n1 + j] = y[j];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => all[a] - all[b] || 0);
  // Average ranks of tied runs, and Σ(t³ − t) over them for the variance.
  let rankSumX = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && all[order[j]] === all[order[i]]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k] < n1) rankSumX += rank;
    const t = j - i;
    if (t > 1) ties += t * t * t - t;
    i = j;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  if (ties === 0 && n1 < EXACT_BELOW && n2 < EXACT_BELOW) {
    return { u, n1, n2, z: NaN, p: exactP(u, n1, n2, alternative), exact: true };
  }
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (!(variance > 0)) return { u, n1, n2, z: 0, p: 1, exact: false };
  const sd = Math.sqrt(variance);
  const d = u - mean;
  const correction = alternative === 'greater' ? 0.5 : alternative === 'less' ? -0.5 : Math.sign(d) * 0.5;
  const z = (d - correction) / sd;
  const p = alternative === 'greater' ? 1 - normalCdf(z) : alternative === 'less' ? normalCdf(z) : Math.min(1, 2 * Math.min(normalCdf(z), 1 - normalCdf(z)));
  return { u, n1, n2, z, p, exact: false };
}

/** P-value from the exact null distribution of U for samples of n1 and n2 without ties. */
function exactP(u: number, n1: number, n2: number, alternative: Alternative): number {
  const f = uFrequencies(n1, n2);
  let total = 0;
  for (const c of f) total += c;
  let below = 0;
  for (let k = 0; k <= Math.min(f.length - 1, Math.floor(u)); k++) below += f[k];
  let above = 0;
  for (let k = Math.max(0, Math.ceil(u)); k < f.length; k++) above += f[k];
  const lower = below / total;
  const upper = above / total;
  return alternative === 'greater' ? upper : alternative === 'less' ? lower : Math.min(1, 2 * Math.min(lower, upper));
}

/**
 * How many of the C(n1 + n2, n1) orderings give each U = 0 … n1·n2: the coefficients of the Gaussian
 * binomial ∏_{i=1..n1} (1 − q^(n2+i)) / (1 − q^i), built one factor at a time.
 */
export function uFrequencies(n1: number, n2: number): Float64Array {
  const c = new Float64Array(n1 * n2 + 1);
  c[0] = 1;
  for (let i = 1; i <= n1; i++) {
    const k = n2 + i;
    for (let j = c.length - 1; j >= k; j--) c[j] -= c[j - k];
    for (let j = i; j < c.length; j++) c[j] += c[j - i];
  }
  return c;
}
