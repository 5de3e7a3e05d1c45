import type { RolloutPlan } from '../plan/schema';
import type { SimulationResult } from './schema';
import { runEngine } from './engine';
import { buildResult } from './result';
import { sparseGridFromTrace, sparseReadings, sparseSource } from './replay';
import { ScenarioModel, type Fault, type ScenarioName } from './scenarios';
import { createSetup, withResolution, type SetupOptions } from './setup';
import { seriesResolution } from './coverage';
import { scenarioReadings } from './synthesize';
import type { Trace } from './trace';

export interface SimulateOptions extends Omit<SetupOptions, 'extraMetrics'> {
  /** Points per series kept for display. */
  maxPoints?: number;
}

/** Replays a trace (recorded, or synthesized) through the plan. `alignAt`: epoch ms of sim minute 0, default the trace's first sample. */
export function simulateTrace(plan: RolloutPlan, trace: Trace, options: SimulateOptions & { alignAt?: number } = {}): SimulationResult {
  const base = createSetup(plan, { ...options, extraMetrics: [...trace.series.keys()] });
  const grid = sparseGridFromTrace(trace, base, options.alignAt);
  const setup = withResolution(base, seriesResolution(grid.rows));
  const run = runEngine(setup, sparseSource(grid));
  // A hold pauses for a person: what follows if they resume is replayed from the same readings.
  const resumed = run.outcome === 'halted' ? runEngine(setup, sparseSource(grid), true, true) : undefined;
  return buildResult(setup, sparseReadings(grid), run, options.maxPoints, resumed);
}

/** One seeded run of a synthetic scenario through the plan, with optional extra faults on the new version. */
export function simulateScenario(
  plan: RolloutPlan,
  scenario: ScenarioName,
  seed: number,
  options: SimulateOptions & { faults?: readonly Fault[] } = {},
): SimulationResult {
  const model = scenarioModel(plan, scenario, options);
  const run = runEngine(model.setup, model.source(seed));
  const resumed = run.outcome === 'halted' ? runEngine(model.setup, model.source(seed), true, true) : undefined;
  const result = buildResult(model.setup, scenarioReadings(model, seed), run, options.maxPoints, resumed);
  return { ...result, scenario, seed };
}

export function scenarioModel(plan: RolloutPlan, scenario: ScenarioName, options: SetupOptions & { faults?: readonly Fault[] } = {}): ScenarioModel {
  const setup = createSetup(plan, { ...options, extraMetrics: ['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts'] });
  return new ScenarioModel(setup, scenario, options.faults);
}
