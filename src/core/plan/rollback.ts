/**
 * The three rollback levels, and what a breaking migration does to them: a schema change that old
 * code cannot run against is not undone by moving traffic or flags back, nor by redeploying.
 */
import { shownLine } from '../place';
import type { Assessment, Finding, RuleId } from '../risk/types';
import type { RolloutPlan } from './schema';

type RollbackLevel = RolloutPlan['rollbackLevels'][number];

export interface LocatedFinding extends Finding {
  path: string;
}

export function findingsOf(a: Assessment, match: (rule: RuleId) => boolean): LocatedFinding[] {
  return a.files.flatMap((f) => f.findings.filter((x) => match(x.rule)).map((x) => ({ ...x, path: f.path })));
}

export function breakingMigrations(a: Assessment): LocatedFinding[] {
  return findingsOf(a, (r) => r === 'migration-breaking');
}

export function where(f: LocatedFinding): string {
  return f.line > 0 ? `${f.path}:${shownLine(f)}` : f.path;
}

export function rollbackLevels(opts: { blueGreen: boolean; breaking: LocatedFinding[] }): RolloutPlan['rollbackLevels'] {
  const breaking = opts.breaking.length > 0;
  const levels: RollbackLevel[] = [
    {
      level: 1,
      name: 'Fast and reversible',
      action: opts.blueGreen
        ? 'Flip the load balancer back to the stable (blue) environment, or turn the feature flag off'
        : 'Turn the feature flag off, or route traffic back to the stable version',
      time: 'seconds to minutes',
      available: !breaking,
    },
    { level: 2, name: 'Redeploy', action: 'Redeploy the previous version', time: 'minutes: one deployment', available: !breaking },
    {
      level: 3,
      name: 'Restore data or roll forward',
      action: 'Restore the data from backup, or roll forward with a fix',
      time: 'hours',
      available: true,
    },
  ];
  if (breaking) {
    levels[0].note = 'Not for the schema part: old code would meet the migrated schema; moving traffic or flags back does not undo the migration.';
    levels[1].note = 'Not for the schema part: redeploying the previous version leaves the migrated schema in place, and the previous version may fail against it.';
    levels[2].note = 'The only level that undoes this change: rehearse the restore, or prepare the roll-forward fix before stage 1.';
  }
  return levels;
}

/** What to say when Level 1 cannot undo the change, and what to do instead. */
export function rollbackWarning(breaking: LocatedFinding[]): string | undefined {
  if (!breaking.length) return undefined;
  const at = breaking.slice(0, 3).map(where).join(', ') + (breaking.length > 3 ? ` and ${breaking.length - 3} more` : '');
  return (
    `This change has a breaking migration (${at}): Level 1 and Level 2 rollbacks cannot undo it. ` +
    'Instead, split it expand/contract: ship the additive change first, migrate the readers, contract later; ' +
    'or plan to roll forward (Level 3) and have the fix and a tested backup ready before stage 1.'
  );
}
