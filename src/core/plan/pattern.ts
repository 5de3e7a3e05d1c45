/**
 * The seed's decision framework: blue/green for infrastructure, phased for flags and UX changes,
 * canary for application changes — chosen from what the change touches.
 */
import type { Assessment, FileAssessment } from '../risk/types';
import type { RolloutPlan } from './schema';
import { findingsOf, where } from './rollback';

type Deployment = RolloutPlan['deployment'];

/** Paths that look like user-facing UI: a change here is a UX change the seed rolls out in phases. */
const UX_PATH = /(^|\/)(ui|components?|pages|views|screens|templates|styles)\/|\.(tsx|jsx|vue|svelte|css|scss|less|html)$/i;

function isUxFile(f: FileAssessment): boolean {
  return f.kind !== 'test' && UX_PATH.test(f.path);
}

export const PHASED_GROUPS = ['Internal users', 'Beta users', 'All users'] as const;

/** `traffic`: the plan's traffic steps in order, so the canary reason names this plan's own sequence. */
export function choosePattern(a: Assessment, traffic: number[] = [10, 50, 100]): Deployment {
  const infra = findingsOf(a, (r) => r === 'infrastructure');
  if (infra.length) {
    return {
      pattern: 'blue-green',
      reason: `The change touches infrastructure (${infra.slice(0, 2).map(where).join(', ')}): it needs an instant atomic switchover (complete version swap).`,
      benefit: 'Instant rollback (flip the load balancer)',
      cost: '2x infrastructure during the deployment: blue and green run side by side until the switch is confirmed',
    };
  }
  const ux = a.files.filter((f) => f.tier !== 'ZERO' && isUxFile(f));
  if (a.flags.length || ux.length) {
    const why = a.flags.length
      ? `flag-guarded code (${a.flags.map((f) => f.name).join(', ')}) can be turned on group by group`
      : `the change reworks what users see (${ux.slice(0, 2).map((f) => f.path).join(', ')})`;
    return {
      pattern: 'phased',
      reason: `Gradual feature adoption: ${why}. Internal → Beta users → All users.`,
      benefit: 'User feedback before full rollout',
      cost: 'Slower: full adoption waits for feedback from each group, and the groups must be defined in the flag system',
    };
  }
  return {
    pattern: 'canary',
    reason:
      a.tier === 'ZERO'
        ? 'Nothing user-facing changes: deployed at once; the canary pattern applies only to later application changes.'
        : `Application change: test the new code with a subset of users (${traffic.map((t) => `${t}%`).join(' → ')}).`,
    benefit: 'Gradual risk exposure, real user testing',
    cost: 'Two versions serve users at once until the rollout completes; metrics must be split by version',
  };
}
