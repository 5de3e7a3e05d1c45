import type { Judgement } from '../judgement';
import { judgeSql } from '../sql';
import { verdict } from '../verdicts';
import type { Call, Source } from './source';

/**
 * Judges the SQL a migration passes as a string (`execute`, `RunSQL`, `op.execute`, `knex.raw`,
 * `queryRunner.query`…), with line numbers of the file. SQL built at run time, with no string
 * literal in the call, cannot be read and is reported as unparsed.
 */
export async function judgeEmbeddedSql(src: Source, call: Call, from: number, to: number): Promise<Judgement[]> {
  const sql = src.stringIn(from, to);
  if (!sql) return [src.judge(call, { check: 'unparsed', effect: 'unparsed', message: 'runs SQL built at run time: review it by hand' })];
  const judged = await judgeSql(sql.value, src.lineAt(sql.contentStart));
  // Literals joined with values (`"ALTER TABLE t MODIFY c " + typeText() + " NULL"`): the parser saw only a part.
  if (!/\+/.test(src.code.slice(from, to))) return judged;
  return judged.map((j) => (j.effect === 'unparsed' ? { ...j, ...verdict.unparsed('its SQL is put together at run time from strings and values') } : j));
}
