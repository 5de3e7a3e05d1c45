/**
 * The answer a plan leads with: why this tier (the decisive findings, those a rollback cannot undo
 * first, each with its file and line), what to do about it, and the schedule in one line. One
 * summary serves the plan view and the Markdown for a pull request.
 */
import { irreversible, permanence } from '../catalog';
import { shownLine } from '../place';
import type { SchemaChange } from '../schema-change';
import { tierRank, type Tier } from '../tier';
import type { RolloutPlan } from './schema';

/** A finding placed in its file, as the plan view and the Markdown list it. */
export interface PlacedFinding {
  file: string;
  /** 1-based; 0 when the finding concerns the whole file. */
  line: number;
  tier: Tier;
  rule: string;
  message: string;
  flag?: string;
  /** For a migration statement: the kind of schema change (drop-column, set-not-null…). */
  schemaChange?: SchemaChange;
}

/** Strongest first: what a rollback cannot undo (a breaking migration, then a data write), then by tier, then by place. */
export function byWeight(a: PlacedFinding, b: PlacedFinding): number {
  return permanence(b.rule) - permanence(a.rule) || tierRank(b.tier) - tierRank(a.tier) || a.file.localeCompare(b.file) || a.line - b.line;
}

/** Every finding of an assessment, placed in its file, strongest first. */
export function placedFindings(a: { files: readonly { path: string; findings: readonly Omit<PlacedFinding, 'file'>[] }[] }): PlacedFinding[] {
  return a.files
    .flatMap((f) =>
      f.findings.map((x) => ({
        file: f.path,
        line: shownLine(x),
        tier: x.tier,
        rule: x.rule,
        message: x.message,
        ...(x.flag ? { flag: x.flag } : {}),
        ...(x.schemaChange ? { schemaChange: x.schemaChange } : {}),
      })),
    )
    .sort(byWeight);
}

export function placeOf(f: Pick<PlacedFinding, 'file' | 'line'>): string {
  return f.line > 0 ? `${f.file}:${f.line}` : f.file;
}

export interface PlanSummary {
  /** One sentence: the tier and what decided it. */
  why: string;
  /** The findings that decided the tier (at most `limit`), strongest first. */
  decisive: PlacedFinding[];
  /** How many more findings are at the plan's tier than `decisive` lists. */
  more: number;
  /** What to do, in one sentence. */
  recommendation: string;
  /** "Wed 2 Dec 10:00 → Fri 11 Dec 10:00, 6 traffic steps, about 9 days" */
  schedule: string;
  /** The rollback every required stage names, when they all name the same one. */
  rollback?: { level: number; action: string };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-12-02T10:00:00+01:00" → "Wed 2 Dec 10:00": the wall time in the plan's own offset. */
export function shortWhen(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
  return `${WEEKDAYS[day]} ${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[4]}:${m[5]}`;
}

/** "about 9 days", "about 5 h", "at once": the calendar time from the first step's start to the last one's end. */
export function durationText(startIso: string, endIso: string): string {
  const hours = (Date.parse(endIso) - Date.parse(startIso)) / 3_600_000;
  if (!Number.isFinite(hours) || hours <= 0) return 'at once';
  if (hours >= 48) return `about ${Math.round(hours / 24)} days`;
  if (hours >= 1) return `about ${Math.round(hours)} h`;
  return `about ${Math.max(1, Math.round(hours * 60))} min`;
}

/** The traffic steps of stages 3–5 that the plan runs. */
export function trafficSteps(plan: RolloutPlan): RolloutPlan['stages'][number]['steps'] {
  return plan.stages.filter((s) => s.number >= 3 && s.required).flatMap((s) => s.steps);
}

export function scheduleLine(plan: RolloutPlan): string {
  const s = plan.schedule;
  const steps = trafficSteps(plan).length;
  const parts = [`${shortWhen(s.start)} → ${shortWhen(s.end)}`, `${steps} traffic step${steps === 1 ? '' : 's'}`, durationText(s.start, s.end)];
  return parts.join(', ') + (s.securityHotfix ? ' (security hotfix: deploys at once)' : '');
}

/** What a breaking change asks for, by the kind of schema change its finding names: expand/contract, in order. */
function splitAdvice(f: PlacedFinding): string {
  switch (f.schemaChange) {
    case 'drop-column':
      return 'Split: ship the code that stops using the column first; drop it in a later deploy.';
    case 'drop-table':
      return 'Split: ship the code that stops using the table first; drop it in a later deploy.';
    case 'rename-column':
    case 'rename-table':
      return 'Split: add the new name and write to both, move the readers to it, then drop the old name in a later deploy.';
    case 'change-column-type':
      return 'Split: add a new column of the new type, write to both and backfill, move the readers, then drop the old column in a later deploy.';
    case 'set-not-null':
    case 'add-required-column':
      return 'Split: ship the code that always writes the column first; add the constraint in a later deploy.';
  }
  if (permanence(f.rule) === 1) return 'Back up the data this change writes and rehearse the restore before stage 1: a code rollback does not undo it.';
  return 'Split it expand/contract: ship the additive change first, move the readers, contract in a later deploy.';
}

function rolloutAdvice(plan: RolloutPlan): string {
  const percents = trafficSteps(plan).map((s) => s.trafficPercent);
  switch (plan.strategy) {
    case 'immediate':
      return 'Deploy at once and check that the deployment succeeds.';
    case 'flag-gated':
      return `Deploy with the flag OFF, then turn it on (${percents.join(' → ')} %) and watch the gates.`;
    default:
      return `${plan.strategy === 'extended-canary' ? 'Extended canary' : 'Canary'}: ${percents.join(' → ')} %, each step held until its gates pass.`;
  }
}

/** The same rollback for every required stage: said once, not once per stage. */
export function sharedRollback(plan: RolloutPlan): { level: number; action: string } | undefined {
  const required = plan.stages.filter((s) => s.required);
  const first = required[0]?.rollback;
  if (!first || !required.every((s) => s.rollback.level === first.level && s.rollback.action === first.action)) return undefined;
  return first;
}

export function summarizePlan(plan: RolloutPlan, findings: readonly PlacedFinding[] | undefined, limit = 3): PlanSummary {
  const sorted = [...(findings ?? [])].sort(byWeight);
  const atTier = sorted.filter((f) => f.tier === plan.tier);
  const decisive = atTier.slice(0, limit);
  const undo = atTier.filter((f) => irreversible(f.rule)).length;
  let why: string;
  if (findings === undefined) why = `${plan.tier}: a chosen tier, not an analysis of the change.`;
  else if (sorted.length === 0) why = `${plan.tier}: no findings, nothing risky in this change.`;
  else {
    const count = `${atTier.length} finding${atTier.length === 1 ? '' : 's'} at ${plan.tier}`;
    why = `${plan.tier} because of ${count}${undo ? `, ${undo} not undone by a rollback` : ''}.`;
  }
  const first = decisive[0];
  const recommendation = first && irreversible(first.rule) ? splitAdvice(first) : rolloutAdvice(plan);
  const rollback = sharedRollback(plan);
  return { why, decisive, more: atTier.length - decisive.length, recommendation, schedule: scheduleLine(plan), ...(rollback ? { rollback } : {}) };
}
