/**
 * Seeded randomness for synthetic traces: the same seed always gives the same trace, on every
 * machine, so a scenario a test or a bug report names can be replayed exactly.
 */

// Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
const A1 = -3.969683028665376e1, A2 = 2.209460984245205e2, A3 = -2.759285104469687e2, A4 = 1.38357751867269e2, A5 = -3.066479806614716e1, A6 = 2.506628277459239;
const B1 = -5.447609879822406e1, B2 = 1.615858368580409e2, B3 = -1.556989798598866e2, B4 = 6.680131188771972e1, B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3, C2 = -3.223964580411365e-1, C3 = -2.400758277161838, C4 = -2.549732539343734, C5 = 4.374664141464968, C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3, D2 = 3.224671290700398e-1, D3 = 2.445134137142996, D4 = 3.754408661907416;
const P_LOW = 0.02425;

/** The standard normal quantile of p in (0, 1). */
export function normalQuantile(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) / (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
}

/**
 * The quantile at the edges of 2,048 equal-probability bins: a normal is then one uniform, a table
 * read and a linear interpolation — no logarithm, no rejection, no division. The two outer bins
 * (1 draw in 1,024), where the quantile bends too fast to interpolate, are computed exactly.
 */
const BIN_BITS = 11;
const BINS = 1 << BIN_BITS;
const FRACTION = 1 / 2 ** (32 - BIN_BITS);
const EDGES = Float64Array.from({ length: BINS + 1 }, (_, k) => (k === 0 || k === BINS ? NaN : normalQuantile(k / BINS)));
const LOW_BITS = (1 << (32 - BIN_BITS)) - 1;

/** A standard normal from 32 uniform bits: the top 11 pick the bin, the rest place it inside. */
function normalOfBits(x: number): number {
  const i = x >>> (32 - BIN_BITS);
  if (i === 0 || i === BINS - 1) return normalQuantile((x + 0.5) / 4294967296);
  const lo = EDGES[i];
  return lo + (x & LOW_BITS) * FRACTION * (EDGES[i + 1] - lo);
}

/** mulberry32: 32 bits of state, a handful of integer ops per draw, good enough for noise. */
export class Rng {
  // The state lives in a typed array: a 32-bit state in a plain field would be boxed as a heap
  // number on every draw, and the garbage collector would then cost more than the noise itself.
  private readonly state = new Int32Array(1);

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Starts the stream of `seed` again, as a new generator would (one generator serves many runs). */
  reseed(seed: number): void {
    // Mix the seed so neighbouring seeds (1, 2, 3 …) start far apart.
    this.state[0] = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35;
  }

  /** 32 random bits, as an unsigned integer. */
  private bits(): number {
    let t = (this.state[0] = (this.state[0] + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.bits() / 4294967296;
  }

  /** Standard normal, by inversion of one uniform: the top 11 bits pick the bin, the rest place it inside. */
  normal(): number {
    return normalOfBits(this.bits());
  }

  /**
   * Fills `out[0 … minutes·(normals + uniforms))` with, per minute, `normals` standard normals then
   * `uniforms` uniforms: exactly what as many `normal()` and `next()` calls in that order return.
   * One call per block of minutes keeps the draws in one tight loop, where they are inlined and no
   * number is boxed, instead of a function call per reading.
   */
  fill(out: Float64Array, minutes: number, normals: number, uniforms: number): void {
    const stride = normals + uniforms;
    for (let j = 0; j < minutes; j++) {
      const o = j * stride;
      for (let k = 0; k < normals; k++) out[o + k] = this.normal();
      for (let k = normals; k < stride; k++) out[o + k] = this.next();
    }
  }
}

/**
 * xoshiro128**: 128 bits of state, for the Monte Carlo fast path, which draws few numbers per run
 * but leans on each (one uniform places a whole stretch of minutes), where mulberry32's short state
 * shows correlations between nearby draws.
 */
export class Rng128 {
  private readonly s = new Int32Array(4);

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Fills the state from the seed with splitmix32, so neighbouring seeds start far apart. */
  reseed(seed: number): void {
    let x = seed | 0;
    for (let k = 0; k < 4; k++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[k] = z ^ (z >>> 16);
    }
  }

  private bits(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9);
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r >>> 0;
  }

  /** Uniform in [0, 1), 53 bits. */
  next(): number {
    return (this.bits() * 2097152 + (this.bits() >>> 11)) / 9007199254740992;
  }

  /** Standard normal, by inversion through the same table as `Rng`. */
  normal(): number {
    return normalOfBits(this.bits());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
