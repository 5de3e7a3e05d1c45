import { z } from 'zod';

export const AlertSchema = z.strictObject({
  minute: z.number(),
  stage: z.number().int(),
  metric: z.string(),
  severity: z.enum(['warning', 'critical']),
  value: z.number(),
  threshold: z.number(),
  message: z.string().optional(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const StageResultSchema = z.strictObject({
  number: z.number().int(),
  name: z.string(),
  decision: z.enum(['promoted', 'rolled_back', 'held', 'skipped', 'not_reached']),
  startMinute: z.number(),
  endMinute: z.number(),
  reason: z.string().optional(),
  /** Per-step boundaries inside the stage: minute offset and traffic share. */
  steps: z.array(z.strictObject({ startMinute: z.number(), endMinute: z.number(), trafficPercent: z.number() })).default([]),
});
export type StageResult = z.infer<typeof StageResultSchema>;

export const SimulationResultSchema = z.strictObject({
  outcome: z.enum(['promoted', 'rolled_back', 'halted']),
  /** One line a person reads at a glance. */
  verdict: z.string(),
  stages: z.array(StageResultSchema),
  rollback: z
    .strictObject({
      stage: z.number().int(),
      minute: z.number(),
      metric: z.string(),
      value: z.number(),
      threshold: z.number(),
      level: z.number().int(),
    })
    .nullable(),
  alerts: z.array(AlertSchema),
  incidents: z.array(z.strictObject({ minute: z.number(), metric: z.string(), message: z.string() })).default([]),
  /** Data problems found in the traces (gaps, duplicates, NaN …), each reported, never silently passed. */
  dataIssues: z.array(z.strictObject({ metric: z.string(), kind: z.string(), count: z.number(), message: z.string() })).default([]),
  /** Everything a chart needs. */
  series: z.array(
    z.strictObject({
      metric: z.string(),
      label: z.string(),
      unit: z.string(),
      warning: z.number(),
      critical: z.number(),
      direction: z.enum(['above', 'below']),
      /** [minute, value] pairs, possibly downsampled for display. */
      points: z.array(z.tuple([z.number(), z.number()])),
    }),
  ),
  /** User-traffic-minutes exposed to the new version before rollback (or to the end). */
  blastRadius: z.number().optional(),
  scenario: z.string().optional(),
  seed: z.number().optional(),
});
export type SimulationResult = z.infer<typeof SimulationResultSchema>;
