/** What the benchmarks share: a seeded generator (every run benchmarks the same input) and the median. */

/** A small linear congruential generator: `rand(n)` in [0, n), `pick` one of a list. */
export function seeded(seed: number) {
  let state = seed;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
  return { rand, pick };
}

export const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The middle value (the upper one of an even count), the figure a noisy machine reports best. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1];
}
