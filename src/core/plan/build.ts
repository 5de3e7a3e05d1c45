/**
 * Assessment + policy + start time → RolloutPlan. Pure and deterministic: the same inputs always
 * give the same plan (the caller passes the start; nothing here reads the clock).
 */
import { POST_ROLLBACK_PROCEDURE } from '../policy/defaults';
import type { Policy } from '../policy/schema';
import type { Assessment } from '../risk/types';
import { maxTier, Tier, tierRank } from '../tier';
import { makeCalendar, windowQuality } from './calendar';
import { buildChecklist } from './checklist';
import { canaryCriteria, fullCriteria, infrastructureCriteria, integrationCriteria, partialCriteria } from './criteria';
import { resolveGates } from './gates';
import { customMetrics } from './metrics';
import { choosePattern, PHASED_GROUPS } from './pattern';
import { breakingMigrations, rollbackLevels, rollbackWarning } from './rollback';
import { humanTime, placeSteps } from './schedule';
import type { Criterion, Gate, RolloutPlan, Stage } from './schema';
import { rolloutSteps, stageOfTraffic, StepTemplate } from './steps';
import { checkTimeZone, machineTimeZone, toIsoInZone } from './zone';

export interface PlanOptions {
  /** When the first step may begin at the earliest. */
  start: Date;
  /** IANA zone for the calendar; default: the policy's, else the machine's. */
  timezone?: string;
  /** Exempt from the deployment windows (also set by the assessment or the policy). */
  securityHotfix?: boolean;
}

const STAGE_NAMES = ['Infrastructure', 'Integration', 'Canary', 'Partial', 'Full rollout'] as const;

const MONITORING: Record<Tier, string> = {
  ZERO: 'Deployment success only',
  LOW: 'No errors from new code (should be silent)',
  MEDIUM: 'Error rate, latency, success rate',
  HIGH: 'Intensive monitoring at every stage',
};

function strategyOf(tier: Tier, hasFlags: boolean): RolloutPlan['strategy'] {
  if (tier === 'HIGH') return 'extended-canary';
  if (tier === 'MEDIUM') return 'canary';
  return tier === 'LOW' || hasFlags ? 'flag-gated' : 'immediate';
}

/** Names the flags for an action: "flag new-checkout" or "flags a, b". */
function flagWords(names: string[]): string {
  return names.length === 1 ? `flag ${names[0]}` : `flags ${names.join(', ')}`;
}

interface Shape {
  tier: Tier;
  pace: Tier;
  flags: string[];
  breaking: boolean;
  blueGreen: boolean;
  phased: boolean;
  fromPolicy: boolean;
}

function stageReason(n: number, s: Shape, templates: StepTemplate[]): string {
  if (templates.length) {
    const last = templates[templates.length - 1];
    switch (n) {
      case 1: return 'Stage 1 (ZERO-risk part): deploy tests, docs and code that stays dark; wait 0 hours.';
      case 2: return s.flags.length
        ? 'Stage 2: all code deployed, flag still OFF, for 1 hour: the new code must stay silent.'
        : 'Stage 2: all code deployed with no users on the new behaviour, for 1 hour: it must stay silent.';
      case 3: return `Stage 3: ${s.pace}-risk canary; Level 1 rollback at ANY critical alert.`;
      case 4: return 'Stage 4: partial rollout, held overnight when possible: metrics must stay stable at scale.';
      default: return `Stage 5: full rollout, ${last.waitHours.min} h of continuous monitoring at ${last.trafficPercent}%: metrics must scale linearly, no surprises.`;
    }
  }
  if (n === 2) return 'Not needed: a ZERO-risk change has no new code to keep dark; it is monitored for deployment success only.';
  if (s.fromPolicy) return `Not needed: the policy's rollout.${s.pace}.steps put no step in this stage's range of traffic.`;
  if (s.flags.length) return `Not needed: the flags carry ${s.pace}-risk code, turned on for everyone at once in stage 5 after the 1-hour watch.`;
  if (s.tier === 'ZERO') return 'Not needed: a ZERO-risk change deploys immediately and is monitored for deployment success only.';
  return 'Not needed: a LOW-risk change is not reached by users yet (new files not integrated, utilities not called); turning it on is a later change with its own plan.';
}

function stageAction(n: number, s: Shape, traffic: number[]): string {
  const flags = s.flags.length ? flagWords(s.flags) : '';
  const shares = traffic.map((p) => `${p}%`).join(' → ');
  const group = s.phased && !s.blueGreen ? ` (phased: ${PHASED_GROUPS[n - 3]})` : '';
  if (n === 1) {
    if (flags) return `Deploy tests, docs and code with ${flags} OFF`;
    if (s.tier === 'ZERO' && traffic[0] === 100) return 'Deploy the change to everyone at once (tests, docs, code with flags OFF)';
    if (s.pace === 'ZERO' || s.pace === 'LOW') return 'Deploy the new code; nothing calls it yet';
    return s.blueGreen ? 'Deploy the new version to the idle (green) environment, with no user traffic' : 'Deploy the new version beside the stable one, with no user traffic';
  }
  if (n === 2) {
    if (flags) return `All code deployed, ${flags} still OFF`;
    if (s.pace === 'ZERO' || s.pace === 'LOW') return 'All code deployed; the new code stays silent';
    return 'New version running with no user traffic (health checks and internal traffic only)';
  }
  if (flags && tierRank(s.tier) <= tierRank('LOW')) return `Turn ${flags} on for ${shares} of users${group}`;
  if (flags) return `Route ${shares} of users to the new version, with ${flags} on for them${group}`;
  if (s.blueGreen) return `Switch ${shares} of traffic to the green environment`;
  return `Route ${shares} of users to the new version${group}`;
}

function stageRollback(n: number, s: Shape, firstTraffic: number): Stage['rollback'] {
  if (s.breaking) {
    return { level: 3, action: 'Roll forward with a fix, or restore the data (Level 3): the breaking migration is not undone by moving traffic or flags back' };
  }
  if (n >= 3) {
    if (s.flags.length) return { level: 1, action: `Turn ${flagWords(s.flags)} OFF at ANY critical alert` };
    if (s.blueGreen) return { level: 1, action: 'Flip the load balancer back to the stable (blue) environment at ANY critical alert' };
    return { level: 1, action: 'Route all traffic back to the stable version at ANY critical alert' };
  }
  if (!s.flags.length && firstTraffic === 0 && tierRank(s.pace) >= tierRank('MEDIUM')) {
    return { level: 1, action: 'Take the new version out of the pool: users stay on the stable version' };
  }
  return { level: 2, action: s.flags.length ? 'Redeploy the previous version (the flag is already OFF)' : 'Redeploy the previous version' };
}

/** With a breaking migration, a critical reading cannot be answered by Level 1: gates name Level 3. */
function gatesFor(all: Gate[], breaking: boolean): Gate[] {
  if (!breaking) return all;
  return all.map((g) => ({ ...g, rollbackLevel: 3, action: `${g.action} — Level 1 unavailable (breaking migration): roll forward or restore data` }));
}

const CRITERIA: ((gates: Gate[]) => Criterion[])[] = [infrastructureCriteria, integrationCriteria, canaryCriteria, partialCriteria, fullCriteria];

export function buildPlan(assessment: Assessment, policy: Policy, opts: PlanOptions): RolloutPlan {
  const timeZone = opts.timezone !== undefined ? checkTimeZone(opts.timezone, 'timezone') : policy.timezone !== undefined ? checkTimeZone(policy.timezone, 'timezone') : machineTimeZone();
  if (Number.isNaN(opts.start.getTime())) throw new RangeError('buildPlan: start is not a valid date');
  const cal = makeCalendar(policy, timeZone);
  const allGates = resolveGates(policy);
  const hotfix = Boolean(opts.securityHotfix || assessment.securityHotfix || policy.securityHotfix);
  const tier = assessment.tier;
  const flagNames = assessment.flags.map((f) => f.name);
  const hasFlags = flagNames.length > 0;
  const pace = maxTier(tier, ...assessment.flags.map((f) => f.tier));
  const rollout = rolloutSteps(pace, policy, hasFlags);
  const deployment = choosePattern(assessment, rollout.steps.map((s) => s.trafficPercent));
  const breaking = breakingMigrations(assessment);
  const shape: Shape = {
    tier, pace, flags: flagNames, breaking: breaking.length > 0, fromPolicy: rollout.fromPolicy,
    blueGreen: deployment.pattern === 'blue-green', phased: deployment.pattern === 'phased',
  };

  // Stage 1 reaches everyone only when the change is deployed at once with nothing left to turn on.
  const darkTraffic = rollout.steps.length === 0 && tier === 'ZERO' && !hasFlags ? 100 : 0;
  const perStage: StepTemplate[][] = [
    [{ trafficPercent: darkTraffic, waitHours: { min: 0, max: 0 } }],
    tier !== 'ZERO' || hasFlags ? [{ trafficPercent: 0, waitHours: { min: 1, max: 1 } }] : [],
    ...[3, 4, 5].map((n) => rollout.steps.filter((s) => stageOfTraffic(s.trafficPercent) === n)),
  ];
  const flat = perStage.flat();
  const placed = placeSteps(flat, opts.start, cal, hotfix);
  const watched = tier !== 'ZERO' || flat.length > 1;

  let k = 0;
  const stages: Stage[] = perStage.map((templates, i) => {
    const n = i + 1;
    const required = templates.length > 0;
    const gates = required && watched ? gatesFor(allGates, shape.breaking) : [];
    return {
      number: n,
      name: STAGE_NAMES[i],
      required,
      reason: stageReason(n, shape, templates),
      action: stageAction(n, shape, templates.map((t) => t.trafficPercent)),
      steps: templates.map((t) => {
        const p = placed[k++];
        const step = {
          trafficPercent: t.trafficPercent,
          waitHours: { ...t.waitHours },
          start: toIsoInZone(p.start, timeZone),
          end: toIsoInZone(p.end, timeZone),
          moved: p.moved,
        };
        const note = [t.note, t.overnight ? 'holds overnight before the next step' : undefined].filter(Boolean).join('; ');
        return note ? { ...step, note } : step;
      }),
      gates,
      successCriteria: required ? CRITERIA[i](gates) : [],
      rollback: stageRollback(n, shape, templates[0]?.trafficPercent ?? 0),
    };
  });

  const first = placed[0];
  const last = placed[placed.length - 1];
  const levels = rollbackLevels({ blueGreen: shape.blueGreen, breaking });
  const firstLevel = levels.find((l) => l.available)!;
  const quality = windowQuality(cal, first.start);
  const notes: string[] = [];
  if (hotfix) notes.push('Security hotfix: exempt from the deployment windows; it deploys as soon as possible, at any time.');
  else if (quality) notes.push(`Starts ${humanTime(first.start, timeZone)}, in the ${quality} window.`);
  notes.push('Times use each wait\'s minimum; a step may hold up to its maximum before promotion.');
  if (rollout.fromPolicy) notes.push(`Traffic steps of stages 3–5 from the policy's rollout.${pace}.steps.`);
  const lastShare = flat[flat.length - 1].trafficPercent;
  if (lastShare < 100) notes.push(`The last step reaches ${lastShare}% of users, not 100%.`);

  const monitoring = pace !== tier && hasFlags ? `${MONITORING[tier]}; while turning ${flagWords(flagNames)} on: ${MONITORING[pace].toLowerCase()}` : MONITORING[tier];

  return {
    tier,
    strategy: strategyOf(tier, hasFlags),
    deployment,
    monitoring,
    flags: assessment.flags.map((f) => ({ name: f.name, tier: f.tier, files: [...f.files] })),
    stages,
    customMetrics: customMetrics(assessment, stages),
    rollbackLevels: levels,
    ...(breaking.length ? { rollbackWarning: rollbackWarning(breaking) } : {}),
    checklist: buildChecklist(assessment, policy, {
      rollbackLevel: `Level ${firstLevel.level} (${firstLevel.action.toLowerCase()})`,
      window: { quality, when: humanTime(first.start, timeZone), hotfix },
    }),
    postRollback: POST_ROLLBACK_PROCEDURE.map((p, i) => ({ step: i + 1, title: p.title, detail: p.detail })),
    schedule: {
      timezone: timeZone,
      start: toIsoInZone(first.start, timeZone),
      end: toIsoInZone(last.end, timeZone),
      totalHours: Math.round(((last.end.getTime() - first.start.getTime()) / 3_600_000) * 100) / 100,
      securityHotfix: hotfix,
      notes,
    },
  };
}
