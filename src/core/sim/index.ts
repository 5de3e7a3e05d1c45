/** The simulator: plan + traces (synthetic or recorded) → gates, stage decisions, Monte Carlo. */
export { simulateTrace, simulateScenario, scenarioModel, type SimulateOptions } from './simulate';
export { injectFault, parseFault } from './fault';
export { monteCarlo } from './montecarlo';
export { synthesizeTrace } from './synthesize';
export { SCENARIO_NAMES, SCENARIOS, isScenario, scenarioOrThrow, type Fault, type ScenarioName } from './scenarios';
export { buildTimeline, type Timeline } from './timeline';
export type { SimulationResult, MonteCarloResult, Alert, StageResult } from './schema';
