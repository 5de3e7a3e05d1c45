/**
 * The messages between the extension host and the plan/simulate webview.
 * Both sides parse every message they receive with these schemas: a message that does not
 * match is logged and answered with an error, never trusted.
 */
import { z } from 'zod';
import { SCHEMA_CHANGES } from '../core/schema-change';
import { TIERS } from '../core/tier';
import { RolloutPlanSchema, type RolloutPlan } from '../core/plan/schema';
import { MonteCarloResultSchema, SimulationResultSchema } from '../core/sim/schema';

const tier = z.enum(TIERS);
const requestId = z.number().int().nonnegative();

/** What the view can change in "what-if": per-metric thresholds, and the traffic steps of stages 3–5. */
export const WhatIfSchema = z.strictObject({
  gates: z.record(z.string(), z.strictObject({ warning: z.number().finite(), critical: z.number().finite() })).default({}),
  steps: z
    .array(
      z.strictObject({
        trafficPercent: z.number().min(0).max(100),
        waitHours: z.strictObject({ min: z.number().min(0), max: z.number().min(0) }),
      }),
    )
    .min(1)
    .optional(),
});
export type WhatIf = z.infer<typeof WhatIfSchema>;

export { whatIfChanges, whatIfOfPlan } from './whatIf';

/** One simulation the view asks for: a synthetic scenario or a recorded trace, optionally with a fault laid over it. */
export const SimulationRequestSchema = z.strictObject({
  source: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('scenario'), scenario: z.string().min(1), seed: z.number().int() }),
    z.strictObject({ kind: z.literal('trace'), traceId: z.string().min(1), seed: z.number().int() }),
  ]),
  fault: z.string().min(1).optional(),
  runs: z.number().int().min(1).max(10_000).default(1),
  whatIf: WhatIfSchema.optional(),
});
export type SimulationRequest = z.infer<typeof SimulationRequestSchema>;

const FindingRefSchema = z.strictObject({ file: z.string(), line: z.number().int().min(0) });
export type FindingRef = z.infer<typeof FindingRefSchema>;

/** A finding as the plan tab lists it. */
export const FindingViewSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().min(0),
  tier,
  rule: z.string(),
  message: z.string(),
  flag: z.string().optional(),
  schemaChange: z.enum(SCHEMA_CHANGES).optional(),
});
export type FindingView = z.infer<typeof FindingViewSchema>;

/** Shares of promoted / rolled-back / halted runs, where they were caught, and the blast radius. */
export const MonteCarloSchema = MonteCarloResultSchema;
export type MonteCarlo = z.infer<typeof MonteCarloSchema>;

/** Everything the plan tab shows: sent on `ready` and whenever the analysis or the what-if changes. */
export const PlanViewSchema = z.strictObject({
  plan: RolloutPlanSchema,
  markdown: z.string(),
  findings: z.array(FindingViewSchema),
  /** Where the tier came from: the working tree's analysis, or a tier the user picked (untrusted workspace, no repo). */
  tierSource: z.enum(['analysis', 'chosen']),
  restricted: z.boolean(),
  scenarios: z.array(z.strictObject({ name: z.string(), description: z.string() })),
  faults: z.array(z.strictObject({ name: z.string(), description: z.string() })),
  defaultScenario: z.string(),
  checklist: z.record(z.string(), z.boolean()),
  /** The repository planned for, named when the workspace holds several. */
  repository: z.string().optional(),
  whatIf: WhatIfSchema.optional(),
  /** The thresholds and steps of the plan without the what-if values: what the saved policy gives. */
  saved: z.strictObject({ gates: WhatIfSchema.shape.gates, steps: z.array(WhatIfSchema.shape.steps.unwrap().element) }).optional(),
});
export type PlanView = z.infer<typeof PlanViewSchema>;

/** Webview → host. Requests carry an id; the host answers with the same id. */
export const WebviewToHostSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('openFile'), file: z.string().min(1), line: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('copyMarkdown') }),
  z.strictObject({ type: z.literal('setChecklist'), item: z.string().min(1), done: z.boolean() }),
  z.strictObject({ type: z.literal('chooseTier') }),
  z.strictObject({ type: z.literal('openPolicy') }),
  z.strictObject({ type: z.literal('whatIf'), whatIf: WhatIfSchema }),
  z.strictObject({ type: z.literal('simulate'), id: requestId, request: SimulationRequestSchema }),
  z.strictObject({ type: z.literal('pickTrace'), id: requestId }),
  z.strictObject({ type: z.literal('replayPrometheus'), id: requestId }),
  z.strictObject({ type: z.literal('savePolicy'), id: requestId, whatIf: WhatIfSchema }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;
export type WebviewToHostInput = z.input<typeof WebviewToHostSchema>;

/** Host → webview. */
export const HostToWebviewSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('plan'), view: PlanViewSchema }),
  z.strictObject({ type: z.literal('focus'), finding: FindingRefSchema }),
  z.strictObject({ type: z.literal('showTab'), tab: z.enum(['plan', 'simulate']) }),
  z.strictObject({
    type: z.literal('simulation'),
    id: requestId,
    result: SimulationResultSchema,
    monteCarlo: MonteCarloSchema.optional(),
  }),
  /** A run made outside the view ("Simulate Rollout…"): shown on the Simulate tab as it was announced. */
  z.strictObject({ type: z.literal('showSimulation'), result: SimulationResultSchema }),
  z.strictObject({
    type: z.literal('traceLoaded'),
    id: requestId,
    traceId: z.string(),
    name: z.string(),
    metrics: z.array(z.string()),
    /** Minutes of readings the trace has, and minutes the plan in effect runs: a short trace ends the replay early. */
    coverage: z.strictObject({ traceMinutes: z.number().min(0), planMinutes: z.number().min(0) }).optional(),
  }),
  z.strictObject({ type: z.literal('saved'), id: requestId, file: z.string() }),
  /** A request failed (or a message was invalid): `message` is one line a person can act on. */
  z.strictObject({ type: z.literal('error'), id: requestId.optional(), message: z.string() }),
  /** The request was dismissed by the user (closed a picker, declined a confirmation). */
  z.strictObject({ type: z.literal('cancelled'), id: requestId }),
]);
export type HostToWebview = z.infer<typeof HostToWebviewSchema>;
export type HostToWebviewInput = z.input<typeof HostToWebviewSchema>;

/** The part of the view's state kept across reloads with `setState`; also what the serializer receives. */
export const PersistedViewStateSchema = z.strictObject({
  tab: z.enum(['plan', 'simulate']).default('plan'),
  scenario: z.string().optional(),
  seed: z.number().int().default(1),
  fault: z.string().optional(),
  runs: z.number().int().min(1).default(1),
  whatIf: WhatIfSchema.optional(),
  chosenTier: tier.optional(),
  /** The last simulation shown, so a moved or reloaded view shows it again. */
  last: z.strictObject({ result: SimulationResultSchema, monteCarlo: MonteCarloSchema.optional(), settings: z.string() }).optional(),
  /** The recorded trace loaded in the view (the host keeps it while the window is open). */
  trace: z.strictObject({ id: z.string().min(1), name: z.string(), coverage: z.string().optional() }).optional(),
});
export type PersistedViewState = z.infer<typeof PersistedViewStateSchema>;

/** Turns a failed parse into one line: which field, what was expected. */
export function describeMessageError(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue.path.length ? issue.path.map(String).join('.') : '(message)';
  return `invalid message: field "${field}": ${issue.message}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseWebviewMessage(raw: unknown): Parsed<WebviewToHost> {
  const r = WebviewToHostSchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeMessageError(r.error) };
}

export function parseHostMessage(raw: unknown): Parsed<HostToWebview> {
  const r = HostToWebviewSchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeMessageError(r.error) };
}

/** The id of a request, when a message that failed validation still carries a usable one. */
export function requestIdOf(raw: unknown): number | undefined {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return id;
  }
  return undefined;
}

export type { RolloutPlan };
export type { SimulationResult } from '../core/sim/schema';
