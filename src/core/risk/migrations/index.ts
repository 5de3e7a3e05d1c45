import type { ChangedFile } from '../../change/types';
import type { Finding } from '../types';

/** Whether a path looks like a database migration or schema file of a supported framework. */
export function isMigrationFile(_path: string): boolean {
  return false;
}

/**
 * Parses a migration (SQL, Rails, Django, Alembic, Knex, Sequelize, TypeORM, Prisma schema, Flyway, Liquibase)
 * and judges each statement: `migration-breaking` (HIGH) or `migration` (MEDIUM, backward compatible),
 * quoting the statement. Returns null when the file is not a migration.
 */
export async function analyzeMigration(_file: ChangedFile): Promise<Finding[] | null> {
  return null;
}
