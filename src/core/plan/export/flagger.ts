/**
 * RolloutPlan → Flagger `Canary` + the `MetricTemplate`s it references (flagger.app/v1beta1).
 *
 * Flagger moves to the next of `stepWeights` once per `interval` and promotes after `maxWeight`; it cannot
 * hold one weight longer than another. The interval is therefore the shortest hold among the canary steps,
 * and a warning names every step the plan holds longer. `threshold` (failed checks before rollback) is the
 * smallest count after which any gate can roll back (its rule in a row, or its `failureLimit`), so no gate
 * fires later than the plan says. Flagger has no warning band and no pause: `warningLimit` cannot be said.
 */
import type { Gate, RolloutPlan } from '../schema';
import {
  analysedGates, baselineWarnings, ExportOptions, ExportResult, goDuration, KubeObject, kubeName, metadata, queryFor, queryWarnings,
  failuresToFire, requiredSteps, Resolved, resolveOptions,
} from './common';

export const FLAGGER_API = 'flagger.app/v1beta1';

/** Flagger's own Prometheus checks, used where a gate measures the same thing in the same unit. */
const BUILTIN: ReadonlyMap<string, string> = new Map([
  ['success_rate', 'request-success-rate'], // % of non-5xx requests
  ['latency_p99_ms', 'request-duration'], // p99 in milliseconds
]);

/** The accepted range: a gate rolls back beyond `critical`, so that is the bound. */
export function thresholdRange(g: Gate): { min?: number; max?: number } {
  return g.direction === 'above' ? { max: g.critical } : { min: g.critical };
}

/** Flagger's interval pattern allows only seconds and minutes. */
function minutes(hours: number): string {
  return `${Math.max(1, Math.round(hours * 60))}m`;
}

function canarySteps(plan: RolloutPlan): { weights: number[]; holds: number[] } {
  const weights: number[] = [];
  const holds: number[] = [];
  for (const s of requiredSteps(plan)) {
    if (s.trafficPercent <= 0 || s.trafficPercent >= 100) continue;
    const w = Math.round(s.trafficPercent);
    if (weights.length > 0 && w <= weights[weights.length - 1]) holds[holds.length - 1] += s.waitHours.min;
    else {
      weights.push(w);
      holds.push(s.waitHours.min);
    }
  }
  return { weights, holds };
}

/** Flagger's `threshold`: failed checks before rollback, one number for every metric. */
export function flaggerThreshold(gates: readonly Gate[]): number {
  return gates.length > 0 ? Math.min(...gates.map(failuresToFire)) : 1;
}

/** Where Flagger decides differently from the simulator, for the comment lines above the manifests. */
export function flaggerNotes(interval: string, threshold: number): string[] {
  return [
    `Flagger checks each metric once per interval (${interval}), aggregated over it, and rolls back after threshold (${threshold})`,
    "failed checks, counted over the whole analysis and for every metric together; the plan's gates count each gate's",
    'critical readings per step, one a minute.',
    'Flagger has no warning band and never pauses for a person: a reading between warning and critical passes (the plan',
    'holds after warningLimit of them), and a check with no data fails and counts towards threshold (the plan holds).',
  ];
}

/** The policy's own limits Flagger cannot honour as set: lines a person should read before applying. */
function flaggerLimitWarnings(gates: readonly Gate[], threshold: number): string[] {
  const out: string[] = [];
  for (const g of gates) {
    if (g.warningLimit !== undefined) out.push(`flagger: gate "${g.metric}" sets warningLimit ${g.warningLimit}, but Flagger has no warning band: readings between ${g.warning} and ${g.critical} ${g.unit} pass instead of holding the rollout`);
    if (g.failureLimit !== undefined && failuresToFire(g) !== threshold) out.push(`flagger: gate "${g.metric}" rolls back after ${failuresToFire(g)} critical readings, but Flagger has one threshold for every metric: ${threshold} failed checks`);
  }
  return out;
}

function metricTemplate(g: Gate, r: Resolved): KubeObject {
  return {
    apiVersion: FLAGGER_API,
    kind: 'MetricTemplate',
    metadata: metadata(r, `${r.name}-${kubeName(g.metric)}`),
    spec: { provider: { type: 'prometheus', address: r.address }, query: queryFor(g, r).query },
  };
}

export function exportFlagger(plan: RolloutPlan, opts: ExportOptions = {}): ExportResult {
  const r = resolveOptions(opts);
  const gates = analysedGates(plan);
  const { weights, holds } = canarySteps(plan);
  const warnings: string[] = [];
  const positive = holds.filter((h) => h > 0);
  // With no canary weights Flagger runs one check of the whole hold the plan gives the dark deploy.
  const darkHold = requiredSteps(plan).reduce((h, s) => h + s.waitHours.min, 0);
  const hold = weights.length === 0 ? Math.max(darkHold, 1 / 60) : positive.length > 0 ? Math.min(...positive) : 1 / 60;
  holds.forEach((h, i) => {
    if (Math.abs(h - hold) > 1e-9) warnings.push(`flagger: the plan holds ${weights[i]}% for ${goDuration(h)} but Flagger holds every step weight for one interval (${minutes(hold)})`);
  });
  const templated = gates.filter((g) => BUILTIN.get(g.metric) === undefined);
  const templates = templated.map((g) => metricTemplate(g, r));
  const interval = minutes(hold);
  const threshold = flaggerThreshold(gates);
  const canary: KubeObject = {
    apiVersion: FLAGGER_API,
    kind: 'Canary',
    metadata: metadata(r, r.name),
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: r.deployment },
      service: { port: r.port },
      // No canary traffic in the plan (ZERO, flag-gated): promote once the new version is healthy.
      ...(weights.length === 0 ? { skipAnalysis: gates.length === 0 } : {}),
      analysis: {
        interval,
        threshold,
        ...(weights.length > 0 ? { maxWeight: weights[weights.length - 1], stepWeights: weights } : { iterations: 1 }),
        metrics: gates.map((g) => {
          const builtin = BUILTIN.get(g.metric);
          const base = { name: builtin ?? g.metric, interval, thresholdRange: thresholdRange(g) };
          return builtin ? base : { ...base, templateRef: { name: `${r.name}-${kubeName(g.metric)}`, ...(r.namespace ? { namespace: r.namespace } : {}) } };
        }),
      },
    },
  };
  warnings.push(...flaggerLimitWarnings(gates, threshold));
  warnings.push(...queryWarnings('flagger', templated, r, opts.prometheus?.address !== undefined));
  warnings.push(...baselineWarnings('flagger', gates, opts));
  return { objects: [canary, ...templates], warnings, notes: gates.length > 0 ? flaggerNotes(interval, threshold) : [] };
}
