import { normalQuantile } from './prng';

/**
 * A quantile metric (a p95 latency) of two versions sharing the traffic is not the traffic-weighted
 * mean of their quantiles: the p95 of the mix is the value 95 % of all requests stay under. Each
 * version's latency is modelled as a log-normal whose quantile is the version's reading, with the
 * same spread, and the mixture's quantile is solved from its CDF. Rates (error rate, success rate,
 * errors per minute) are means of the traffic, so for them the weighted mean is right.
 */

/**
 * Spread of log latency (σ of its logarithm): the p95 is then 1.64× the median, a service whose
 * slowest requests take well under twice the typical one.
 */
export const LATENCY_SPREAD = 0.3;

/** The quantile a metric's name says it is (`latency_p95_ms` → 0.95, `checkout_p99_9_ms` is not read), else undefined. */
export function quantileOf(metric: string): number | undefined {
  const m = /(?:^|_)p(\d{1,2})(?:_|$)/.exec(metric);
  if (!m) return undefined;
  const q = Number(m[1]) / 100;
  return q > 0 && q < 1 ? q : undefined;
}

/** The standard normal CDF (complementary error function, relative error below 1.2e-7, also far in the tails). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * r : 0.5 * r;
}

/** Normal quantiles of the probabilities a quantile metric is read at, worked out once each. */
const Z_OF = new Map<number, number>();
function zOf(q: number): number {
  let z = Z_OF.get(q);
  if (z === undefined) Z_OF.set(q, (z = normalQuantile(q)));
  return z;
}

/**
 * The `q`-quantile of the traffic mix: `1 − share` of the requests from a version whose q-quantile is
 * `oldValue`, `share` from one whose q-quantile is `newValue`. Exact at the ends (share 0 or 1, equal
 * versions); otherwise bisection on the log scale to a relative error of about 1e-9.
 */
export function mixtureQuantile(oldValue: number, newValue: number, share: number, q = 0.95, spread = LATENCY_SPREAD): number {
  if (share <= 0 || oldValue === newValue) return oldValue;
  if (share >= 1) return newValue;
  if (!(oldValue > 0 && newValue > 0) || !Number.isFinite(oldValue) || !Number.isFinite(newValue)) {
    // Outside the log-normal's range (0, an infinity, NaN): the worse of the two dominates the tail.
    return Math.max(oldValue, newValue);
  }
  const z = zOf(q);
  const a = Math.log(oldValue);
  const b = Math.log(newValue);
  // The mixture's quantile lies between the two versions' quantiles.
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  for (let k = 0; k < 60 && hi - lo > 1e-9; k++) {
    const mid = 0.5 * (lo + hi);
    const f = (1 - share) * normalCdf((mid - a) / spread + z) + share * normalCdf((mid - b) / spread + z);
    if (f < q) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}
