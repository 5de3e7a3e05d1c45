import { z } from 'zod';
import { MAX_ROLLOUT_HOURS, totalMaxWait, WaitHoursSchema } from '../plan/schema';
import type { RuleId } from '../catalog';
import { TIERS } from '../tier';

/** Rule ids whose keyword lists a policy can extend. */
export const KEYWORD_RULES = ['auth', 'payment', 'data-write', 'middleware', 'api', 'migration', 'test', 'docs', 'infrastructure'] as const satisfies readonly RuleId[];

/** Longest path glob the policy accepts, and most globs per list: matching cost grows with both. */
export const MAX_GLOB_LENGTH = 256;
export const MAX_GLOBS = 200;

const glob = z
  .string()
  .min(1)
  .max(MAX_GLOB_LENGTH, `a glob of at most ${MAX_GLOB_LENGTH} characters`);
const globList = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_GLOBS, `at most ${MAX_GLOBS} entries`);

/**
 * Records keyed by names the user chose (flags, gates, queries) are parsed into objects without a
 * prototype, so a flag or gate called `constructor` or `toString` is looked up as itself.
 */
function keyedByName<T extends object>(record: T): T {
  return Object.assign(Object.create(null) as T, record);
}

const tier = z.enum(TIERS);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24-hour)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const day = z.number().int().min(0).max(6);

export const StepOverrideSchema = z.strictObject({
  trafficPercent: z.number().min(0).max(100),
  waitHours: WaitHoursSchema,
});

export const GateOverrideSchema = z.strictObject({
  label: z.string().optional(),
  unit: z.string().optional(),
  baseline: z.number().optional(),
  direction: z.enum(['above', 'below']).optional(),
  warning: z.number().optional(),
  critical: z.number().optional(),
  action: z.string().optional(),
  sustainMinutes: z.number().min(0).optional(),
  consecutive: z.number().int().min(1).optional(),
  /** Critical readings in one step, in a row or not, that roll back (1–1000). */
  failureLimit: z.number().int().min(1).max(1000).optional(),
  /** Warning readings in one step, in a row or not, that hold it (1–1000). */
  warningLimit: z.number().int().min(1).max(1000).optional(),
  incident: z.boolean().optional(),
  /** Turn a gate off entirely (a metric the service does not have). */
  enabled: z.boolean().optional(),
});

/** `.rollout-lens.json` at the repository root. Unknown fields are errors, so a typo is never silently ignored. */
export const PolicySchema = z.strictObject({
  $schema: z.string().optional(),
  /** Path globs forced to a tier, first match wins. */
  tiers: globList(z.strictObject({ glob, tier, reason: z.string().optional() })).default([]),
  /** Extra keywords per rule (matched as words, case-insensitive). */
  keywords: z.partialRecord(z.enum(KEYWORD_RULES), z.array(z.string().min(1))).default({}).transform(keyedByName),
  /** Path globs left out of the analysis. */
  ignore: globList(glob).default([]),
  /** Known feature flags and their state in production. A flag not listed here and introduced by the change is OFF. */
  flags: z.record(z.string(), z.enum(['on', 'off'])).default({}).transform(keyedByName),
  /** Extra function names that count as flag checks, e.g. `myFlags.check`. */
  flagFunctions: z.array(z.string().min(1)).default([]),
  /** How migrations are read: the SQL dialect (detected from the project when absent), and the tier of what could not be parsed (HIGH). */
  migrations: z
    .strictObject({
      dialect: z.enum(['postgresql', 'mysql', 'sqlite']).optional(),
      unparsed: tier.optional(),
    })
    .optional(),
  /** A security hotfix deploys at once, outside the deployment windows. */
  securityHotfix: z.boolean().default(false),
  /** IANA time zone for the calendar, e.g. Europe/Berlin. Default: the machine's. */
  timezone: z.string().optional(),
  /** Days no step may start on, nor the day before (team unavailable). */
  holidays: z.array(isoDate).default([]),
  /** When steps may start, replacing the seed's windows (Tue–Thu 10:00–14:00, Mon 11:00–14:00; never after 16:00, nor Friday after 12:00). */
  timing: z
    .strictObject({
      bestWindows: z
        .array(z.strictObject({ days: z.array(day).min(1), start: hhmm, end: hhmm, quality: z.enum(['optimal', 'acceptable']).default('optimal') }))
        .min(1)
        .optional(),
      latestStart: hhmm.optional(),
      fridayCutoff: hhmm.optional(),
    })
    .optional(),
  /** Peak-traffic windows in which no step starts. */
  peakWindows: z.array(z.strictObject({ days: z.array(day).min(1).optional(), start: hhmm, end: hhmm })).default([]),
  /** Per-tier traffic steps replacing the seed's defaults (stages 3–5 are filled in order). */
  rollout: z
    .partialRecord(
      tier,
      z.strictObject({
        steps: z
          .array(StepOverrideSchema)
          .min(1)
          .refine((steps) => totalMaxWait(steps) <= MAX_ROLLOUT_HOURS, {
            message: `expected the steps' longest waits (waitHours.max) to add up to at most ${MAX_ROLLOUT_HOURS} h (90 days) in all`,
          }),
      }),
    )
    .default({})
    .transform(keyedByName),
  /** Threshold overrides for the seed's metrics, and custom metrics (any other name). */
  gates: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a metric name in snake_case'), GateOverrideSchema).default({}).transform(keyedByName),
  /** Where the exported Argo Rollouts / Flagger analysis reads each gated metric from, and what `simulate --prometheus` replays. */
  prometheus: z
    .strictObject({
      address: z.string().min(1).optional(),
      /** PromQL per gate metric name; must return one series, in the gate's unit. */
      queries: z
        .record(z.string(), z.string().min(1))
        .describe(
          "PromQL per gated metric, returning one series in the gate's unit: the query the exported Argo Rollouts / Flagger analysis runs, and the one `rollout-lens simulate --prometheus URL --from TIME` replays",
        )
        .default({})
        .transform(keyedByName),
      /**
       * PromQL per gated metric for the stable version's series beside the canary's: the simulator
       * judges each step's canary readings against these (Mann–Whitney U, as Kayenta's judge does).
       */
      baseline: z
        .record(z.string(), z.string('a PromQL query as a string').min(1, 'a PromQL query (not empty)'))
        .describe(
          "PromQL per gated metric returning the stable (baseline) version's series in the gate's unit, beside prometheus.queries.<metric> (the canary's): `simulate --prometheus` compares the two each step with a Mann–Whitney U test",
        )
        .default({})
        .transform(keyedByName),
    })
    .superRefine((p, ctx) => {
      for (const metric of Object.keys(p.baseline)) {
        if (Object.hasOwn(p.queries, metric)) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['baseline', metric],
          message: `a baseline query needs the canary's query beside it (expected "prometheus": {"queries": {"${metric}": "<PromQL>"}} as well)`,
        });
      }
    })
    .optional(),
});

export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type StepOverride = z.infer<typeof StepOverrideSchema>;
export type GateOverride = z.infer<typeof GateOverrideSchema>;

export const DEFAULT_POLICY: Policy = PolicySchema.parse({});
