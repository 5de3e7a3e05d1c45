import type { FileStatus, LineRange, PartlySearched } from '../change/types';
import type { Tier } from '../tier';
import type { RuleId } from '../catalog';
import type { SchemaChange } from '../schema-change';

export type { SchemaChange } from '../schema-change';

export type { RuleId } from '../catalog';

/**
 * What a file is, from its path (risk/paths.ts): tests and docs are decided by path alone, the
 * other kinds say how the changed lines are read.
 */
export type PathKind = 'test' | 'docs' | 'tooling' | 'ci' | 'infrastructure' | 'dependencies' | 'api-schema' | 'config' | 'code' | 'text' | 'binary-image';

/** What a content rule matched on the line, as data: readers choose by it, never by the message's words. */
export interface FindingSubject {
  /** The matched term as the code writes it: `jwt`, `stripe`, `create`, `app.use(`, an auth setting's name. */
  term: string;
  /** For `auth`: what kind of auth code the term is ("session handling", "credentials", "authorization"…). */
  category?: string;
  /** When the line matched through the name of the function it sits in: that function's name. */
  function?: string;
}

export interface Finding {
  /** Rule id from the catalogue (rules/catalog.ts, documented in docs/rules.md), e.g. `auth`, `data-write`, `migration-breaking`. */
  rule: RuleId;
  tier: Tier;
  /** 1-based line in the new version (or the old one for deletions); 0 when it concerns the whole file. */
  line: number;
  /** Set when the finding is about removed lines: `line` is then a line of the old version. */
  side?: 'removed';
  /** With `side`: the line of the new version after which the removed lines sat (0: above the first line). */
  after?: number;
  /** One sentence a developer understands, e.g. "drops column `users.email`: breaking for running code". */
  message: string;
  /** Short reason for a code lens, e.g. "breaking migration". */
  short?: string;
  /** The statement or line the finding is about, quoted. */
  quote?: string;
  /** When the finding sits inside code guarded by a feature flag that is OFF: the flag's name. */
  flag?: string;
  /**
   * Lock and outage hazards of a migration statement, by squawk's rule names (e.g.
   * `require-concurrent-index-creation`): they raise no tier; the plan's first stage lists them.
   */
  lockHazards?: LockHazard[];
  /** For a finding about a migration statement: the kind of schema change it makes (`drop-column`, `set-not-null`…). */
  schemaChange?: SchemaChange;
  facts?: FindingFacts;
  /** For a content or data-write rule (and a flag that turns such code off): what it matched. */
  subject?: FindingSubject;
}

/** What the finding was judged from, where its file's language has a grammar and a rule asked for it. */
export interface FindingFacts {
  /** `syntax`: the line was parsed; `lines`: read as text, as `reason` says (no grammar, a failed or skipped parse). */
  read: 'syntax' | 'lines';
  reason?: string;
}

/**
 * Lock and outage hazards of PostgreSQL migrations, named by squawk's rule ids where squawk has
 * one; `vacuum-full`, `explicit-lock` and `cluster` have no squawk rule and are named for the statement.
 */
export type LockHazard =
  | 'adding-field-with-default'
  | 'adding-serial-primary-key-field'
  | 'disallowed-unique-constraint'
  | 'adding-foreign-key-constraint'
  | 'constraint-missing-not-valid'
  | 'require-concurrent-index-creation'
  | 'require-concurrent-index-deletion'
  | 'ban-concurrent-index-creation-in-transaction'
  | 'require-concurrent-reindex'
  | 'vacuum-full'
  | 'explicit-lock'
  | 'cluster';

/** Something the added lines touch that a custom metric should watch (see signals.ts); raises no tier. */
export interface Signal {
  kind: 'cache' | 'external-call';
  line: number;
  /** The line, trimmed. */
  text: string;
}

export interface FileAssessment {
  path: string;
  oldPath?: string;
  status: FileStatus;
  /** What the file is, by its path: `test` and `docs` files are judged by that alone. */
  kind: PathKind;
  /** Highest tier of the findings that count for deploying the change as it is. */
  tier: Tier;
  findings: Finding[];
  ranges: LineRange[];
  linesAdded: number;
  linesDeleted: number;
  binary?: boolean;
  submodule?: boolean;
  /** Caches and outgoing calls the added lines touch, for the plan's custom metrics. */
  signals?: Signal[];
  /** Set when the file was read only in part (larger than what is read per file): what was judged. */
  note?: string;
}

/** Code behind a feature flag that this change deploys OFF: `tier` is the risk of turning the flag on. */
export interface FlagExposure {
  name: string;
  tier: Tier;
  files: string[];
}

export interface Assessment {
  tier: Tier;
  files: FileAssessment[];
  summary: { filesChanged: number; linesAdded: number; linesDeleted: number };
  flags: FlagExposure[];
  /** What was compared: 'HEAD', a merge-base, or null for an unborn repository. */
  base?: string | null;
  /** Marked as a security hotfix (policy field or --hotfix): exempt from deployment windows. */
  securityHotfix?: boolean;
  /**
   * Files the search for references read only in part, being larger than what is read per file:
   * a reference further in is not seen (a new file it alone uses shows as not wired in).
   */
  partlySearched?: PartlySearched[];
}
