/** The view's door to what it shows of a plan the same way the CLI and the Markdown do: its summary and limits. */
export { irreversible } from '../core/catalog';
export { placeOf, summarizePlan } from '../core/plan/summary';
export { MAX_ROLLOUT_HOURS, MAX_STEP_WAIT_HOURS } from '../core/plan/schema';
