/**
 * RolloutPlan → Argo Rollouts `Rollout` + `AnalysisTemplate` (argoproj.io/v1alpha1).
 *
 * The gates run as one background analysis (`strategy.canary.analysis`) for the whole rollout, the way Argo
 * users watch a canary continuously: a critical reading aborts the rollout at whatever step it happens,
 * as the plan's gates apply in every stage. Each plan step becomes `setWeight` + `pause {duration}` with the
 * step's minimum wait. The Rollout takes over an existing Deployment through `workloadRef`.
 */
import type { Gate, RolloutPlan } from '../schema';
import {
  analysedGates, baselineWarnings, ExportOptions, ExportResult, failuresToFire, goDuration, KubeObject, metadata, queryFor, queryWarnings, requiredSteps,
  Resolved, resolveOptions, samplesToFire, SAMPLE_MINUTES, silentSamples, warningsToHold,
} from './common';

export const ARGO_API = 'argoproj.io/v1alpha1';

type CanaryStep = { setWeight: number } | { pause: { duration: string } };

/**
 * Steps for the plan. A plan with no canary traffic (ZERO: deploy at once; flag-gated: the flag, not the
 * traffic split, exposes users) goes to 100% in one step, then holds for the plan's waits so the analysis
 * still watches the new version before the rollout completes.
 */
export function argoSteps(plan: RolloutPlan): CanaryStep[] {
  const steps = requiredSteps(plan);
  const canary = steps.some((s) => s.trafficPercent > 0 && s.trafficPercent < 100);
  if (!canary) {
    const hold = steps.reduce((h, s) => h + s.waitHours.min, 0);
    return hold > 0 ? [{ setWeight: 100 }, { pause: { duration: goDuration(hold) } }] : [{ setWeight: 100 }];
  }
  const out: CanaryStep[] = [];
  let weight: number | undefined;
  for (const s of steps) {
    const w = Math.round(s.trafficPercent);
    if (w !== weight) out.push({ setWeight: w });
    weight = w;
    if (s.waitHours.min > 0) out.push({ pause: { duration: goDuration(s.waitHours.min) } });
  }
  return out;
}

/**
 * Argo evaluates `failureCondition` first, then `successCondition`; neither true is Inconclusive, which
 * pauses the rollout for a person: exactly the plan's warning band between `warning` and `critical`.
 * Comparisons are strict, as the simulator's gates are.
 */
export function argoConditions(g: Gate): { successCondition: string; failureCondition: string } {
  return g.direction === 'above'
    ? { successCondition: `result[0] <= ${g.warning}`, failureCondition: `result[0] > ${g.critical}` }
    : { successCondition: `result[0] >= ${g.warning}`, failureCondition: `result[0] < ${g.critical}` };
}

/**
 * The gate's limits in Argo's terms. `failureLimit`: failed (critical) measurements allowed; Argo counts
 * them in a row or not, so the gate's own rule in a row and its `failureLimit` become the smaller count.
 * `inconclusiveLimit`: warning-band measurements allowed before the rollout pauses (the gate's
 * `warningLimit`). `consecutiveErrorLimit`: failed or empty queries in a row allowed, the series' hole.
 */
export function argoLimits(g: Gate): { failureLimit: number; inconclusiveLimit: number; consecutiveErrorLimit: number } {
  return { failureLimit: failuresToFire(g) - 1, inconclusiveLimit: warningsToHold(g) - 1, consecutiveErrorLimit: silentSamples() };
}

/** Where Argo decides differently from the simulator, for the comment lines above the manifests. */
export function argoNotes(gates: readonly Gate[]): string[] {
  const inRow = gates.filter((g) => samplesToFire(g) > 1).map((g) => `${g.metric} (${samplesToFire(g)})`);
  return [
    'Argo Rollouts counts failed, inconclusive and errored measurements over the whole background analysis (every step together),',
    `one every ${SAMPLE_MINUTES} min; the plan's gates count per step, so Argo stops at least as early.`,
    ...(inRow.length
      ? [`Argo cannot ask for failures in a row: ${inRow.join(', ')} fail after that many critical measurements, in a row or not.`]
      : []),
    'inconclusiveLimit counts measurements between warning and critical; a critical one counts towards failureLimit only',
    '(the plan holds on warning-or-worse readings). An inconclusive metric pauses the rollout for a person, as the plan holds.',
    `consecutiveErrorLimit ${silentSamples()}: a query that fails or returns nothing ${silentSamples() + 1} times in a row errors the analysis and Argo aborts`,
    'the rollout; the plan holds on the same silence instead.',
  ];
}

function analysisTemplate(gates: readonly Gate[], r: Resolved): KubeObject {
  return {
    apiVersion: ARGO_API,
    kind: 'AnalysisTemplate',
    metadata: metadata(r, `${r.name}-gates`),
    spec: {
      metrics: gates.map((g) => ({
        name: g.metric,
        interval: `${SAMPLE_MINUTES}m`,
        ...argoConditions(g),
        // Argo's limits are the measurements allowed before the metric fails (or pauses): one fewer than the gate's count.
        ...argoLimits(g),
        provider: { prometheus: { address: r.address, query: queryFor(g, r).query } },
      })),
    },
  };
}

export function exportArgoRollouts(plan: RolloutPlan, opts: ExportOptions = {}): ExportResult {
  const r = resolveOptions(opts);
  const gates = analysedGates(plan);
  const template = gates.length > 0 ? analysisTemplate(gates, r) : undefined;
  const rollout: KubeObject = {
    apiVersion: ARGO_API,
    kind: 'Rollout',
    metadata: metadata(r, r.name),
    spec: {
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: r.deployment, scaleDown: 'progressively' },
      strategy: {
        canary: {
          ...(template ? { analysis: { templates: [{ templateName: template.metadata.name }] } } : {}),
          steps: argoSteps(plan),
        },
      },
    },
  };
  const warnings = [...queryWarnings('argo-rollouts', gates, r, opts.prometheus?.address !== undefined), ...baselineWarnings('argo-rollouts', gates, opts)];
  if (!template) warnings.push(`argo-rollouts: the ${plan.tier} plan has no gates: the Rollout goes to 100% at once with no analysis`);
  return { objects: template ? [rollout, template] : [rollout], warnings, notes: template ? argoNotes(gates) : [] };
}
