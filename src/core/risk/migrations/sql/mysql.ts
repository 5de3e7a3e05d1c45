import type { Verdict } from '../judgement';
import { verdict } from '../verdicts';

/*
 * MySQL, MariaDB and SQLite statements, read with node-sql-parser. Chosen over sql-parser-cst:
 * its per-dialect builds (mysql ≈ 270 KB, sqlite ≈ 200 KB) parse backticks, `MODIFY`,
 * `CHANGE COLUMN`, `AFTER` and InnoDB table options, which sql-parser-cst 0.42 rejects, and
 * sql-parser-cst ships one 6 MB parser for every dialect. Each build is loaded on first use.
 */

type Ast = Record<string, unknown>;
interface SqlParser {
  astify(sql: string): Ast | Ast[];
}

const loaded = new Map<'mysql' | 'sqlite', Promise<SqlParser>>();

export function loadSqlParser(dialect: 'mysql' | 'sqlite'): Promise<SqlParser> {
  let p = loaded.get(dialect);
  if (!p) {
    p = (dialect === 'mysql' ? import('node-sql-parser/build/mysql.js') : import('node-sql-parser/build/sqlite.js')).then((m) => {
      const mod = m as unknown as { Parser?: new () => SqlParser; default?: { Parser: new () => SqlParser } };
      const Parser = mod.Parser ?? mod.default!.Parser;
      return new Parser();
    });
    p.catch(() => loaded.delete(dialect));
    loaded.set(dialect, p);
  }
  return p;
}

/** Session and transaction statements: they change nothing running code sees, and the parser does not know them all. */
export const SILENT_STATEMENT = /^\s*(SET|USE|BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK|LOCK\s+TABLES|UNLOCK\s+TABLES|PRAGMA|SELECT|ANALYZE|OPTIMIZE|SHOW|DELIMITER)\b/i;

const name = (t: unknown): string => {
  if (typeof t === 'string') return t;
  const o = (t ?? {}) as { type?: string; table?: string | null; db?: string | null; column?: unknown };
  if (o.type === 'column_ref' || o.column !== undefined) return typeof o.column === 'string' ? o.column : name((o.column as { expr?: { value?: string } } | undefined)?.expr?.value);
  if (typeof o.table === 'string') return o.db ? `${o.db}.${o.table}` : o.table;
  return '';
};
const first = (t: unknown): string => name(Array.isArray(t) ? t[0] : t);

function dataType(def: unknown): string {
  const d = (def ?? {}) as { dataType?: string; length?: number; scale?: number };
  if (!d.dataType) return '';
  return `${d.dataType}${d.length != null ? `(${d.length}${d.scale != null ? `,${d.scale}` : ''})` : ''}`;
}

/** Judges one statement of MySQL/MariaDB or SQLite as the node-sql-parser AST gives it. */
export function classifyMysql(ast: Ast): Verdict[] {
  switch (ast.type) {
    case 'alter':
      return alter(first(ast.table), (ast.expr as Ast[] | undefined) ?? []);
    case 'create': {
      const keyword = String(ast.keyword ?? '');
      if (keyword === 'table') return [verdict.createTable(first(ast.table))];
      if (keyword === 'index') return [createIndex(first(ast.table), ast.index as string | undefined)];
      return [verdict.other(`creates ${keyword || 'an object'}`)];
    }
    case 'drop': {
      const keyword = String(ast.keyword ?? '');
      const names = Array.isArray(ast.name) ? ast.name.map(name) : [name(ast.name)];
      if (keyword === 'table') return names.map((n) => verdict.dropTable(n));
      if (keyword === 'index') return names.map((n) => dropIndex(n));
      if (keyword === 'view' || keyword === 'trigger' || keyword === 'procedure' || keyword === 'function') return names.map((n) => verdict.other(`drops ${keyword} \`${n}\``));
      if (keyword === 'database' || keyword === 'schema') return names.map((n) => ({ ...verdict.dropObject('database', n), check: 'drop-database' as const }));
      return names.map((n) => verdict.dropObject(keyword || 'object', n));
    }
    case 'rename':
      return ((ast.table as unknown[][] | undefined) ?? []).map((pair) => verdict.renameTable(name(pair[0]), name(pair[1])));
    case 'truncate':
      return ((ast.name as unknown[] | undefined) ?? []).map((t) => verdict.truncate(name(t)));
    case 'update':
      return [verdict.dataWrite('updates rows of', first(ast.table))];
    case 'delete':
      return [verdict.dataWrite('deletes rows from', first(ast.from ?? ast.table))];
    case 'insert':
    case 'replace':
      return [verdict.dataWrite('inserts rows into', first(ast.table))];
    case 'select':
    case 'set':
    case 'use':
    case 'transaction':
      return [];
    default:
      return [verdict.other(`runs ${String(ast.type ?? 'a statement').toUpperCase()}`)];
  }
}

function alter(table: string, actions: Ast[]): Verdict[] {
  return actions.flatMap((a): Verdict[] => {
    const resource = String(a.resource ?? '');
    const column = name(a.column);
    switch (a.action) {
      case 'add':
        if (resource === 'column') return [addColumn(table, column, a)];
        if (resource === 'index') return [createIndex(table, a.index as string | undefined)];
        if (resource === 'constraint') {
          const c = (a.create_definitions ?? {}) as Ast;
          return [verdict.addConstraint(table, String(c.constraint_type ?? 'a').toLowerCase().replace(/ key$/, ''), (c.constraint ?? c.index) as string | undefined, true)];
        }
        return [verdict.other(`alters table \`${table}\` (adds ${resource || 'a definition'})`)];
      case 'drop':
        if (resource === 'column') return [verdict.dropColumn(table, column)];
        if (resource === 'index') return [dropIndex(String(a.index ?? ''))];
        if (resource === 'key' && a.keyword === 'primary key') return [verdict.dropConstraint(table, 'PRIMARY KEY')];
        return [verdict.dropConstraint(table, String(a.key ?? a.constraint ?? a.index ?? resource))];
      case 'modify':
        // MODIFY restates the whole column: type, nullability and default may all change at once.
        return [verdict.changeType(table, column, dataType(a.definition) + (a.nullable ? ' NOT NULL' : ''))];
      case 'change': {
        const from = name(a.old_column);
        const out: Verdict[] = [];
        if (from && from !== column) out.push(verdict.renameColumn(table, from, column));
        out.push(verdict.changeType(table, column, dataType(a.definition)));
        return out;
      }
      case 'rename':
        if (resource === 'column') return [verdict.renameColumn(table, name(a.old_column), column)];
        return [verdict.renameTable(table, name(a.table))];
      default:
        return [verdict.other(`alters table \`${table}\` (${String(a.action ?? 'change')})`)];
    }
  });
}

function addColumn(table: string, column: string, a: Ast): Verdict {
  const notNull = (a.nullable as { type?: string } | undefined)?.type === 'not null' || a.primary_key !== undefined;
  const hasValue = a.default_val !== undefined || a.auto_increment !== undefined || a.generated !== undefined;
  if (notNull && !hasValue) return verdict.addRequiredColumn(table, column);
  return verdict.addColumn(table, column, notNull ? 'NOT NULL with a default' : hasValue ? 'nullable, with a default' : 'nullable');
}

/** InnoDB builds secondary indexes in place without blocking writes; SQLite's are quick on small tables. */
function createIndex(table: string, index: string | undefined): Verdict {
  return { check: 'create-index', effect: 'compatible', message: `creates index${index ? ` \`${index}\`` : ''} on \`${table}\`: backward compatible` };
}

function dropIndex(index: string): Verdict {
  return { check: 'drop-index', effect: 'compatible', message: `drops index \`${index}\`: queries that used it may slow down` };
}
