import type { Verdict } from '../judgement';

/*
 * Which SQL a project's migrations are written in. PostgreSQL is read by libpg-query; MySQL,
 * MariaDB and SQLite by node-sql-parser. `other` (H2, HSQLDB…) is tried with each parser in turn.
 */
export type Dialect = 'postgresql' | 'mysql' | 'sqlite' | 'other';

/**
 * Words that name a database driver or adapter in a dependency manifest or framework config,
 * and the dialect each one means. Looked up as whole words through the repository search.
 */
const DRIVERS: Record<string, Dialect> = {
  pg: 'postgresql',
  postgres: 'postgresql',
  postgresql: 'postgresql',
  psycopg: 'postgresql',
  psycopg2: 'postgresql',
  asyncpg: 'postgresql',
  pgx: 'postgresql',
  'lib/pq': 'postgresql',
  mysql: 'mysql',
  mysql2: 'mysql',
  mysqlclient: 'mysql',
  pymysql: 'mysql',
  mariadb: 'mysql',
  trilogy: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
};

/** The search terms whose hits `detectDialect` reads. */
export const DIALECT_TERMS = Object.keys(DRIVERS).filter((t) => /^\w+$/.test(t));

/** Files where a driver's name means the project uses that database. */
const MANIFESTS =
  /(^|\/)(package\.json|Gemfile|Gemfile\.lock|go\.mod|pom\.xml|build\.gradle(\.kts)?|requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.py|composer\.json|database\.yml|settings\.py|application[\w-]*\.(properties|ya?ml)|alembic\.ini|knexfile\.[jt]s|ormconfig\.\w+|prisma\/schema\.prisma|schema\.prisma)$/;

/**
 * The project's dialect from where each driver word appears: only manifests and framework config
 * count (a word in an unrelated source file says nothing). None, or several with PostgreSQL among
 * them, keeps PostgreSQL; MySQL beside SQLite reads as MySQL. A statement the dialect's parser
 * rejects is still tried with the other parsers.
 */
export function detectDialect(hits: Map<string, string[]>): Dialect {
  const found = new Set<Dialect>();
  for (const [term, paths] of hits) {
    const d = DRIVERS[term];
    if (d && paths.some((p) => MANIFESTS.test(p))) found.add(d);
  }
  // Several drivers (an app that supports more than one database): PostgreSQL if it is one of them.
  if (found.has('postgresql') || !found.size) return 'postgresql';
  return found.has('mysql') ? 'mysql' : 'sqlite';
}

/** Outside PostgreSQL there is no CONCURRENTLY and none of its lock hazards: an index build is not reported as needing it. */
export function notPostgres<V extends Verdict>(verdicts: V[]): V[] {
  return verdicts.map((v) => {
    const out: V = { ...v };
    delete out.hazards;
    if ((v.check === 'create-index' || v.check === 'drop-index') && v.effect === 'locking') {
      out.effect = 'compatible';
      out.message = v.message.replace(/ without CONCURRENTLY: .*$/, ': backward compatible').replace(/; blocks access to its table while it runs$/, '');
    }
    return out;
  });
}
