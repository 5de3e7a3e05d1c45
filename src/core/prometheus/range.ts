/** The time range of a replay, split into the pieces Prometheus answers in one query_range each. */

/** Prometheus refuses a query_range whose (end − start) / step exceeds this. */
export const MAX_POINTS_PER_QUERY = 11_000;

/** The last evaluation on the step grid from `fromMs` that falls within a plan of `planMinutes`: what the plan needs, no more. */
export function planEndMs(fromMs: number, planMinutes: number, stepMs: number): number {
  const points = Math.max(1, Math.ceil((planMinutes * 60_000) / stepMs));
  return fromMs + (points - 1) * stepMs;
}

export interface RangeChunk {
  /** Epoch milliseconds of the first and last evaluation, both on the step grid of the whole range. */
  startMs: number;
  endMs: number;
}

/**
 * Consecutive chunks of at most `maxPoints` evaluations each, on one grid from `startMs`: joined in
 * order they give exactly the evaluations one unlimited query would, none twice.
 */
export function rangeChunks(startMs: number, endMs: number, stepMs: number, maxPoints = MAX_POINTS_PER_QUERY): RangeChunk[] {
  const points = Math.floor((endMs - startMs) / stepMs) + 1;
  const chunks: RangeChunk[] = [];
  for (let first = 0; first < points; first += maxPoints) {
    const last = Math.min(points, first + maxPoints) - 1;
    chunks.push({ startMs: startMs + first * stepMs, endMs: startMs + last * stepMs });
  }
  return chunks;
}
