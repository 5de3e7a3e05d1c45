/** Assessment + policy + start time → RolloutPlan, and the plan as Markdown and as terminal text. */
export { buildPlan, type PlanOptions } from './build';
export { resolveGates, levelOfAction } from './gates';
export { customMetrics } from './metrics';
export { planToMarkdown, type MarkdownOptions } from './markdown';
export { placedFindings, summarizePlan, type PlacedFinding, type PlanSummary } from './summary';
export { formatPlan } from './format';
export { parseIsoInZone, checkTimeZone, machineTimeZone, toIsoInZone } from './zone';
export * from './schema';
export * from './export';
