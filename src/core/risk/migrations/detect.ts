import { hasNumberedSteps } from './frameworks/numbered';

/** The migration formats Rollout Lens reads. */
export type MigrationFormat = 'sql' | 'rails' | 'django' | 'alembic' | 'knex' | 'sequelize' | 'typeorm' | 'js-sql' | 'prisma' | 'liquibase-xml' | 'liquibase-yaml' | 'go' | 'python-numbered';

/** Folders that hold SQL or changelog migrations (migrations, db/migration, db/changelog…). */
const MIGRATION_DIR = /(^|\/)(migrations?|migrate|versions|changelogs?|db|schema)\//i;
/** Folders that hold migrations written as code: Django and Knex `migrations/`, Alembic `versions/`, `alterations/` scripts. */
const CODE_MIGRATION_DIR = /(^|\/)(migrations?|versions|alterations)\//i;
/** Flyway names its scripts V<version>__<description>.sql (R__ for repeatable ones). */
const FLYWAY_NAME = /(^|\/)(V\d+([._]\d+)*|R)__[^/]+\.sql$/;

/** Which kind of migration a path can hold, from the path alone; content decides among JS/Python frameworks. */
export function formatsForPath(path: string): MigrationFormat[] {
  const p = path.replace(/\\/g, '/');
  const name = p.slice(p.lastIndexOf('/') + 1);
  if (/\.prisma$/i.test(name)) return ['prisma'];
  if (/\.sql$/i.test(name)) return FLYWAY_NAME.test(p) || MIGRATION_DIR.test(p) || /migrat/i.test(name) ? ['sql'] : [];
  const inMigrations = MIGRATION_DIR.test(p);
  const inCodeMigrations = CODE_MIGRATION_DIR.test(p);
  if (/\.rb$/i.test(name)) return /(^|\/)db\/migrate\//.test(p) ? ['rails'] : [];
  // A `migrations.py` module of numbered steps (`async def m001_initial(db)`) holds a package's every migration.
  if (name === 'migrations.py' && !inCodeMigrations) return ['python-numbered'];
  if (/\.py$/i.test(name)) return inCodeMigrations && name !== '__init__.py' ? ['django', 'alembic'] : [];
  if (/\.(c|m)?[jt]s$/i.test(name) && !/\.d\.ts$/i.test(name)) return inCodeMigrations ? ['knex', 'sequelize', 'typeorm', 'js-sql'] : [];
  if (/\.go$/i.test(name)) return inCodeMigrations && !/_test\.go$/i.test(name) ? ['go'] : [];
  // A Liquibase changelog: in a migrations folder, named a changelog, or kept in a `liquibase` folder (`…/liquibase/updates/*.xml`).
  const liquibase = inMigrations || /changelog/i.test(name) || /(^|\/)liquibase\//i.test(p);
  if (/\.xml$/i.test(name)) return liquibase ? ['liquibase-xml'] : [];
  if (/\.ya?ml$/i.test(name)) return liquibase ? ['liquibase-yaml'] : [];
  return [];
}

/** Picks the format from the file's own content, or null when it is not a migration after all. */
export function detectFormat(path: string, content: string): MigrationFormat | null {
  const candidates = formatsForPath(path);
  if (candidates.length <= 1) {
    const only = candidates[0];
    if (only === 'liquibase-xml' || only === 'liquibase-yaml') return /databaseChangeLog/.test(content) ? only : null;
    if (only === 'python-numbered') return hasNumberedSteps(content) ? only : null;
    return only ?? null;
  }
  if (candidates.includes('alembic')) {
    if (/\bfrom\s+alembic\s+import\b|\bimport\s+alembic\b|^\s*def\s+upgrade\s*\(/m.test(content)) return 'alembic';
    if (/\bmigrations\.Migration\b|\bfrom\s+django\.db\s+import\b/.test(content)) return 'django';
    return null;
  }
  // A JavaScript migration exports an `up` step; anything else in the folder is a helper.
  if (!/\bup\b/.test(content)) return null;
  if (/\bqueryRunner\b|\bMigrationInterface\b/.test(content)) return 'typeorm';
  if (/\bqueryInterface\b|\bQueryInterface\b|\bSequelize\b/.test(content)) return 'sequelize';
  if (/\bknex\b|\bKnex\b/.test(content)) return 'knex';
  // Any other `up` step that hands SQL to a database client (`pool.query(sql\`…\`)`, `db.execute(…)`).
  if (/\.(?:query|execute|exec)\s*\(/.test(content)) return 'js-sql';
  return null;
}

/**
 * Schema snapshots a framework writes from its migrations (Rails `db/schema.rb`, `db/structure.sql`,
 * a `LATEST.sql` dump): generated, so the migration is what is judged.
 */
export function isSchemaSnapshot(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  return /(^|\/)db\/(\w+_)?(schema\.rb|structure\.sql)$/.test(p) || /(^|\/)(structure|LATEST)\.sql$/.test(p);
}
