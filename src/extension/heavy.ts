/**
 * Everything activation does not need, bundled apart as dist/heavy.js: git and the risk rules,
 * the SQL parser, the planner, the simulator, zod and the plan panel host. Compiling it would
 * otherwise be most of the activation time.
 */
import * as pipeline from '../core/pipeline';

/** The one composition of src/core's stages, the one the CLI runs. */
export { pipeline };
export { PlanPanel } from './panel/planPanel';
export { readRepositoryPolicy, writeRepositoryPolicy } from '../core/policy/file';
export { FAULT_PRESETS, faultPreset } from './faults';
export { placedFindings } from '../core/plan/summary';
export { whatIfOfPlan } from '../protocol/whatIf';
