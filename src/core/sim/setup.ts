import type { RolloutPlan } from '../plan/schema';
import { DEFAULT_GATES, METRICS, type BuiltinMetric } from '../policy/defaults';
import type { MetricInfo } from './criteria';
import { compileGate, type CompiledGate } from './gate';
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
  /** A silence longer than this many minutes is reported as a gap and breaks a run of bad readings. */
  gapLimit: number;
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
  const stageGates = plan.stages.map((stage) => stage.gates.map((g) => compileGate(g, add(g.metric))));
  return { plan, timeline, metrics, metricIndex, stageGates, gapLimit: options.gapMinutes ?? DEFAULT_GAP_MINUTES };
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
