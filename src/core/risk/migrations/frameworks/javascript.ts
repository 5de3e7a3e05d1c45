import type { Judgement, Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { judgeEmbeddedSql } from './embedded';
import { Source, type Call } from './source';

/**
 * Spans of the `down` step of a JavaScript/TypeScript migration (`exports.down = …`,
 * `down: async () => {…}`, `async down(queryRunner) {…}`, `export async function down…`):
 * what a rollback runs, not what this deploy runs.
 */
export function downSteps(src: Source): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of src.code.matchAll(/\b(?:exports|module\.exports)\.down\s*=|\bdown\s*:|\b(?:async\s+)?down\s*\(|\bfunction\s+down\s*\(/g)) {
    const open = src.code.indexOf('{', m.index);
    if (open < 0) continue;
    spans.push([m.index, src.closing(open) + 1]);
  }
  return spans;
}

/**
 * The tables the `up` step creates (`createTable('users', …)` in Knex and Sequelize,
 * `createTable(new Table({ name: 'users' }))` in TypeORM): a unique index on one of them holds no
 * rows yet.
 */
export function createdTables(src: Source): Set<string> {
  return src.namesOf(/\.(createTable|createTableIfNotExists)\s*(?=\()/g, (call) => {
    if (Source.within(call.start, downSteps(src))) return '';
    const first = src.positional(call)[0];
    const named = src.props(first).get('name');
    return src.name(named ?? first);
  });
}

/**
 * The `up` step of a JavaScript/TypeScript migration tool: each call `methods` matches outside
 * `down` is judged by `judge`, and the SQL of a `query(…)` call goes through the SQL parser.
 */
export async function readJsMigration(text: string, methods: RegExp, judge: (src: Source, call: Call) => Verdict[]): Promise<Judgement[]> {
  const src = new Source(text, 'js');
  const down = downSteps(src);
  const out: Judgement[] = [];
  for (const call of src.calls(methods)) {
    if (Source.within(call.start, down)) continue;
    if (call.name === 'query' || call.name === 'execute' || call.name === 'exec') {
      const sql = src.positional(call)[0];
      out.push(...(await judgeEmbeddedSql(src, call, sql?.start ?? call.start, sql?.end ?? call.end)));
      continue;
    }
    for (const v of judge(src, call)) out.push(src.judge(call, v));
  }
  const covered = new Set(out.map((j) => j.line));
  for (const call of src.calls(ORM_WRITES)) {
    if (Source.within(call.start, down) || covered.has(call.line)) continue;
    out.push(src.judge(call, verdict.dataWrite(`runs ${call.name} through the ORM`)));
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * Rows written through the ORM from inside a migration: TypeORM's `queryRunner.manager.save(…)`,
 * `getRepository(User).update(…)`, Sequelize's `User.update(…)`, `Model.bulkCreate(…)`.
 */
const ORM_WRITES =
  /(?:\bmanager|\bgetRepository\s*\([^)]*\)|\b[A-Z]\w*)\.(save|insert|update|upsert|delete|remove|softDelete|increment|decrement|bulkCreate|create|destroy)\s*(?=\()/g;
