import type { SchemaChange } from '../../schema-change';
import type { Tier } from '../../tier';
import type { Finding, LockHazard, RuleId } from '../types';

/**
 * What a migration statement does to code that is already running against the database
 * while the new version rolls out stage by stage.
 * - breaking: old code fails (a column it reads is gone, a write it makes is now rejected)
 * - compatible: old and new code both keep working
 * - locking: compatible, but blocks writes while it runs (CREATE INDEX without CONCURRENTLY)
 * - data-write: changes rows (backfills, deletes, TRUNCATE): not undone by rolling the code back
 * - unparsed: could not be read, so could not be judged
 * - no-sql: changes only what the framework keeps in code (Django `choices`, `help_text`): no statement
 *   runs, but the migration still does at deploy (it is recorded, and later migrations depend on it)
 */
export type Effect = 'breaking' | 'compatible' | 'locking' | 'data-write' | 'unparsed' | 'no-sql';

/** The kind of schema change (../../schema-change): what the finding's `schemaChange` says. */
export type Check = SchemaChange;

export interface Verdict {
  check: Check;
  effect: Effect;
  message: string;
  /** squawk's names for the lock and outage hazards of the statement (see hazards.ts); they do not change the tier. */
  hazards?: LockHazard[];
  /** The column the statement changes, as `table.column`, where a later statement of the file can revise the verdict (SET NOT NULL after a validated CHECK). */
  column?: string;
  /** The type a column change names, as written: an earlier migration's definition of the column may show it widens (widening.ts). */
  toType?: string;
}

/** A verdict placed in its file: the statement's first and last line and its text. */
export interface Judgement extends Verdict {
  line: number;
  endLine: number;
  quote: string;
  /** The judgement of code a statement runs, written elsewhere in the file (the function a RunPython names): reported only when an edit touches that code. */
  body?: true;
}

const RULES: Record<Effect, { rule: RuleId; tier: Tier; short: string }> = {
  breaking: { rule: 'migration-breaking', tier: 'HIGH', short: 'breaking migration' },
  'data-write': { rule: 'data-write', tier: 'HIGH', short: 'data write in migration' },
  compatible: { rule: 'migration', tier: 'MEDIUM', short: 'backward-compatible migration' },
  locking: { rule: 'migration', tier: 'MEDIUM', short: 'migration locks writes' },
  'no-sql': { rule: 'migration', tier: 'MEDIUM', short: 'migration, no SQL emitted' },
  // What could not be read could hide anything: HIGH unless the policy's `migrations.unparsed` lowers it.
  unparsed: { rule: 'migration-unparsed', tier: 'HIGH', short: 'migration not parsed: review by hand' },
};

export interface JudgeOptions {
  /** Tier of a statement that could not be parsed (policy `migrations.unparsed`); HIGH by default. */
  unparsedTier?: Tier;
}

export function toFinding(j: Judgement, options: JudgeOptions = {}): Finding {
  const r = RULES[j.effect];
  const tier = j.effect === 'unparsed' ? (options.unparsedTier ?? r.tier) : r.tier;
  const hazards = j.hazards?.length ? { lockHazards: [...new Set(j.hazards)] } : {};
  return { rule: r.rule, tier, line: j.line, message: j.message, short: r.short, quote: j.quote, schemaChange: j.check, ...hazards };
}

const QUOTE_MAX = 200;

/** One line of text for a finding: whitespace collapsed, long statements cut with an ellipsis. */
export function quoteOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_MAX ? `${flat.slice(0, QUOTE_MAX - 1)}…` : flat;
}
