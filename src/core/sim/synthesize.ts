import { downsampleStream } from './downsample';
import type { MinuteGrid } from './replay';
import type { Readings } from './result';
import type { ScenarioModel } from './scenarios';
import type { MetricSeries, Trace } from './trace';

/**
 * One seeded run of a scenario as a result reads it, drawn again for the chart rather than kept: a seed
 * draws the same readings every time it is read from its first minute on, so nothing per minute is stored.
 */
export function scenarioReadings(model: ScenarioModel, seed: number): Readings {
  return {
    firstMinute: model.firstMinute,
    issues: [],
    points: (to, maxPoints) => {
      const source = model.source(seed);
      return downsampleStream(model.setup.metrics.length, source.firstMinute, to, (m, out) => source.fill(m, out), maxPoints);
    },
  };
}

/** Draws one seeded run of a scenario into per-minute rows (what a single simulation and its chart use). */
export function gridFromScenario(model: ScenarioModel, seed: number): MinuteGrid {
  const source = model.source(seed);
  const M = model.setup.metrics.length;
  const first = source.firstMinute;
  const rows = model.setup.timeline.totalMinutes - first;
  const values = Array.from({ length: M }, () => new Float64Array(rows));
  const buf = new Float64Array(M);
  for (let m = first; m < first + rows; m++) {
    source.fill(m, buf);
    for (let i = 0; i < M; i++) values[i][m - first] = buf[i];
  }
  return { firstMinute: first, values, issues: [] };
}

/**
 * The same run as a Trace, with timestamps from `startMs` (sim minute 0), for export or for replay
 * through the recorded-trace path. Minutes the scenario leaves unmeasured have no sample at all.
 */
export function synthesizeTrace(model: ScenarioModel, seed: number, startMs: number): Trace {
  const grid = gridFromScenario(model, seed);
  const series = new Map<string, MetricSeries>();
  model.setup.metrics.forEach((m, i) => {
    const row = grid.values[i];
    const times: number[] = [];
    const values: number[] = [];
    for (let r = 0; r < row.length; r++) {
      if (row[r] !== row[r]) continue;
      times.push(startMs + (r + grid.firstMinute) * 60000);
      values.push(row[r]);
    }
    if (times.length) series.set(m.name, { metric: m.name, times: Float64Array.from(times), values: Float64Array.from(values) });
  });
  return { source: `synthetic:${model.scenario}#${seed}`, series, issues: [] };
}
