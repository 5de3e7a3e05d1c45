import { z } from 'zod';

/** A reading: any number but NaN. ±Infinity is a reading beyond every threshold (histogram_quantile above its top bucket). */
export const ReadingSchema = z.union([z.number(), z.literal(Infinity), z.literal(-Infinity)]);

export const AlertSchema = z.strictObject({
  minute: z.number(),
  stage: z.number().int(),
  metric: z.string(),
  severity: z.enum(['warning', 'critical']),
  value: ReadingSchema,
  threshold: z.number(),
  message: z.string().optional(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const CriterionResultSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  kind: z.string(),
  /** `assumed`: a manual criterion, listed for a person to check; `no-data`: nothing to judge it on. */
  status: z.enum(['met', 'failed', 'assumed', 'no-data']),
  detail: z.string(),
});
export type CriterionResult = z.infer<typeof CriterionResultSchema>;

export const MonteCarloResultSchema = z.strictObject({
  runs: z.number().int(),
  scenario: z.string(),
  firstSeed: z.number().int(),
  /** Shares of runs, 0–1. */
  promoted: z.number(),
  rolledBack: z.number(),
  halted: z.number(),
  /** Where runs that did not promote were stopped: stage, and whether by a rollback or a hold. */
  caughtAt: z.array(
    z.strictObject({ stage: z.number().int(), name: z.string(), rolledBack: z.number().int(), halted: z.number().int(), share: z.number() }),
  ),
  /** User-traffic-minutes exposed to the new version before rollback (or to the end), over all runs. */
  blastRadius: z.strictObject({ min: z.number(), median: z.number(), p95: z.number(), max: z.number() }),
  elapsedMs: z.number(),
});
export type MonteCarloResult = z.infer<typeof MonteCarloResultSchema>;

export const StageResultSchema = z.strictObject({
  number: z.number().int(),
  name: z.string(),
  decision: z.enum(['promoted', 'rolled_back', 'held', 'skipped', 'not_reached']),
  startMinute: z.number(),
  endMinute: z.number(),
  reason: z.string().optional(),
  /** Per-step boundaries inside the stage: minute offset and traffic share. */
  steps: z.array(z.strictObject({ startMinute: z.number(), endMinute: z.number(), trafficPercent: z.number() })).default([]),
  /** How each success criterion fared at the last promotion point checked in this stage. */
  criteria: z.array(CriterionResultSchema).default([]),
});
export type StageResult = z.infer<typeof StageResultSchema>;

export const RollbackSchema = z.strictObject({
  stage: z.number().int(),
  minute: z.number(),
  metric: z.string(),
  value: ReadingSchema,
  threshold: z.number(),
  level: z.number().int(),
});

const Verdict = z.enum(['pass', 'marginal', 'fail', 'no-data']);
const Sample = z.strictObject({ count: z.number().int(), median: ReadingSchema.nullable() });

/** The canary judged against its baseline series (the stable version's), per gated metric and step. */
export const BaselineComparisonSchema = z.strictObject({
  /** One-sided Mann–Whitney U test in the gate's bad direction, on the step's readings of both series. */
  method: z.literal('mann-whitney'),
  /** A worse canary fails at p below `failP` when its median shift takes at least `failShare` of the baseline's room to the warning; it is marginal at p below `marginalP`. */
  failP: z.number(),
  marginalP: z.number(),
  failShare: z.number(),
  metrics: z.array(
    z.strictObject({
      metric: z.string(),
      label: z.string(),
      unit: z.string(),
      direction: z.enum(['above', 'below']),
      steps: z.array(
        z.strictObject({
          stage: z.number().int(),
          name: z.string(),
          trafficPercent: z.number(),
          startMinute: z.number(),
          /** The end of the step, or where the rollout stopped inside it. */
          endMinute: z.number(),
          verdict: Verdict,
          canary: Sample,
          baseline: Sample,
          u: z.number().nullable(),
          p: z.number().nullable(),
          exact: z.boolean(),
          /** Canary median minus baseline median, in the gate's unit. */
          shift: ReadingSchema.nullable(),
          /** Canary median over baseline median. */
          ratio: z.number().nullable(),
          detail: z.string(),
        }),
      ),
    }),
  ),
  /** One line a person reads at a glance. */
  verdict: z.string(),
  /** The first step that failed: where the comparison would have rolled back (at that step's end). */
  firstFail: z.strictObject({ metric: z.string(), stage: z.number().int(), trafficPercent: z.number(), minute: z.number() }).nullable(),
  /** Against the thresholds' verdict: what rolling back on the comparison would have changed. */
  wouldHaveChanged: z.string(),
  /** User-traffic-minutes exposed up to the first failed step's end; null when no step failed. */
  blastRadius: z.number().nullable(),
});
export type BaselineComparison = z.infer<typeof BaselineComparisonSchema>;

export const SimulationResultSchema = z.strictObject({
  outcome: z.enum(['promoted', 'rolled_back', 'halted']),
  /** One line a person reads at a glance. */
  verdict: z.string(),
  stages: z.array(StageResultSchema),
  rollback: RollbackSchema.nullable(),
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
      points: z.array(z.tuple([z.number(), ReadingSchema])),
    }),
  ),
  /** User-traffic-minutes exposed to the new version before rollback (or to the end). */
  blastRadius: z.number().optional(),
  scenario: z.string().optional(),
  seed: z.number().optional(),
  /** Where the readings came from: a trace's files, or `synthetic:<scenario>#<seed>`. */
  source: z.string().optional(),
  /** Minutes simulated, from minute 0 to the rollback, the hold or the end of the plan. */
  durationMinutes: z.number().optional(),
  /** Set when the outcome is `halted`: what the hold waits on, and what resuming it would mean. */
  hold: z
    .strictObject({
      kind: z.enum(['no-data', 'hole', 'warning', 'critical', 'criterion', 'before-exposure', 'unwatched']),
      stage: z.number().int(),
      trafficPercent: z.number(),
      /** Minute the hold was decided. */
      minute: z.number(),
      metrics: z.array(z.string()),
      /** The unobserved minutes (a hole, no data), or the run older than the rollout. */
      from: z.number().optional(),
      to: z.number().optional(),
      /** Readings counted towards the limit that held, and that limit. */
      count: z.number().int().optional(),
      limit: z.number().optional(),
      waitsOn: z.string(),
      resume: z.string(),
    })
    .optional(),
  /**
   * Set beside `hold`: the same rollout had an operator resumed it at each hold. The outcome stays
   * `halted`; this is what would have followed, from the hold on.
   */
  afterResume: z
    .strictObject({
      outcome: z.enum(['promoted', 'rolled_back', 'halted']),
      verdict: z.string(),
      /** Every hold resumed, the first being `hold`'s. */
      holds: z.array(z.strictObject({ minute: z.number(), stage: z.number().int(), reason: z.string() })),
      rollback: RollbackSchema.nullable(),
      /** Alerts raised after the hold. */
      alerts: z.array(AlertSchema),
      durationMinutes: z.number(),
      blastRadius: z.number(),
    })
    .optional(),
  /** Set when the trace carries baseline series (`prometheus.baseline`): the canary judged against them, beside the thresholds. */
  baselineComparison: BaselineComparisonSchema.optional(),
  /** Set when several seeded runs were made (`--runs N`); the rest of the result is the first run. */
  monteCarlo: MonteCarloResultSchema.optional(),
});
export type SimulationResult = z.infer<typeof SimulationResultSchema>;
