import type { Judgement, Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { judgeEmbeddedSql } from './embedded';
import { pythonFunctions } from './python';
import { Source, type Arg, type Call } from './source';

/*
 * Alembic revisions (alembic/versions/*.py): `upgrade()` is read, `downgrade()` skipped.
 * `batch_alter_table` contexts (`with op.batch_alter_table("t") as batch_op:`) supply the table
 * to the calls made on them. Only `server_default` gives a new NOT NULL column a value in the
 * database; `default=` lives in Python and does not help running code.
 */

const OPS =
  'drop_column|alter_column|add_column|drop_table|rename_table|create_table|create_index|drop_index|create_foreign_key|create_unique_constraint|create_check_constraint|create_primary_key|drop_constraint|execute|bulk_insert';

/** `op.` calls that name things or reach the connection rather than change the schema. */
const OP_HELPERS = 'f|get_bind|get_context|batch_alter_table|inline_literal|invoke|implementation_for|run_async';

export async function readAlembic(text: string): Promise<Judgement[]> {
  const src = new Source(text, 'python');
  const upgrade = pythonFunctions(src, 'upgrade');
  const batches = new Map<string, string>();
  for (const m of src.code.matchAll(/\bop\.batch_alter_table\s*\(([^)]*)\)\s+as\s+(\w+)/g)) {
    const call = src.calls(/\bop\.batch_alter_table\b/g).find((c) => c.start === m.index);
    batches.set(m[2]!, call ? src.name(src.positional(call)[0]) : '');
  }
  const receivers = ['op', ...batches.keys()].join('|');
  const out: Judgement[] = [];
  for (const call of src.calls(new RegExp(`\\b(?:${receivers})\\.(${OPS})\\s*(?=\\()`, 'g'))) {
    if (upgrade.length && !Source.within(call.start, upgrade)) continue;
    const receiver = src.code.slice(call.start).match(/^\w+/)![0];
    const args = [...src.positional(call)];
    // Calls on a batch context name no table: it is the context's.
    const table = receiver === 'op' ? undefined : batches.get(receiver);
    if (call.name === 'execute') {
      const sql = args[0] ?? src.kw(call, 'sqltext');
      const built = sql ? src.code.slice(sql.valueStart, sql.end) : '';
      // `op.execute(accounts.update().values(…))`: a SQLAlchemy core write, not a string.
      if (sql && !src.literalAt(sql.valueStart) && CORE_WRITE.test(built)) out.push(src.judge(call, verdict.dataWrite(`runs \`${CORE_WRITE.exec(built)![1]}\` on`, tableOf(built))));
      else if (sql) out.push(...(await judgeEmbeddedSql(src, call, sql.start, sql.end)));
      continue;
    }
    for (const v of judge(src, call, table, args)) out.push(src.judge(call, v));
  }
  for (const j of await connectionWrites(src, upgrade, receivers)) out.push(j);
  // Any other `op.` operation could emit any SQL: left for review by hand (helpers such as op.f excepted).
  const known = new RegExp(`^(?:${OPS}|${OP_HELPERS})$`);
  for (const call of src.calls(/\bop\.(\w+)\s*(?=\()/g)) {
    if ((upgrade.length && !Source.within(call.start, upgrade)) || known.test(call.name)) continue;
    out.push(src.judge(call, verdict.unparsed(`operation \`op.${call.name}\` is not one this reader knows`)));
  }
  return out.sort((a, b) => a.line - b.line);
}

/** SQLAlchemy core statements built from a table object: `t.update()`, `sa.insert(t)`, `delete(t)`. */
const CORE_WRITE = /(?:\.|\b)(update|insert|delete)\s*\(/;
/** ORM writes through a session or a query: `session.add(…)`, `query(…).filter_by(…).delete()`. */
const SESSION_WRITE = /\b\w*session\.(add|add_all|merge|delete|bulk_insert_mappings|bulk_update_mappings|bulk_save_objects)\s*(?=\()/gi;
const QUERY_WRITE = /\bquery\s*\([^\n]*?\)[^\n]*?\.(update|delete)\s*(?=\()/g;

/**
 * Statements run on a connection or session rather than through `op` (`op.get_bind().execute(…)`,
 * `conn.execute(table.update()…)`, session writes): SQL in a string is parsed, a core write
 * statement is a data write, and anything else is SQL built at run time, left for review by hand.
 */
async function connectionWrites(src: Source, upgrade: Array<[number, number]>, receivers: string): Promise<Judgement[]> {
  const out: Judgement[] = [];
  const inUpgrade = (c: Call): boolean => !upgrade.length || Source.within(c.start, upgrade);
  const viaOp = new RegExp(`^(?:${receivers})\\.execute$`);
  for (const call of src.calls(/\.(execute|exec_driver_sql)\s*(?=\()/g).filter(inUpgrade)) {
    if (viaOp.test(src.code.slice(call.start, call.end).replace(/\s*\(.*$/s, ''))) continue;
    const first = src.positional(call)[0];
    const arg = first ? src.code.slice(first.valueStart, first.end) : '';
    const literal = first && src.literalAt(first.valueStart);
    if (literal || /^\s*(?:sa\.|sqlalchemy\.)?text\s*\(/.test(arg)) {
      out.push(...(await judgeEmbeddedSql(src, call, first!.start, first!.end)));
    } else if (CORE_WRITE.test(arg)) {
      out.push(src.judge(call, verdict.dataWrite(`runs \`${CORE_WRITE.exec(arg)![1]}\` on`, tableOf(arg))));
    } else if (!/\bselect\s*\(/.test(arg)) {
      out.push(src.judge(call, verdict.unparsed('runs a statement built at run time')));
    }
  }
  for (const re of [SESSION_WRITE, QUERY_WRITE]) {
    for (const call of src.calls(re).filter(inUpgrade)) out.push(src.judge(call, verdict.dataWrite(`runs \`${call.name}\` through the ORM`)));
  }
  return out;
}

/** `accounts.update()` → `accounts`; `sa.update(accounts)` → `accounts`. */
function tableOf(arg: string): string | undefined {
  return /(\w+)\.(?:update|insert|delete)\s*\(/.exec(arg)?.[1]?.replace(/^(sa|sqlalchemy)$/, '') || /(?:update|insert|delete)\s*\(\s*(\w+)/.exec(arg)?.[1] || undefined;
}

/** The tables the migration creates (`op.create_table('tags', …)`). */
function createdTables(src: Source): Set<string> {
  return src.namesOf(/\b\w+\.(create_table)\s*(?=\()/g, (c) => src.name(src.positional(c)[0] ?? src.kw(c, 'table_name')));
}

function judge(src: Source, call: Call, batchTable: string | undefined, pos: Arg[]): Verdict[] {
  const withTable = batchTable !== undefined ? [undefined, ...pos] : pos;
  const table = batchTable ?? src.name(withTable[0]);
  const name = (i: number): string => src.name(withTable[i]);
  switch (call.name) {
    case 'drop_column':
      return [verdict.dropColumn(table, name(1))];
    case 'alter_column': {
      const column = name(1);
      const out: Verdict[] = [];
      const renamed = src.kw(call, 'new_column_name');
      if (renamed) out.push(verdict.renameColumn(table, column, src.name(renamed)));
      const type = src.kw(call, 'type_');
      if (type) out.push(verdict.changeType(table, column, src.raw(type).replace(/^sa\./, '')));
      const nullable = src.raw(src.kw(call, 'nullable'));
      if (nullable === 'False') out.push(verdict.setNotNull(table, column));
      if (nullable === 'True') out.push(verdict.dropNotNull(table, column));
      if (src.kw(call, 'server_default')) out.push(verdict.changeDefault(table, column, src.raw(src.kw(call, 'server_default')) === 'None'));
      return out.length ? out : [verdict.other(`alters column \`${table}.${column}\``)];
    }
    case 'add_column': {
      const column = src.raw(withTable[1]);
      const colName = /Column\s*\(\s*['"]([^'"]+)/.exec(column)?.[1] ?? column;
      const notNull = /\bnullable\s*=\s*False\b/.test(column) || /\bprimary_key\s*=\s*True\b/.test(column);
      const serverDefault = /\bserver_default\s*=/.test(column) || /\bIdentity\s*\(|\bComputed\s*\(/.test(column);
      if (notNull && !serverDefault) return [verdict.addRequiredColumn(table, colName, 'NOT NULL without a server_default')];
      return [verdict.addColumn(table, colName, notNull ? 'NOT NULL with a server default' : 'nullable')];
    }
    case 'drop_table':
      return [verdict.dropTable(table)];
    case 'rename_table':
      return [verdict.renameTable(table, name(1))];
    case 'create_table':
      return [verdict.createTable(table)];
    case 'create_index': {
      const concurrently = src.raw(src.kw(call, 'postgresql_concurrently')) === 'True';
      const on = batchTable ?? src.name(pos[1] ?? src.kw(call, 'table_name'));
      if (src.raw(src.kw(call, 'unique')) === 'True' && !createdTables(src).has(on)) return [verdict.addUnique(on, 'index', src.name(pos[0]) || undefined)];
      return [verdict.createIndex(on, src.name(pos[0]), concurrently)];
    }
    case 'drop_index':
      return [verdict.dropIndex(src.name(pos[0]), src.raw(src.kw(call, 'postgresql_concurrently')) === 'True')];
    case 'create_foreign_key':
      return [verdict.addConstraint(batchTable ?? src.name(pos[1]), 'foreign key', src.name(pos[0]) || undefined, true)];
    case 'create_unique_constraint': {
      const on = batchTable ?? src.name(pos[1]);
      // On a table the migration creates there are no rows yet to repeat a value.
      if (!createdTables(src).has(on)) return [verdict.addUnique(on, 'constraint', src.name(pos[0]) || undefined)];
      return [verdict.addConstraint(on, 'unique', src.name(pos[0]) || undefined, true)];
    }
    case 'create_check_constraint':
      return [verdict.addConstraint(batchTable ?? src.name(pos[1]), 'check', src.name(pos[0]) || undefined, true)];
    case 'create_primary_key':
      return [verdict.addConstraint(batchTable ?? src.name(pos[1]), 'primary key', src.name(pos[0]) || undefined, true)];
    case 'drop_constraint':
      return [verdict.dropConstraint(batchTable ?? src.name(pos[1]), src.name(pos[0]))];
    default:
      return [verdict.dataWrite('inserts rows into', src.raw(pos[0]).replace(/_table$/, ''))];
  }
}
