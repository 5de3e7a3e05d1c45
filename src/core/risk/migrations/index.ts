import type { ChangedFile } from '../../change/types';
import type { Finding } from '../types';
import { detectFormat, formatsForPath, isSchemaSnapshot } from './detect';
import { editOf, isCosmeticEdit } from './edited';
import { readFramework } from './frameworks';
import { alteredFieldNames } from './frameworks/django-fields';
import { hasForwardCode } from './frameworks/forward';
import { toFinding, type JudgeOptions, type Judgement } from './judgement';
import { judgeSql, readSql } from './sql';
import { notPostgres, type Dialect } from './sql/dialect';
import { verdict } from './verdicts';
import { typeChangeColumns, withWidenings } from './widening';

export { isSchemaSnapshot } from './detect';
export { detectDialect, DIALECT_TERMS, type Dialect } from './sql/dialect';

export interface MigrationOptions extends JudgeOptions {
  /** The project's SQL dialect (see sql/dialect.ts); PostgreSQL when unknown. */
  dialect?: Dialect;
  /** Whether the change also holds a migration that is not a schema snapshot. */
  migrationInChange?: boolean;
  /** The change's files, for what a migration's meaning depends on (a Django model's old field). */
  changed?: ChangedFile[];
  /** Other migrations of the repository by path, as read: where a Django AlterField's earlier definition is (see migrationHistoryTerms). */
  history?: ReadonlyMap<string, string>;
}

/** Whether a path looks like a database migration or schema file of a supported framework. */
export function isMigrationFile(path: string): boolean {
  return formatsForPath(path).length > 0 || isSchemaSnapshot(path);
}

/**
 * Parses a migration (SQL, Rails, Django, Alembic, Knex, Sequelize, TypeORM, Prisma schema, Flyway, Liquibase)
 * and judges each statement: `migration-breaking` (HIGH) or `migration` (MEDIUM, backward compatible),
 * quoting the statement. Data statements (UPDATE/INSERT/DELETE backfills, TRUNCATE, ORM saves, RunPython…)
 * are `data-write` (HIGH): rolling the code back does not undo them. What cannot be read — a statement
 * the parser rejects, SQL built at run time, a forward step in which nothing was recognised — is
 * `migration-unparsed`, HIGH unless the policy lowers it. An edit to a migration the base already has
 * is `migration-edited`, HIGH beside the judgements of its edited statements (nothing when only
 * whitespace or comments change). A generated schema snapshot
 * is `migration-snapshot`. Returns null when the file is not a migration.
 *
 * Only the forward direction counts (`up`, `upgrade`, `change`): `down` is what a rollback runs.
 * For a modified migration only the statements that touch changed lines are reported.
 */
export async function analyzeMigration(file: ChangedFile, options: MigrationOptions = {}): Promise<Finding[] | null> {
  if (!isMigrationFile(file.path)) return null;
  if (isSchemaSnapshot(file.path)) return [snapshotFinding(file, options.migrationInChange ?? false)];
  const format = detectFormat(file.path, file.content ?? '');
  // schema.prisma is the schema itself, edited in every change; its migrations are SQL files.
  if (format === 'prisma') return (await readFramework('prisma', file)).map((j) => toFinding(j, options));
  const edited = format === null && file.content !== undefined ? [] : editOf(file, format ?? undefined);
  if (file.content === undefined || format === null) return format === null && file.content !== undefined ? null : edited;
  if ((file.status === 'modified' || file.status === 'renamed') && (file.addedLines.length || file.removedLines.length) && isCosmeticEdit(file, format)) {
    return [{ rule: 'cosmetic', tier: 'ZERO', line: file.ranges[0]?.start ?? 0, message: 'changes only whitespace or comments of the migration: no statement changes', short: 'no schema change' }];
  }
  const dialect = sqlDialect(file.path, options.dialect);
  const read = format === 'sql' ? await judgeSql(file.content, 1, dialect, await earlierNotNullChecks(file, options.changed ?? [], dialect)) : await readFramework(format, file, options.changed, options.history);
  const judgements = withWidenings(dialect === undefined || dialect === 'postgresql' ? read : notPostgres(read), file.path, options.history);
  const judged = onlyChanged(file, judgements);
  if (!judgements.length && (file.status === 'added' || file.status === 'untracked') && hasForwardCode(format, file.content)) {
    judged.push(unrecognised(file));
  }
  return [...edited, ...judged.map((j) => toFinding(j, options))];
}

/** What the repository search must find for a migration's history: the fields a Django migration's AlterFields name, the columns whose type a script changes. */
export function migrationHistoryTerms(file: ChangedFile): string[] {
  const text = file.content ?? '';
  const format = detectFormat(file.path, text);
  if (format === 'django') return alteredFieldNames(text);
  // The columns whose type a SQL script or a Liquibase changelog changes: their earlier definitions say whether it widens.
  if (format === 'sql' || format === 'liquibase-xml') return typeChangeColumns(file);
  return [];
}

/** The files of the repository, among those the search found naming the terms, that are earlier migrations of the same folder. */
export function migrationHistoryFiles(file: ChangedFile, refs: ReadonlyMap<string, readonly string[]>): string[] {
  const dir = file.path.slice(0, file.path.lastIndexOf('/') + 1);
  const out = new Set<string>();
  for (const t of migrationHistoryTerms(file)) {
    for (const p of refs.get(t) ?? []) {
      if (p !== file.path && p.startsWith(dir) && !p.slice(dir.length).includes('/') && p.localeCompare(file.path, undefined, { numeric: true }) < 0) out.add(p);
    }
  }
  return [...out];
}

/**
 * `SET NOT NULL` is safe after a validated `CHECK (col IS NOT NULL)`; the check may sit in an
 * earlier migration of the same change (same folder, earlier name), which is read first.
 */
async function earlierNotNullChecks(file: ChangedFile, changed: ChangedFile[], dialect: Dialect | undefined): Promise<Map<string, string>> {
  const proven = new Map<string, string>();
  if ((dialect ?? 'postgresql') !== 'postgresql' || !/\bSET\s+NOT\s+NULL\b/i.test(file.content ?? '')) return proven;
  const dir = file.path.slice(0, file.path.lastIndexOf('/') + 1);
  const earlier = changed
    .filter((f) => f.path !== file.path && f.content !== undefined && f.path.startsWith(dir) && !f.path.slice(dir.length).includes('/'))
    .filter((f) => detectFormat(f.path, f.content!) === 'sql' && f.path.localeCompare(file.path, undefined, { numeric: true }) < 0)
    .sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
  for (const f of earlier) if (/\bIS\s+NOT\s+NULL\b/i.test(f.content!)) await readSql(f.content!, 'postgresql', proven);
  return proven;
}

/** A migration's own folder names its dialect (Flyway's `db/migration/mysql`), before the project's. */
function sqlDialect(path: string, project: Dialect | undefined): Dialect | undefined {
  const dir = /(^|\/)(mysql|mariadb|sqlite3?|postgres(?:ql)?|pg|h2|hsqldb)(\/|$)/i.exec(path.slice(0, path.lastIndexOf('/') + 1))?.[2]?.toLowerCase();
  if (!dir) return project;
  if (dir === 'mysql' || dir === 'mariadb') return 'mysql';
  if (dir.startsWith('sqlite')) return 'sqlite';
  if (dir === 'h2' || dir === 'hsqldb') return 'other';
  return 'postgresql';
}

function unrecognised(file: ChangedFile): Judgement {
  const first = file.addedLines.find((l) => l.text.trim())?.line ?? 1;
  return {
    ...verdict.unparsed('none of its forward statements is one this reader recognises'),
    line: first,
    endLine: first,
    quote: file.addedLines.find((l) => l.line === first)?.text.trim() ?? '',
  };
}

function snapshotFinding(file: ChangedFile, migrationInChange: boolean): Finding {
  const line = file.ranges[0]?.start ?? 0;
  if (migrationInChange) {
    return {
      rule: 'migration-snapshot',
      tier: 'ZERO',
      line,
      message: 'generated schema snapshot: the migration in this change is what runs, and is judged instead',
      short: 'schema snapshot',
    };
  }
  return {
    rule: 'migration-snapshot',
    tier: 'MEDIUM',
    line,
    message: 'schema snapshot changed without a migration in this change: it is generated from migrations, so check which migration it reflects and review it by hand',
    short: 'schema snapshot alone',
  };
}

function onlyChanged(file: ChangedFile, judgements: Judgement[]): Judgement[] {
  if (file.status !== 'modified' && file.status !== 'renamed') return judgements.filter((j) => !j.body);
  return judgements.filter((j) => file.ranges.some((r) => r.start <= j.endLine && j.line <= r.end));
}
