/**
 * Seeded randomness for synthetic traces: the same seed always gives the same trace, on every
 * machine, so a scenario a test or a bug report names can be replayed exactly.
 */

/** mulberry32: 32 bits of state, a handful of integer ops per draw, good enough for noise. */
export class Rng {
  // State and spare live in typed arrays: a 32-bit state in a plain field would be boxed as a heap
  // number on every draw, and the garbage collector would then cost more than the noise itself.
  private readonly state = new Int32Array(1);
  /** The second normal of the last polar Box–Muller pair, NaN when used up. */
  private readonly spare = new Float64Array([NaN]);

  constructor(seed: number) {
    // Mix the seed so neighbouring seeds (1, 2, 3 …) start far apart.
    this.state[0] = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state[0] = (this.state[0] + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal, by the polar form of Box–Muller (no trigonometry), using both values of each pair. */
  normal(): number {
    const s = this.spare[0];
    if (s === s) {
      this.spare[0] = NaN;
      return s;
    }
    let u: number, v: number, r: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      r = u * u + v * v;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt((-2 * Math.log(r)) / r);
    this.spare[0] = v * f;
    return u * f;
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
