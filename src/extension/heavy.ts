/**
 * Everything activation does not need, bundled apart as dist/heavy.js: git and the risk rules,
 * the SQL parser, the planner, the simulator, zod and the plan panel host. Compiling it would
 * otherwise be most of the activation time.
 */
export { engine } from './engineImpl';
export { PlanPanel } from './panel/planPanel';
export { readRepositoryPolicy, writeRepositoryPolicy } from '../core/policy/file';
