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
  analysedGates, ExportOptions, ExportResult, goDuration, KubeObject, metadata, queryFor, queryWarnings, requiredSteps,
  Resolved, resolveOptions, samplesToFire, SAMPLE_MINUTES,
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
        // Failed measurements allowed before the metric fails: one fewer than the samples the gate needs.
        failureLimit: samplesToFire(g) - 1,
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
  const warnings = queryWarnings('argo-rollouts', gates, r, opts.prometheus?.address !== undefined);
  if (!template) warnings.push(`argo-rollouts: the ${plan.tier} plan has no gates: the Rollout goes to 100% at once with no analysis`);
  return { objects: template ? [rollout, template] : [rollout], warnings };
}
