import type { Judgement, Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { judgeEmbeddedSql } from './embedded';
import { createdTables, downSteps } from './javascript';
import { Source, type Call } from './source';

/*
 * Knex migrations: `knex.schema` calls, the column builders inside `alterTable`/`table`
 * callbacks, `knex.raw` SQL and query-builder writes (`knex('t').update(…)`).
 */

const COLUMN_TYPES =
  'string|text|integer|bigInteger|bigint|tinyint|smallint|mediumint|boolean|date|datetime|timestamp|time|decimal|float|double|json|jsonb|uuid|binary|enu|enum|specificType|increments|bigIncrements|geometry|point';

export async function readKnex(text: string): Promise<Judgement[]> {
  const src = new Source(text, 'js');
  const down = downSteps(src);
  const out: Judgement[] = [];
  const live = (c: Call): boolean => !Source.within(c.start, down);

  for (const call of src.calls(/\.(dropTable|dropTableIfExists|renameTable|createTable|createTableIfNotExists|raw|alterTable|table)\s*(?=\()/g).filter(live)) {
    const pos = src.positional(call);
    switch (call.name) {
      case 'raw':
        out.push(...(await judgeEmbeddedSql(src, call, pos[0]?.start ?? call.start, pos[0]?.end ?? call.end)));
        break;
      case 'dropTable':
      case 'dropTableIfExists':
        out.push(src.judge(call, verdict.dropTable(src.name(pos[0]))));
        break;
      case 'renameTable':
        out.push(src.judge(call, verdict.renameTable(src.name(pos[0]), src.name(pos[1]))));
        break;
      case 'createTable':
      case 'createTableIfNotExists':
        out.push(src.judge(call, verdict.createTable(src.name(pos[0]))));
        break;
      default:
        out.push(...alterTable(src, call));
    }
  }
  // knex('users').update(…), .insert(…), .del(): rows written by the migration.
  for (const call of src.calls(/\bknex\s*\(\s*['"`][^'"`\n]*['"`]\s*\)[^;]{0,200}?\.(update|insert|del|delete|upsert)\s*(?=\()/g).filter(live)) {
    const table = /\(\s*['"`](\w+)/.exec(src.text.slice(call.start, call.end))?.[1] ?? '';
    out.push(src.judge(call, verdict.dataWrite('writes rows of', table)));
  }
  return out.sort((a, b) => a.line - b.line);
}

/** The builder calls inside `alterTable('t', (table) => { … })`, one statement per chain. */
function alterTable(src: Source, call: Call): Judgement[] {
  const [tableArg, callback] = src.positional(call);
  const table = src.name(tableArg);
  if (!callback) return [];
  const body = src.code.slice(callback.start, callback.end);
  const param = /^(?:async\s*)?(?:function\s*)?\(?\s*(\w+)/.exec(body)?.[1];
  if (!param) return [];
  const out: Judgement[] = [];
  const chains = src.calls(new RegExp(`(?<![\\w.])${param}\\.(\\w+)\\s*(?=\\()`, 'g')).filter((c) => c.start >= callback.start && c.end <= callback.end);
  for (const head of chains) {
    // The chain runs to the end of its statement: `table.string('x').notNullable().defaultTo('a');`
    const stop = statementEnd(src, head.end, callback.end);
    const chain = src.code.slice(head.end, stop);
    const stmt = { start: head.start, end: stop, line: head.line, endLine: src.lineAt(stop - 1) };
    const column = src.name(src.positional(head)[0]);
    for (const v of builder(src, head, table, column, chain)) out.push(src.judge(stmt, v));
  }
  return out;
}

function builder(src: Source, head: Call, table: string, column: string, chain: string): Verdict[] {
  const pos = src.positional(head);
  switch (head.name) {
    case 'dropColumn':
      return [verdict.dropColumn(table, column)];
    case 'dropColumns':
      return pos.map((a) => verdict.dropColumn(table, src.name(a)));
    case 'dropTimestamps':
      return [verdict.dropColumn(table, 'created_at'), verdict.dropColumn(table, 'updated_at')];
    case 'renameColumn':
      return [verdict.renameColumn(table, column, src.name(pos[1]))];
    case 'setNullable':
      return [verdict.dropNotNull(table, column)];
    case 'dropNullable':
      return [verdict.setNotNull(table, column)];
    case 'index':
      return [verdict.createIndex(table, src.name(pos[1]) || undefined, false)];
    case 'unique':
      // alterTable changes a table that holds rows: a unique constraint on it is stricter for them.
      if (!createdTables(src).has(table)) return [verdict.addUnique(table, 'constraint', src.name(pos[1]) || undefined)];
      return [verdict.addConstraint(table, 'unique', src.name(pos[1]) || undefined, true)];
    case 'foreign':
      return [verdict.addConstraint(table, 'foreign key', undefined, true)];
    case 'dropIndex':
      return [verdict.dropIndex(src.name(pos[1]) || `${table} index`, false)];
    case 'dropForeign':
    case 'dropUnique':
    case 'dropPrimary':
      return [verdict.dropConstraint(table, src.name(pos[1]) || src.name(pos[0]))];
  }
  if (!new RegExp(`^(${COLUMN_TYPES})$`).test(head.name)) return [];
  const notNull = /\.notNullable\s*\(/.test(chain);
  const hasDefault = /\.defaultTo\s*\(/.test(chain) || /increments$/i.test(head.name);
  if (/\.alter\s*\(/.test(chain)) return [verdict.changeType(table, column, head.name), ...(notNull ? [verdict.setNotNull(table, column)] : [])];
  if (notNull && !hasDefault) return [verdict.addRequiredColumn(table, column)];
  return [verdict.addColumn(table, column, notNull ? 'NOT NULL with a default' : hasDefault ? 'nullable, with a default' : 'nullable')];
}

/** Index of the `;` or line break that ends a builder chain (a chain may continue on lines starting with `.`). */
function statementEnd(src: Source, from: number, limit: number): number {
  let depth = 0;
  for (let i = from; i < limit; i++) {
    const c = src.code[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && c === ';') return i;
    else if (depth === 0 && c === '\n' && !/^\s*\./.test(src.code.slice(i + 1, i + 200))) return i;
  }
  return limit;
}
