import type { Judgement, Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { judgeEmbeddedSql } from './embedded';
import { Source } from './source';

/*
 * Migrations kept as Go source (a `migrations/` package whose functions run SQL through
 * database/sql or sqlx): the SQL string given to each Exec/Query call is parsed. Go's string
 * literals, raw strings and comments lex as JavaScript's do, so the JavaScript reader serves.
 * SQL put together from variables keeps only its literal parts, and may then be left for
 * review by hand. xorm's `Sync(x{})` creates the table of a struct, or adds the columns and
 * indexes it lacks (it never drops or alters one): each field of the struct is such a column.
 */

const SQL_CALLS = /\.(Exec|ExecContext|MustExec|MustExecContext|Query|QueryContext|QueryRow|QueryRowContext|Queryx|QueryRowx)\s*(?=\()/g;

export async function readGo(text: string): Promise<Judgement[]> {
  const src = new Source(text, 'js');
  const out: Judgement[] = [];
  for (const call of src.calls(SYNC_CALLS)) {
    for (const a of src.positional(call)) {
      const name = /^\s*(?:&|new\s*\(\s*)?([A-Za-z_]\w*)\s*(?:\{|\))/.exec(src.code.slice(a.valueStart, a.end))?.[1];
      const verdicts = name ? syncVerdicts(text, name) : undefined;
      if (verdicts) for (const v of verdicts) out.push(src.judge(call, v));
    }
  }
  for (const call of src.calls(SQL_CALLS)) {
    // The *Context variants take the context first: the SQL is the first argument holding a string.
    const sql = src.positional(call).find((a) => src.stringIn(a.start, a.end));
    out.push(...(await judgeEmbeddedSql(src, call, sql?.start ?? call.end, sql?.end ?? call.end)));
  }
  return out;
}

const SYNC_CALLS = /\.(Sync2?)\s*(?=\()/g;

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();

/** What syncing the struct `name` declared in `text` does: a column per field, judged by its xorm tag. Undefined when the struct is not in the file. */
function syncVerdicts(text: string, name: string): Verdict[] | undefined {
  const body = new RegExp(String.raw`^type\s+${name}\s+struct\s*\{([\s\S]*?)^\}`, 'm').exec(text)?.[1];
  if (body === undefined) return undefined;
  const table = new RegExp(String.raw`func\s*\(\s*\w*\s*\*?${name}\s*\)\s*TableName\s*\(\s*\)\s*string\s*\{\s*return\s+"([^"]+)"`).exec(text)?.[1] ?? snake(name);
  // A struct with its primary key is the whole table: Sync creates it.
  if (/`[^`]*\bxorm:"[^"]*\b(?:pk|autoincr)\b/i.test(body)) return [verdict.createTable(table)];
  const out: Verdict[] = [];
  for (const m of body.matchAll(/^\s*([A-Z]\w*)\s+[\w.*[\]]+\s+`[^`]*\bxorm:"([^"]*)"/gm)) {
    const tag = m[2].toLowerCase();
    if (tag === '-' || /\b(?:extends|<-)/.test(tag)) continue;
    const column = /'([^']+)'/.exec(m[2])?.[1] ?? snake(m[1]);
    const notNull = /\bnot\s*null\b|\bnotnull\b/.test(tag);
    if (notNull && !/\bdefault\b/.test(tag)) out.push(verdict.addRequiredColumn(table, column));
    else out.push(verdict.addColumn(table, column, notNull ? 'NOT NULL with a default' : 'nullable'));
    if (/\bunique\b/.test(tag)) out.push(verdict.addUnique(table, 'index', undefined));
    else if (/\bindex\b/.test(tag)) out.push(verdict.createIndex(table, undefined, false));
  }
  return out;
}
