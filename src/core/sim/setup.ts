import type { RolloutPlan } from '../plan/schema';
import { DEFAULT_GATES, METRICS, type BuiltinMetric } from '../policy/defaults';
import type { MetricInfo } from './criteria';
import { compileGate, holeLimit, type CompiledGate } from './gate';
import { buildTimeline, type Timeline, type TimelineOptions } from './timeline';

/** Minutes without a reading that count as a gap, and the most a step's readings may stop before its end. */
export const DEFAULT_GAP_MINUTES = 5;

/**
 * Everything about a plan the simulator needs at every minute, worked out once: the timeline,
 * a fixed order of metrics (so a minute's readings fit in one small array), and each stage's gates.
 */
export interface SimSetup {
  plan: RolloutPlan;
  timeline: Timeline;
  metrics: MetricInfo[];
  metricIndex: Map<string, number>;
  /** Gates per stage index, pointing into `metrics`. */
  stageGates: CompiledGate[][];
  /** The shortest silence, in minutes, that counts as a hole in a 1-minute series. */
  gapLimit: number;
  /** Per metric index, minutes one reading stands for: the series' median spacing (1 for synthetic scenarios). */
  resolution: Float64Array;
  /** Per metric index, the silence in minutes that is a hole: the larger of `gapLimit` and a few of the series' own readings. */
  metricGapLimits: Float64Array;
}

export interface SetupOptions extends TimelineOptions {
  /** Metrics to carry besides the gated ones (a trace's series, the synthetic five). */
  extraMetrics?: readonly string[];
  gapMinutes?: number;
}

export function createSetup(plan: RolloutPlan, options: SetupOptions = {}): SimSetup {
  const timeline = buildTimeline(plan, options);
  const metrics: MetricInfo[] = [];
  const metricIndex = new Map<string, number>();
  const add = (name: string): number => {
    let i = metricIndex.get(name);
    if (i === undefined) {
      i = metrics.length;
      metricIndex.set(name, i);
      metrics.push(infoFor(plan, name));
    }
    return i;
  };
  for (const stage of plan.stages) {
    for (const g of stage.gates) add(g.metric);
    for (const c of stage.successCriteria) if (c.metric) add(c.metric);
  }
  for (const name of options.extraMetrics ?? []) add(name);
  for (const stage of plan.stages) for (const g of stage.gates) add(g.metric);
  return withResolution({ plan, timeline, metrics, metricIndex, stageGates: [], gapLimit: options.gapMinutes ?? DEFAULT_GAP_MINUTES, resolution: new Float64Array(0), metricGapLimits: new Float64Array(0) }, new Float64Array(metrics.length).fill(1));
}

/** The setup with its gates compiled for series of the given resolutions (minutes per reading, per metric index). */
export function withResolution(setup: SimSetup, resolution: Float64Array): SimSetup {
  const res = Float64Array.from(resolution, (r) => (r >= 1 && Number.isFinite(r) ? r : 1));
  const stageGates = setup.plan.stages.map((stage) => stage.gates.map((g) => {
    const i = setup.metricIndex.get(g.metric)!;
    return compileGate(g, i, res[i], setup.gapLimit);
  }));
  const metricGapLimits = Float64Array.from(res, (r) => holeLimit(r, setup.gapLimit));
  return { ...setup, resolution: res, metricGapLimits, stageGates };
}

function infoFor(plan: RolloutPlan, name: string): MetricInfo {
  for (const stage of plan.stages) {
    const g = stage.gates.find((x) => x.metric === name);
    if (g) return { name, label: g.label, unit: g.unit, above: g.direction === 'above', baseline: g.baseline };
  }
  if ((METRICS as readonly string[]).includes(name)) {
    const d = DEFAULT_GATES[name as BuiltinMetric];
    return { name, label: d.label, unit: d.unit, above: d.direction === 'above', baseline: d.baseline };
  }
  return { name, label: name, unit: '', above: true, baseline: NaN };
}
