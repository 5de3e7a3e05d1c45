import type { ChangedFile } from '../../change/types';
import type { Finding } from '../types';
import { detectFormat, formatsForPath } from './detect';
import { readFramework } from './frameworks';
import { toFinding, type Judgement } from './judgement';
import { judgeSql } from './sql';

/** Whether a path looks like a database migration or schema file of a supported framework. */
export function isMigrationFile(path: string): boolean {
  return formatsForPath(path).length > 0;
}

/**
 * Parses a migration (SQL, Rails, Django, Alembic, Knex, Sequelize, TypeORM, Prisma schema, Flyway, Liquibase)
 * and judges each statement: `migration-breaking` (HIGH) or `migration` (MEDIUM, backward compatible),
 * quoting the statement. Data statements (UPDATE/INSERT/DELETE backfills, TRUNCATE, RunPython…) are
 * `data-write` (HIGH): rolling the code back does not undo them. A statement that cannot be parsed is
 * `migration-unparsed` (MEDIUM). Returns null when the file is not a migration.
 *
 * Only the forward direction counts (`up`, `upgrade`, `change`): `down` is what a rollback runs.
 * For a modified migration only the statements that touch changed lines are reported.
 */
export async function analyzeMigration(file: ChangedFile): Promise<Finding[] | null> {
  if (!isMigrationFile(file.path)) return null;
  const format = detectFormat(file.path, file.content ?? '');
  if (format === 'prisma') return (await readFramework('prisma', file)).map(toFinding);
  if (file.content === undefined || format === null) return format === null && file.content !== undefined ? null : [];
  const judgements = format === 'sql' ? await judgeSql(file.content) : await readFramework(format, file);
  return onlyChanged(file, judgements).map(toFinding);
}

function onlyChanged(file: ChangedFile, judgements: Judgement[]): Judgement[] {
  if (file.status !== 'modified' && file.status !== 'renamed') return judgements;
  return judgements.filter((j) => file.ranges.some((r) => r.start <= j.endLine && j.line <= r.end));
}
