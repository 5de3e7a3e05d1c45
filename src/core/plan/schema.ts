import { z } from 'zod';
import { TIERS } from '../tier';

/** A threshold gate on one metric, as the plan applies it in a stage. */
export const GateSchema = z.strictObject({
  metric: z.string(),
  label: z.string(),
  unit: z.string(),
  baseline: z.number(),
  direction: z.enum(['above', 'below']),
  warning: z.number(),
  critical: z.number(),
  action: z.string(),
  /** Rollback level a critical reading triggers. */
  rollbackLevel: z.number().int().min(1).max(3),
  /** Minutes a critical reading must last before it rolls back (0 = at once). */
  sustainMinutes: z.number().min(0),
  /** Samples in a row over a threshold before the gate fires. */
  consecutive: z.number().int().min(1),
  /** Critical readings in one step that roll back even when none of them is in a run (default: 5, or what `consecutive` and the sustain time need). */
  failureLimit: z.number().int().min(1).max(1000).optional(),
  /** Warning readings in one step before it is held (default 3). */
  warningLimit: z.number().int().min(1).max(1000).optional(),
  /** A critical reading also opens an incident. */
  incident: z.boolean(),
});
export type Gate = z.infer<typeof GateSchema>;

/**
 * A stage success criterion made checkable. `kind` tells the simulator how to check it:
 * - `no-critical`, `no-warning`: no gate reading at that severity during the stage;
 * - `relative-to-baseline`: `metric` stays within `tolerancePercent` of the pre-rollout baseline;
 * - `stable`: `metric` does not trend up by more than `tolerancePercent` over the stage;
 * - `scales-linearly`: `metric` at this traffic share stays within `tolerancePercent` of the previous stage's;
 * - `manual`: a person checks it (e.g. "build succeeds").
 */
export const CriterionSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  kind: z.enum(['no-critical', 'no-warning', 'relative-to-baseline', 'stable', 'scales-linearly', 'manual']),
  metric: z.string().optional(),
  tolerancePercent: z.number().optional(),
});
export type Criterion = z.infer<typeof CriterionSchema>;

export const ScheduleNoteSchema = z.strictObject({
  /**
   * Which rule moved the step: `friday-afternoon`, `after-hours`, `weekend`, `holiday`, `before-holiday`, `peak-traffic`,
   * `outside-best-window`, or `overnight` (the seed's 50% stage holds through a night before the next step).
   */
  rule: z.string(),
  message: z.string(),
  /** How far the step moved, in minutes. */
  movedMinutes: z.number(),
});

/**
 * The longest wait of one step: 30 days. The seed's longest is 24 h of monitoring at 100 %; a step
 * that needs more than a month is not a rollout step but an open-ended soak, and a bound keeps the
 * simulator's work per plan finite.
 */
export const MAX_STEP_WAIT_HOURS = 720;

/**
 * The longest a policy's traffic steps (stages 3–5) may wait in all: 90 days, three times the longest
 * step. A plan adds stages 1–2 (the seed's 1 h of dark integration), so a plan file may hold a day more.
 */
export const MAX_ROLLOUT_HOURS = 2160;
export const MAX_PLAN_HOURS = MAX_ROLLOUT_HOURS + 24;

const waitBound = `at most ${MAX_STEP_WAIT_HOURS} h (30 days) per step`;

/** A step's wait, min to max hours: each at most 30 days, and max not below min. */
export const WaitHoursSchema = z
  .strictObject({
    min: z.number().min(0).max(MAX_STEP_WAIT_HOURS, `expected ${waitBound}`),
    max: z.number().min(0).max(MAX_STEP_WAIT_HOURS, `expected ${waitBound}`),
  })
  .refine((h) => h.max >= h.min, { message: 'expected max to be at least min (the wait runs from min to max hours)', path: ['max'] });

/** Sum of the steps' longest waits, in hours. */
export function totalMaxWait(steps: readonly { waitHours: { max: number } }[]): number {
  return steps.reduce((sum, s) => sum + s.waitHours.max, 0);
}

export const StepSchema = z.strictObject({
  /** Share of users exposed to the new behaviour (0 while its flag is off). */
  trafficPercent: z.number().min(0).max(100),
  waitHours: WaitHoursSchema,
  /** ISO-8601 times on the calendar, with the policy's UTC offset. */
  start: z.string(),
  end: z.string(),
  /** Why this step's start was moved from when the previous step ended, if it was. */
  moved: z.array(ScheduleNoteSchema).default([]),
  note: z.string().optional(),
});
export type Step = z.infer<typeof StepSchema>;

export const StageSchema = z.strictObject({
  number: z.number().int().min(1).max(5),
  name: z.enum(['Infrastructure', 'Integration', 'Canary', 'Partial', 'Full rollout']),
  required: z.boolean(),
  /** Why a stage is not required, or what it does for this tier. */
  reason: z.string(),
  /** What is deployed or enabled: e.g. "deploy with flag new-checkout OFF". */
  action: z.string(),
  steps: z.array(StepSchema),
  gates: z.array(GateSchema),
  successCriteria: z.array(CriterionSchema),
  rollback: z.strictObject({ level: z.number().int().min(1).max(3), action: z.string() }),
});
export type Stage = z.infer<typeof StageSchema>;

export const RollbackLevelSchema = z.strictObject({
  level: z.number().int().min(1).max(3),
  name: z.string(),
  action: z.string(),
  /** Typical time to take effect, for display. */
  time: z.string(),
  /** False when this change cannot be undone by this level (a breaking migration). */
  available: z.boolean(),
  note: z.string().optional(),
});

export const ChecklistItemSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  state: z.enum(['done', 'not-done', 'unknown']),
  /** What the change shows that decided the state. */
  evidence: z.string().optional(),
});
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;

/**
 * A metric to watch besides the seed's five: suggested from what the change touches (the seed's "Custom
 * Metrics to Track"), or a custom gate the policy defines. Only `gated` ones have thresholds in the stages.
 */
export const CustomMetricSchema = z.strictObject({
  /** snake_case name, the key a policy's `gates` would use to give it thresholds. */
  metric: z.string(),
  label: z.string(),
  /** One sentence: which file or finding calls for it, or the policy gate it comes from. */
  why: z.string(),
  source: z.enum(['suggested', 'policy']),
  gated: z.boolean(),
  /** Where the change calls for it (the first place, by path and line): for a link to the code. */
  file: z.string().optional(),
  /** 1-based line in `file`; 0 when the finding concerns the whole file. */
  line: z.number().int().min(0).optional(),
});
export type CustomMetric = z.infer<typeof CustomMetricSchema>;

export const RolloutPlanSchema = z.strictObject({
  tier: z.enum(TIERS),
  strategy: z.enum(['immediate', 'flag-gated', 'canary', 'extended-canary']),
  /** The seed's decision framework: blue/green, canary or phased, with its reason and cost. */
  deployment: z.strictObject({
    pattern: z.enum(['blue-green', 'canary', 'phased']),
    reason: z.string(),
    benefit: z.string(),
    cost: z.string(),
  }),
  monitoring: z.string(),
  /** Flag-guarded code in the change, deployed OFF in stages 1–2 and turned on in 3–5. */
  flags: z.array(z.strictObject({ name: z.string(), tier: z.enum(TIERS), files: z.array(z.string()) })).default([]),
  stages: z
    .array(StageSchema)
    .length(5)
    .refine((stages) => totalMaxWait(stages.flatMap((st) => st.steps)) <= MAX_PLAN_HOURS, {
      message: `expected the steps' longest waits (waitHours.max) to add up to at most ${MAX_PLAN_HOURS} h (91 days) in all`,
    }),
  /** Metrics to watch besides the seed's five, for what this change touches; none for a ZERO-risk change. */
  customMetrics: z.array(CustomMetricSchema).optional(),
  rollbackLevels: z.array(RollbackLevelSchema),
  /** Set when Level 1 cannot undo the change (a breaking migration): what to do instead. */
  rollbackWarning: z.string().optional(),
  checklist: z.array(ChecklistItemSchema),
  postRollback: z.array(z.strictObject({ step: z.number().int(), title: z.string(), detail: z.string() })),
  schedule: z.strictObject({
    timezone: z.string(),
    start: z.string(),
    end: z.string(),
    /** Total hours from first step to last, using each wait's minimum. */
    totalHours: z.number(),
    securityHotfix: z.boolean(),
    notes: z.array(z.string()),
  }),
});
export type RolloutPlan = z.infer<typeof RolloutPlanSchema>;
