/**
 * Every rule id the risk engine can emit, with its group, a short label and one line of
 * documentation. `--json` prints these ids as `rule`, and docs/rules.md documents each one under a
 * heading that is the id itself (a test keeps the two equal). Consumers ask `inGroup(id, …)`,
 * never compare prefixes of ids, so renaming a rule is a compile error wherever it is read.
 *
 * It imports nothing at run time (no Node, no change types), so the planner, the editor's light
 * bundle and the webview share it; the lint config keeps it so.
 */
import type { Tier } from './tier';

/**
 * `content`: what a changed line does (auth, payments, middleware, API); `data`: writes to stored
 * data, generic and per ORM or driver (rules/data-writes.ts); `path`: what a file is, by its path and kind; `shape`: the
 * form of the change (comments only, imports only, nothing calls it yet); `flag`: feature flags;
 * `migration`: database migrations; `policy`: the project's policy file decided.
 */
export type RuleGroup = 'content' | 'data' | 'path' | 'shape' | 'flag' | 'migration' | 'policy';

/** A rule's tier, or `varies` when the finding carries it (the policy's, a flag's, the wrapped code's). */
export type RuleTier = Tier | 'varies';

export interface RuleMeta {
  group: RuleGroup;
  tier: RuleTier;
  short: string;
  doc: string;
}

export const RULES = {
  // Content of the changed lines.
  auth: { group: 'content', tier: 'HIGH', short: 'auth', doc: 'authentication, authorization, sessions, credentials or cryptography code' },
  'auth-settings': { group: 'content', tier: 'HIGH', short: 'auth settings', doc: "settings of an authentication library (Django's AUTH_/AXES_/SESSION_ settings, a Doorkeeper or Devise initializer): who can sign in, and how" },
  payment: { group: 'content', tier: 'HIGH', short: 'payments', doc: 'payment processing code' },
  middleware: { group: 'content', tier: 'MEDIUM', short: 'middleware', doc: 'middleware, filters and interceptors: every request passes through them' },
  api: { group: 'content', tier: 'MEDIUM', short: 'API change', doc: 'an API route, handler or schema: clients depend on its contract' },

  // Writes to stored data.
  'data-write': { group: 'data', tier: 'HIGH', short: 'data write', doc: 'SQL and ORM writes in application code, and data statements in migrations' },
  'data-write-prisma': { group: 'data', tier: 'HIGH', short: 'Prisma write', doc: 'a Prisma Client write (create, update, upsert, delete and their Many forms), its arguments included' },
  'data-write-typeorm': { group: 'data', tier: 'HIGH', short: 'TypeORM write', doc: 'a TypeORM repository, entity manager or query builder write' },
  'data-write-sequelize': { group: 'data', tier: 'HIGH', short: 'Sequelize write', doc: 'a Sequelize model or instance write' },
  'data-write-drizzle': { group: 'data', tier: 'HIGH', short: 'Drizzle write', doc: 'a Drizzle ORM insert, update or delete' },
  'data-write-sqlalchemy': { group: 'data', tier: 'HIGH', short: 'SQLAlchemy write', doc: 'a SQLAlchemy Core insert, update or delete statement, a query write, or a session write' },
  'data-write-django': { group: 'data', tier: 'HIGH', short: 'Django ORM write', doc: "a Django ORM write: a manager or queryset create, update, delete or bulk operation, an instance's save or delete" },
  'data-write-gorm': { group: 'data', tier: 'HIGH', short: 'GORM write', doc: 'a GORM write, or a changed GORM column of an existing field, which AutoMigrate alters at start-up' },
  'data-write-sql': { group: 'data', tier: 'HIGH', short: 'SQL write', doc: 'a statement whose SQL writes (INSERT, UPDATE … SET, DELETE, upserts), read across its string literals and in .sql query files' },
  'data-write-jpa': { group: 'data', tier: 'HIGH', short: 'JPA write', doc: 'a JPA or Spring Data write (save, delete, persist, merge, executeUpdate), or the @Transactional or @Modifying around writes' },
  'data-write-activerecord': { group: 'data', tier: 'HIGH', short: 'ActiveRecord write', doc: 'an ActiveRecord write, or an association that destroys or rewrites other records (dependent:)' },

  // What a file is, by its path and kind.
  test: { group: 'path', tier: 'ZERO', short: 'test', doc: 'test code: not deployed to users' },
  docs: { group: 'path', tier: 'ZERO', short: 'docs', doc: 'documentation: not deployed as code' },
  tooling: { group: 'path', tier: 'ZERO', short: 'tooling', doc: 'developer tooling settings: not part of what is deployed' },
  ci: { group: 'path', tier: 'ZERO', short: 'CI', doc: 'the CI pipeline: it runs on the build machines, not in the service' },
  binary: { group: 'path', tier: 'LOW', short: 'binary', doc: 'a binary file, not inspected' },
  rename: { group: 'path', tier: 'LOW', short: 'renamed', doc: 'a file renamed without content changes' },
  submodule: { group: 'path', tier: 'MEDIUM', short: 'submodule bump', doc: 'a submodule moved to another commit: its code is not inspected' },
  infrastructure: { group: 'path', tier: 'MEDIUM', short: 'infrastructure', doc: 'infrastructure or deployment configuration: prefer a blue/green switch' },
  dependencies: { group: 'path', tier: 'MEDIUM', short: 'dependencies', doc: 'runtime dependencies changed: different library code runs in production' },
  'dev-dependencies': { group: 'path', tier: 'ZERO', short: 'dev only', doc: 'development-only dependencies or manifest metadata: nothing that ships changes' },
  config: { group: 'path', tier: 'MEDIUM', short: 'settings', doc: 'runtime settings read by the service' },
  translations: { group: 'path', tier: 'varies', short: 'translations', doc: 'translation files: changed text people read (MEDIUM), or only new keys, which nothing shows until code uses them (LOW)' },
  'app-change': { group: 'path', tier: 'MEDIUM', short: 'app change', doc: 'application code that runs in production and no more specific rule matched' },
  'unreferenced-file': { group: 'path', tier: 'LOW', short: 'not wired in', doc: 'a new code file that nothing imports, references or loads by convention yet' },

  // The form of the change.
  cosmetic: { group: 'shape', tier: 'ZERO', short: 'no behaviour change', doc: 'only comments, whitespace or formatting changed, or a migration with no schema effect' },
  moved: { group: 'shape', tier: 'LOW', short: 'moved code', doc: 'lines moved unchanged from one file of the change to another: what they do is unchanged, only where they live' },
  imports: { group: 'shape', tier: 'LOW', short: 'imports only', doc: 'only imports changed: nothing new runs until the imported code is used' },
  'unused-export': { group: 'shape', tier: 'LOW', short: 'not called yet', doc: 'a new exported function that nothing calls yet' },

  // Feature flags.
  'flag-off': { group: 'flag', tier: 'ZERO', short: 'behind flag', doc: 'code deployed behind a feature flag that ships OFF' },
  'flag-wrap': { group: 'flag', tier: 'varies', short: 'turns off existing code', doc: 'existing code that a new OFF flag switches off: rated as the code it turns off' },

  // Database migrations.
  migration: { group: 'migration', tier: 'MEDIUM', short: 'migration', doc: 'a backward-compatible schema change (lock hazards are named, not rated)' },
  'migration-breaking': { group: 'migration', tier: 'HIGH', short: 'breaking migration', doc: 'a schema change the running code fails against' },
  'migration-unparsed': { group: 'migration', tier: 'HIGH', short: 'migration not parsed', doc: 'a migration statement that could not be parsed: review it by hand (the policy may set its tier)' },
  'migration-edited': { group: 'migration', tier: 'varies', short: 'existing migration edited', doc: 'a migration the base already has was edited or deleted (HIGH): environments that ran it never see the edit, and their schema parts ways with that of new ones (Flyway and Liquibase refuse the changed checksum outright); a repeatable Flyway script, which runs again, is MEDIUM' },
  'migration-snapshot': { group: 'migration', tier: 'varies', short: 'schema snapshot', doc: 'a generated schema snapshot: ZERO beside the migration it reflects, MEDIUM alone' },

  // The policy decided.
  policy: { group: 'policy', tier: 'varies', short: 'policy', doc: "the policy's `tiers` entry for the path sets the tier" },
} as const satisfies Record<string, RuleMeta>;

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function inGroup(id: RuleId, group: RuleGroup): boolean {
  return RULES[id].group === group;
}

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id);
}

/**
 * How much of a rule's effect a rollback of the code leaves in place: 2 for a schema change the
 * running code fails against, 1 for a write to stored data (by any ORM or driver, or in a
 * migration), 0 for the rest. A string that is no rule id (a plan read back from JSON) is 0.
 */
export function permanence(rule: string): 0 | 1 | 2 {
  if (!isRuleId(rule)) return 0;
  if (rule === 'migration-breaking') return 2;
  return inGroup(rule, 'data') ? 1 : 0;
}

/** A finding of this rule is not undone by a rollback of the code: the schema or the stored data has changed. */
export function irreversible(rule: string): boolean {
  return permanence(rule) > 0;
}
