/** Hand-made traces at 1-minute resolution: healthy constants everywhere, with the readings a test cares about. */
import type { MetricSeries, Trace } from '../../../src/core/sim/trace';

export const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);

const HEALTHY: Record<string, number> = {
  error_rate: 0.05,
  latency_p95_ms: 150,
  success_rate: 99.95,
  db_errors_per_min: 2,
  security_alerts: 0,
};

/** `overrides[metric](minute)` returns the reading, or undefined for "no sample at this minute". */
export function handTrace(minutes: number, overrides: Record<string, (minute: number) => number | undefined> = {}, from = 0): Trace {
  const series = new Map<string, MetricSeries>();
  for (const [metric, healthy] of Object.entries(HEALTHY)) {
    const times: number[] = [];
    const values: number[] = [];
    for (let m = from; m < minutes; m++) {
      const v = overrides[metric] ? overrides[metric](m) : healthy;
      if (v === undefined) continue;
      times.push(T0 + m * 60000);
      values.push(v);
    }
    series.set(metric, { metric, times: Float64Array.from(times), values: Float64Array.from(values) });
  }
  return { source: 'hand-made', series, issues: [] };
}

/** A reading that is `bad` inside [from, to) and healthy elsewhere. */
export function during(from: number, to: number, bad: number, healthy: number): (m: number) => number {
  return (m) => (m >= from && m < to ? bad : healthy);
}
