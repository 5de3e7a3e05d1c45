/**
 * The seed's pre-deployment checklist, each item marked from what the change shows; what the
 * change cannot show (review, on-call, dashboards…) stays `unknown`, for a person to tick.
 */
import { inGroup } from '../catalog';
import { PRE_DEPLOYMENT_CHECKLIST } from '../policy/defaults';
import type { Policy } from '../policy/schema';
import type { Assessment } from '../risk/types';
import type { ChecklistItem } from './schema';
import { breakingMigrations, findingsOf, where } from './rollback';

type Id = (typeof PRE_DEPLOYMENT_CHECKLIST)[number]['id'];

export interface ChecklistFacts {
  /** The rollback level the plan relies on first, e.g. "Level 1 (flag off / traffic back)". */
  rollbackLevel: string;
  /** Where the first step starts: the window quality, or hotfix. */
  window: { quality: 'optimal' | 'acceptable' | null; when: string; hotfix: boolean };
}

function testsItem(a: Assessment): Pick<ChecklistItem, 'state' | 'evidence'> {
  const tests = a.files.filter((f) => f.kind === 'test');
  if (tests.length) {
    return { state: 'unknown', evidence: `tests changed in this change (${tests.length} file${tests.length === 1 ? '' : 's'}, e.g. ${tests[0].path}); passing unknown` };
  }
  return { state: 'unknown', evidence: 'no tests changed in this change; run the suite' };
}

function migrationsItem(a: Assessment): Pick<ChecklistItem, 'state' | 'evidence'> {
  const breaking = breakingMigrations(a);
  if (breaking.length) return { state: 'not-done', evidence: `breaking migration: ${where(breaking[0])} — ${breaking[0].message}` };
  // A migration that was not read, or one the base already has and this change edits, is not known to be compatible.
  const unread = findingsOf(a, (r) => r === 'migration-unparsed' || r === 'migration-edited');
  if (unread.length) return { state: 'not-done', evidence: `${where(unread[0])} — ${unread[0].message}` };
  const other = findingsOf(a, (r) => inGroup(r, 'migration'));
  if (other.length) return { state: 'done', evidence: `migration is backward compatible (${where(other[0])})` };
  return { state: 'done', evidence: 'no database migration in this change' };
}

function flagsItem(a: Assessment, policy: Pick<Policy, 'flags'>): Pick<ChecklistItem, 'state' | 'evidence'> {
  if (!a.flags.length) return { state: 'done', evidence: 'no flags needed: the change has no flag-guarded code' };
  const missing = a.flags.filter((f) => !(f.name in policy.flags)).map((f) => f.name);
  if (missing.length) return { state: 'not-done', evidence: `not in the policy's flags: ${missing.join(', ')} (add each with its production state)` };
  return { state: 'done', evidence: `configured in the policy: ${a.flags.map((f) => `${f.name}=${policy.flags[f.name]}`).join(', ')}` };
}

function windowItem(w: ChecklistFacts['window']): Pick<ChecklistItem, 'state' | 'evidence'> {
  if (w.hotfix) return { state: 'done', evidence: `security hotfix: deploys at once (${w.when}), exempt from the deployment windows` };
  if (w.quality) return { state: 'done', evidence: `starts ${w.when}, in the ${w.quality} window` };
  return { state: 'not-done', evidence: `starts ${w.when}, outside the best windows` };
}

const UNKNOWN: Partial<Record<Id, string>> = {
  review: 'a person confirms the review',
  dashboards: 'the gates below list the metrics each dashboard needs',
  oncall: 'name the on-call engineer for the rollout dates',
  alerts: 'the gates below give the thresholds to configure',
  stakeholders: 'share the schedule below',
};

export function buildChecklist(a: Assessment, policy: Pick<Policy, 'flags'>, facts: ChecklistFacts): ChecklistItem[] {
  return PRE_DEPLOYMENT_CHECKLIST.map(({ id, text }) => {
    let decided: Pick<ChecklistItem, 'state' | 'evidence'>;
    switch (id) {
      case 'tests': decided = testsItem(a); break;
      case 'migrations': decided = migrationsItem(a); break;
      case 'flags': decided = flagsItem(a, policy); break;
      case 'rollback': decided = { state: 'done', evidence: `the plan names ${facts.rollbackLevel}` }; break;
      case 'window': decided = windowItem(facts.window); break;
      default: decided = { state: 'unknown', evidence: UNKNOWN[id] };
    }
    return { id, text, ...decided };
  });
}
