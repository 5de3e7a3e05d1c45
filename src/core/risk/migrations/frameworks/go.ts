import type { Judgement } from '../judgement';
import { judgeEmbeddedSql } from './embedded';
import { Source } from './source';

/*
 * Migrations kept as Go source (a `migrations/` package whose functions run SQL through
 * database/sql or sqlx): the SQL string given to each Exec/Query call is parsed. Go's string
 * literals, raw strings and comments lex as JavaScript's do, so the JavaScript reader serves.
 * SQL put together from variables keeps only its literal parts, and may then be left for
 * review by hand.
 */

const SQL_CALLS = /\.(Exec|ExecContext|MustExec|MustExecContext|Query|QueryContext|QueryRow|QueryRowContext|Queryx|QueryRowx)\s*(?=\()/g;

export async function readGo(text: string): Promise<Judgement[]> {
  const src = new Source(text, 'js');
  const out: Judgement[] = [];
  for (const call of src.calls(SQL_CALLS)) {
    // The *Context variants take the context first: the SQL is the first argument holding a string.
    const sql = src.positional(call).find((a) => src.stringIn(a.start, a.end));
    out.push(...(await judgeEmbeddedSql(src, call, sql?.start ?? call.end, sql?.end ?? call.end)));
  }
  return out;
}
