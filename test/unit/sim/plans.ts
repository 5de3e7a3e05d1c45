/**
 * Hand-made rollout plans shaped like the seed's MEDIUM (canary) and HIGH (extended canary) plans,
 * valid against RolloutPlanSchema, so the simulator is tested on the schema alone.
 */
import { DEFAULT_GATES, METRICS } from '../../../src/core/policy/defaults';
import { RolloutPlanSchema, type Criterion, type Gate, type RolloutPlan } from '../../../src/core/plan/schema';

export function gate(metric: (typeof METRICS)[number], over: Partial<Gate> = {}): Gate {
  const d = DEFAULT_GATES[metric];
  return {
    metric, label: d.label, unit: d.unit, baseline: d.baseline, direction: d.direction, warning: d.warning, critical: d.critical,
    action: d.action, rollbackLevel: 1, sustainMinutes: d.sustainMinutes, consecutive: d.consecutive, incident: d.incident, ...over,
  };
}

export const allGates = (): Gate[] => METRICS.map((m) => gate(m));

type StepSpec = [trafficPercent: number, minHours: number, maxHours?: number];

interface StageSpec {
  required?: boolean;
  steps: StepSpec[];
  gates?: Gate[];
  criteria?: Criterion[];
}

const NAMES = ['Infrastructure', 'Integration', 'Canary', 'Partial', 'Full rollout'] as const;

export function planOf(tier: RolloutPlan['tier'], stages: StageSpec[]): RolloutPlan {
  const start = '2026-03-10T10:00:00+00:00';
  return RolloutPlanSchema.parse({
    tier,
    strategy: tier === 'HIGH' ? 'extended-canary' : tier === 'MEDIUM' ? 'canary' : tier === 'LOW' ? 'flag-gated' : 'immediate',
    deployment: { pattern: 'canary', reason: 'test', benefit: 'test', cost: 'test' },
    monitoring: 'test',
    stages: stages.map((s, i) => ({
      number: i + 1,
      name: NAMES[i],
      required: s.required ?? true,
      reason: 'test',
      action: 'test',
      steps: s.steps.map(([trafficPercent, min, max]) => ({ trafficPercent, waitHours: { min, max: max ?? min }, start, end: start })),
      gates: s.gates ?? allGates(),
      successCriteria: s.criteria ?? [],
      rollback: { level: 1, action: 'turn the flag off' },
    })),
    rollbackLevels: [{ level: 1, name: 'Feature flag', action: 'turn it off', time: 'seconds', available: true }],
    checklist: [],
    postRollback: [],
    schedule: { timezone: 'UTC', start, end: start, totalHours: 0, securityHotfix: false, notes: [] },
  });
}

const c = (id: string, kind: Criterion['kind'], metric?: string, tolerancePercent?: number): Criterion => ({
  id, text: id, kind, ...(metric ? { metric } : {}), ...(tolerancePercent !== undefined ? { tolerancePercent } : {}),
});

/** The seed's success criteria per stage, made checkable. */
const CRITERIA: Criterion[][] = [
  [c('build-succeeds', 'manual')],
  [c('no-new-errors', 'no-critical'), c('no-memory-leaks', 'manual')],
  [c('error-rate-stable', 'stable', 'error_rate', 20), c('latency-within-baseline', 'relative-to-baseline', 'latency_p95_ms', 10)],
  [c('metrics-stable-error', 'stable', 'error_rate', 20), c('metrics-stable-latency', 'stable', 'latency_p95_ms', 20)],
  [c('scales-linearly', 'scales-linearly', 'latency_p95_ms', 10), c('no-surprises', 'no-warning')],
];

export function mediumPlan(): RolloutPlan {
  return planOf('MEDIUM', [
    { steps: [[0, 0]], criteria: CRITERIA[0], gates: [] },
    { steps: [[0, 1]], criteria: CRITERIA[1] },
    { steps: [[10, 2, 4]], criteria: CRITERIA[2] },
    { steps: [[50, 4, 8]], criteria: CRITERIA[3] },
    { steps: [[100, 24]], criteria: CRITERIA[4] },
  ]);
}

export function highPlan(): RolloutPlan {
  return planOf('HIGH', [
    { steps: [[0, 0]], criteria: CRITERIA[0], gates: [] },
    { steps: [[0, 1]], criteria: CRITERIA[1] },
    { steps: [[5, 8, 24], [10, 4, 8], [25, 4, 8]], criteria: CRITERIA[2] },
    { steps: [[50, 4, 8], [75, 4, 8]], criteria: CRITERIA[3] },
    { steps: [[100, 24]], criteria: CRITERIA[4] },
  ]);
}

/**
 * A short plan for gate tests: Integration 0 % for 60 min (minutes 0–60), Canary 10 % for 2 h
 * (60–180), Partial 50 % for 1 h (180–240), Full 100 % for 1 h (240–300); no criteria, so only
 * gates decide.
 */
export function gatePlan(gates: Gate[] = allGates(), criteria: Criterion[][] = [[], [], [], [], []]): RolloutPlan {
  return planOf('MEDIUM', [
    { steps: [[0, 0]], gates: [], criteria: criteria[0] },
    { steps: [[0, 1]], gates, criteria: criteria[1] },
    { steps: [[10, 2]], gates, criteria: criteria[2] },
    { steps: [[50, 1]], gates, criteria: criteria[3] },
    { steps: [[100, 1]], gates, criteria: criteria[4] },
  ]);
}

export const criterion = c;
