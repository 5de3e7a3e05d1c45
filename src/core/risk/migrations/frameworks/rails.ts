import type { Judgement, Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { judgeEmbeddedSql } from './embedded';
import { Source, type Call } from './source';

/*
 * ActiveRecord migrations (db/migrate/*.rb). `change` and `up` are read; `down` is what a
 * rollback runs and is skipped. Columns declared inside `create_table` belong to the new table.
 */

const METHODS =
  /(?<![.\w])(remove_columns?|remove_reference|remove_belongs_to|remove_timestamps|rename_column|change_column|change_column_null|change_column_default|add_column|add_reference|add_belongs_to|add_timestamps|drop_table|drop_join_table|rename_table|create_table|create_join_table|add_index|remove_index|add_foreign_key|remove_foreign_key|add_check_constraint|remove_check_constraint|change_table)\b|(?<![\w])(?:\w+\.)*(execute|update_all|delete_all|destroy_all|insert_all!?|upsert_all|update_column|update_columns)\b/g;
const DATA_WRITES = /^(update_all|delete_all|destroy_all|insert_all!?|upsert_all|update_column|update_columns)$/;
/** Schema calls that break no running code: extensions, enums, comments, index renames. */
const SCHEMA_EXTRAS =
  /(?<![.\w])(enable_extension|create_enum|add_enum_value|rename_enum_value|rename_index|change_table_comment|change_column_comment|create_schema|create_virtual_table)\b/g;
/**
 * Active Record writes on a record or a model, which the schema methods above never are:
 * `article.save!`, `Role.create!(…)`, `user.update(…)`, `Setting.find_or_create_by!(…)`.
 */
const RECORD_WRITES =
  /(?<=[\w)\]]\.)(save!?|update!?|update_attribute|update_attributes!?|create!?|create_or_find_by!?|find_or_create_by!?|first_or_create!?|destroy!?|delete|increment!|decrement!|toggle!|touch|upsert|insert!?|exec_update|exec_insert|exec_delete)(?![\w!?])/g;
const TABLE_METHODS = /(?<![\w])(\w+)\.(remove|rename|change|column|references|belongs_to|index|remove_index|remove_references|timestamps|string|text|integer|bigint|boolean|date|datetime|timestamp|time|decimal|float|json|jsonb|uuid|binary)\b/g;

export async function readRails(text: string): Promise<Judgement[]> {
  const src = new Source(text, 'ruby');
  const skipped = blocks(src, /^([ \t]*)def\s+down\b.*$/gm);
  const newTables = blocks(src, /^([ \t]*).*\bcreate_(?:join_)?table\b.*\bdo\b.*$/gm);
  const changeTables = changeTableBlocks(src);
  const out: Judgement[] = [];
  for (const call of src.calls(METHODS)) {
    if (Source.within(call.start, skipped)) continue;
    // Inside `create_table … do` only the create_table call itself counts: its columns belong to the new table.
    if (newTables.some(([s, e]) => call.start >= s && call.start < e && src.lineAt(s) !== call.line)) continue;
    if (call.name === 'execute') {
      out.push(...(await judgeEmbeddedSql(src, call, call.start, call.end)));
      continue;
    }
    if (call.name === 'change_table') continue;
    // `User.where(…).update_all(…)`: the statement is the whole line, not just the last call.
    const lineStart = src.code.lastIndexOf('\n', call.start) + 1;
    const stmt = DATA_WRITES.test(call.name) ? { ...call, start: lineStart + (src.code.slice(lineStart).length - src.code.slice(lineStart).trimStart().length) } : call;
    for (const v of judgeCall(src, call)) out.push(src.judge(stmt, v));
  }
  for (const call of src.calls(SCHEMA_EXTRAS)) {
    if (!Source.within(call.start, skipped)) out.push(src.judge(call, verdict.other(`runs ${call.name}`)));
  }
  const covered = new Set(out.map((j) => j.line));
  for (const call of src.calls(RECORD_WRITES)) {
    if (Source.within(call.start, skipped) || covered.has(call.line)) continue;
    if (changeTables.some((t) => Source.within(call.start, [t.span]) && src.code.startsWith(`${t.param}.`, call.start))) continue;
    const lineStart = src.code.lastIndexOf('\n', call.start) + 1;
    const indent = src.code.slice(lineStart).length - src.code.slice(lineStart).trimStart().length;
    out.push(src.judge({ ...call, start: lineStart + indent }, verdict.dataWrite(`runs ${call.name}`)));
  }
  for (const { table, span, param } of changeTables) {
    if (Source.within(span[0], skipped)) continue;
    for (const call of src.calls(TABLE_METHODS)) {
      if (call.start < span[0] || call.start >= span[1] || !src.code.startsWith(`${param}.`, call.start)) continue;
      const method = src.code.slice(call.start + param.length + 1).match(/^\w+/)![0];
      for (const v of judgeTableCall(src, table, method, call)) out.push(src.judge(call, v));
    }
  }
  return withIndexHazards(src, out).sort((a, b) => a.line - b.line);
}

/**
 * Rails wraps each migration in a transaction unless it calls `disable_ddl_transaction!`, and
 * PostgreSQL refuses CREATE INDEX CONCURRENTLY inside one: the deploy fails at that statement.
 */
function withIndexHazards(src: Source, judgements: Judgement[]): Judgement[] {
  const inTransaction = !/\bdisable_ddl_transaction!/.test(src.code);
  return judgements.map((j): Judgement => {
    if (j.check === 'create-index') {
      const concurrent = j.effect === 'compatible';
      if (concurrent && inTransaction) {
        return { ...j, hazards: ['ban-concurrent-index-creation-in-transaction'], message: `${j.message}; but the migration runs in a transaction (no \`disable_ddl_transaction!\`), where PostgreSQL refuses CONCURRENTLY: the deploy fails here` };
      }
      return concurrent ? j : { ...j, hazards: ['require-concurrent-index-creation'] };
    }
    if (j.check === 'drop-index' && j.effect === 'locking') return { ...j, hazards: ['require-concurrent-index-deletion'] };
    return j;
  });
}

/** The tables the migration creates (`create_table`, `create_join_table`). */
function createdTables(src: Source): Set<string> {
  return src.namesOf(/(?<![.\w])(create_table|create_join_table)\b/g, (call) => {
    const pos = src.positional(call);
    return call.name === 'create_join_table' ? `${src.name(pos[0])}_${src.name(pos[1])}` : src.name(pos[0]);
  });
}

function judgeCall(src: Source, call: Call): Verdict[] {
  const pos = src.positional(call);
  const table = src.name(pos[0]);
  const column = src.name(pos[1]);
  switch (call.name) {
    case 'remove_column':
      return [verdict.dropColumn(table, column)];
    case 'remove_columns':
      return pos.slice(1).map((a) => verdict.dropColumn(table, src.name(a)));
    case 'remove_reference':
    case 'remove_belongs_to':
      return [verdict.dropColumn(table, `${column}_id`)];
    case 'remove_timestamps':
      return [verdict.dropColumn(table, 'created_at'), verdict.dropColumn(table, 'updated_at')];
    case 'rename_column':
      return [verdict.renameColumn(table, column, src.name(pos[2]))];
    case 'change_column':
      return [verdict.changeType(table, column, src.name(pos[2]))];
    case 'change_column_null':
      return src.raw(pos[2]) === 'false' ? [verdict.setNotNull(table, column)] : [verdict.dropNotNull(table, column)];
    case 'change_column_default':
      return [verdict.changeDefault(table, column, /\bto:\s*nil\b/.test(src.raw(pos[2])))];
    case 'add_column':
      return [addColumn(src, call, table, column)];
    case 'add_reference':
    case 'add_belongs_to':
      return [addColumn(src, call, table, `${column}_id`)];
    case 'add_timestamps':
      return ['created_at', 'updated_at'].map((c) => addColumn(src, call, table, c));
    case 'drop_table':
      return [verdict.dropTable(table)];
    case 'drop_join_table':
      return [verdict.dropTable(`${table}_${column}`)];
    case 'rename_table':
      return [verdict.renameTable(table, column)];
    case 'create_table':
      return [verdict.createTable(table)];
    case 'create_join_table':
      return [verdict.createTable(`${table}_${column}`)];
    case 'add_index': {
      const name = src.name(src.kw(call, 'name')) || undefined;
      // A unique index on a table the migration does not create is a stricter constraint on existing rows.
      if (src.raw(src.kw(call, 'unique')) === 'true' && !createdTables(src).has(table)) return [verdict.addUnique(table, 'index', name)];
      return [verdict.createIndex(table, name, /concurrently/.test(src.raw(src.kw(call, 'algorithm'))))];
    }
    case 'remove_index':
      return [verdict.dropIndex(src.name(src.kw(call, 'name')) || `${table} index`, /concurrently/.test(src.raw(src.kw(call, 'algorithm'))))];
    case 'add_foreign_key':
      return [verdict.addConstraint(table, 'foreign key', undefined, src.raw(src.kw(call, 'validate')) !== 'false')];
    case 'add_check_constraint':
      return [verdict.addConstraint(table, 'check', src.name(src.kw(call, 'name')) || undefined, src.raw(src.kw(call, 'validate')) !== 'false')];
    case 'remove_foreign_key':
    case 'remove_check_constraint':
      return [verdict.dropConstraint(table, src.name(src.kw(call, 'name')) || column || 'constraint')];
    default:
      // update_all, delete_all, insert_all…: Active Record writing rows from inside the migration.
      return [verdict.dataWrite(`runs ${call.name}`)];
  }
}

/** `add_column`, `add_reference`, `t.string` in change_table: required when NOT NULL has no default. */
function addColumn(src: Source, call: Call, table: string, column: string): Verdict {
  const notNull = src.raw(src.kw(call, 'null')) === 'false';
  const hasDefault = src.kw(call, 'default') !== undefined;
  if (notNull && !hasDefault) return verdict.addRequiredColumn(table, column);
  return verdict.addColumn(table, column, notNull ? 'NOT NULL with a default' : hasDefault ? 'nullable, with a default' : 'nullable');
}

function judgeTableCall(src: Source, table: string, method: string, call: Call): Verdict[] {
  const pos = src.positional(call);
  const column = src.name(pos[0]);
  switch (method) {
    case 'remove':
      return pos.map((a) => verdict.dropColumn(table, src.name(a)));
    case 'remove_references':
      return [verdict.dropColumn(table, `${column}_id`)];
    case 'rename':
      return [verdict.renameColumn(table, column, src.name(pos[1]))];
    case 'change':
      return [verdict.changeType(table, column, src.name(pos[1]))];
    case 'index': {
      const name = src.name(src.kw(call, 'name')) || undefined;
      if (src.raw(src.kw(call, 'unique')) === 'true' && !createdTables(src).has(table)) return [verdict.addUnique(table, 'index', name)];
      return [verdict.createIndex(table, name, /concurrently/.test(src.raw(src.kw(call, 'algorithm'))))];
    }
    case 'remove_index':
      return [verdict.dropIndex(src.name(src.kw(call, 'name')) || `${table} index`, false)];
    case 'references':
    case 'belongs_to':
      return [addColumn(src, call, table, `${column}_id`)];
    case 'timestamps':
      return ['created_at', 'updated_at'].map((c) => addColumn(src, call, table, c));
    case 'column':
      return [addColumn(src, call, table, column)];
    default:
      return pos.map((a) => addColumn(src, call, table, src.name(a)));
  }
}

/** Spans of Ruby blocks opened on the lines `opener` matches, closed by the `end` at the same indentation. */
export function blocks(src: Source, opener: RegExp): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of src.code.matchAll(opener)) {
    const indent = m[1] ?? '';
    const close = new RegExp(`^${indent}end\\b`, 'm');
    const after = m.index + m[0].length;
    const found = close.exec(src.code.slice(after));
    spans.push([m.index, found ? after + found.index + found[0].length : src.code.length]);
  }
  return spans;
}

/** `change_table :users do |t| … end`: the table, the block's parameter and its span. */
function changeTableBlocks(src: Source): Array<{ table: string; param: string; span: [number, number] }> {
  const out: Array<{ table: string; param: string; span: [number, number] }> = [];
  for (const call of src.calls(/(?<![.\w])change_table\b/g)) {
    const line = src.code.slice(call.start, src.code.indexOf('\n', call.start) < 0 ? undefined : src.code.indexOf('\n', call.start));
    const param = /\bdo\s*\|\s*(\w+)\s*\|/.exec(line)?.[1];
    if (!param) continue;
    const span = blocks(src, new RegExp(`^([ \\t]*)[^\\n]*\\bchange_table\\b[^\\n]*$`, 'gm')).find(([s]) => s <= call.start && src.lineAt(s) === call.line);
    if (span) out.push({ table: src.name(src.positional(call)[0]), param, span });
  }
  return out;
}
