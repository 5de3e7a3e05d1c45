/**
 * The traffic steps of stages 3–5 (Canary, Partial, Full rollout) for each pace, from the seed's
 * decision matrix, and how a list of steps is shared out among those three stages.
 */
import { InputError } from '../errors';
import type { Policy } from '../policy/schema';
import type { Tier } from '../tier';

export interface StepTemplate {
  trafficPercent: number;
  waitHours: { min: number; max: number };
  note?: string;
  /** The seed's "include overnight if possible": the next step waits for the morning after this one starts. */
  overnight?: boolean;
}

const h = (min: number, max = min) => ({ min, max });

/**
 * MEDIUM: 10% (2–4 h) → 50% (4–8 h) → 100% (24 h of continuous monitoring, stage 5).
 * HIGH: the extended canary 1–5% (8–24 h) → 10% → 25% → 50% → 75% → 100%, each at least 4–8 h.
 * HIGH starts at 5%, the top of the seed's 1–5%: at lower shares most services see too little
 * traffic in 8 h for the gates to mean anything. A policy can start lower.
 */
const SEED_STEPS: Record<'MEDIUM' | 'HIGH', StepTemplate[]> = {
  MEDIUM: [
    { trafficPercent: 10, waitHours: h(2, 4) },
    { trafficPercent: 50, waitHours: h(4, 8) },
    { trafficPercent: 100, waitHours: h(24), note: '24 hours of continuous monitoring' },
  ],
  HIGH: [
    { trafficPercent: 5, waitHours: h(8, 24), note: 'a HIGH canary may start at 1–5%; set rollout.HIGH.steps to start lower' },
    { trafficPercent: 10, waitHours: h(4, 8) },
    { trafficPercent: 25, waitHours: h(4, 8) },
    { trafficPercent: 50, waitHours: h(4, 8) },
    { trafficPercent: 75, waitHours: h(4, 8) },
    { trafficPercent: 100, waitHours: h(24), note: '24 hours of continuous monitoring' },
  ],
};

/** Turning on a flag whose code is LOW (or ZERO) risk: everyone at once, then the seed's one-hour watch. */
const LOW_FLAG_STEPS: StepTemplate[] = [{ trafficPercent: 100, waitHours: h(1), note: 'a LOW-risk flag turns on for everyone at once' }];

/**
 * Which of stages 3–5 a traffic share belongs to: below 25% is a canary, up to 50% is partial,
 * beyond that is the full rollout. This keeps the seed's MEDIUM steps (10 / 50 / 100) one per
 * stage and gives HIGH two per stage (5, 10 / 25, 50 / 75, 100).
 */
export function stageOfTraffic(percent: number): 3 | 4 | 5 {
  if (percent < 25) return 3;
  if (percent <= 50) return 4;
  return 5;
}

/** Marks the last partial step (the seed's 50% stage) to hold overnight. */
function markOvernight(steps: StepTemplate[]): StepTemplate[] {
  const partial = steps.map((s, i) => [s, i] as const).filter(([s]) => stageOfTraffic(s.trafficPercent) === 4);
  const last = partial.at(-1);
  if (!last || last[1] === steps.length - 1) return steps;
  return steps.map((s, i) => (i === last[1] ? { ...s, overnight: true } : s));
}

function checkOverride(tier: Tier, steps: NonNullable<Policy['rollout'][Tier]>): void {
  steps.steps.forEach((s, i) => {
    const prev = steps.steps[i - 1];
    if (prev && s.trafficPercent <= prev.trafficPercent) {
      const field = `rollout.${tier}.steps.${i}.trafficPercent`;
      throw new InputError(`expected more than the previous step's ${prev.trafficPercent}% (steps only grow), got ${s.trafficPercent}`, { field });
    }
    if (s.trafficPercent === 0) {
      const field = `rollout.${tier}.steps.${i}.trafficPercent`;
      throw new InputError(`expected a share above 0% (stages 1–2 already run the change with no users)`, { field });
    }
  });
}

/**
 * The steps of stages 3–5 at a pace: the policy's `rollout[pace].steps` when given, else the seed's.
 * ZERO and LOW need no traffic steps unless flag-guarded code is to be turned on.
 */
export function rolloutSteps(pace: Tier, policy: Pick<Policy, 'rollout'>, hasFlags: boolean): { steps: StepTemplate[]; fromPolicy: boolean } {
  const override = policy.rollout[pace];
  if (override) {
    checkOverride(pace, override);
    return { steps: markOvernight(override.steps.map((s) => ({ trafficPercent: s.trafficPercent, waitHours: { ...s.waitHours } }))), fromPolicy: true };
  }
  if (pace === 'MEDIUM' || pace === 'HIGH') return { steps: markOvernight(SEED_STEPS[pace]), fromPolicy: false };
  return { steps: hasFlags ? LOW_FLAG_STEPS : [], fromPolicy: false };
}
