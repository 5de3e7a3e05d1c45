import type { Node, ParseResult } from 'libpg-query';
import { quoteOf, type Judgement, type Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { Source } from '../frameworks/source';
import { classifyStatement } from './classify';
import { notPostgres, type Dialect } from './dialect';
import { reviewScript } from './hazards';
import { classifyMysql, loadSqlParser, SILENT_STATEMENT } from './mysql';
import { loadParser } from './parser';
import { SourceText, skipSqlTrivia, splitStatements } from './text';

/** One statement of a SQL script: where it sits, its text, and what it does. */
export interface SqlStatement {
  /** 1-based first and last line within the script. */
  line: number;
  endLine: number;
  quote: string;
  verdicts: Verdict[];
  /** The PostgreSQL parse tree, read for the lock hazards that depend on earlier statements. */
  node?: Node;
}

type Parser = Awaited<ReturnType<typeof loadParser>>;

/**
 * Parses a SQL script with the PostgreSQL parser and judges each statement.
 * A script that does not parse as a whole is split at its semicolons (by the parser's own
 * lexer, so strings and dollar-quoted bodies stay whole) and each piece is judged alone:
 * one bad statement is reported without hiding the others.
 */
export async function readSql(script: string, dialect: Dialect = 'postgresql', provenNotNull?: Map<string, string>): Promise<SqlStatement[]> {
  if (!script.trim()) return [];
  if (dialect !== 'postgresql') return readOther(script, dialect);
  let pg: Parser;
  try {
    pg = await loadParser();
  } catch (e) {
    const src = new SourceText(script);
    const first = src.lineAt(skipSqlTrivia(script, 0));
    return [{ line: first, endLine: first, quote: quoteOf(src.lineText(first)), verdicts: [verdict.unparsed(`the PostgreSQL parser could not load: ${errorText(e)}`)] }];
  }
  const src = new SourceText(script);
  let stmts: SqlStatement[];
  try {
    stmts = statementsOf(src, pg.parseSync(script), 0, src.byteLength);
  } catch (e) {
    stmts = await readPieces(pg, src, e);
  }
  const reviewed = reviewScript(
    stmts.map((s) => s.node),
    stmts.map((s) => s.verdicts),
    provenNotNull,
  );
  return stmts.map((s, i) => {
    const r = reviewed[i]!;
    const verdicts = r.verdicts ?? s.verdicts;
    if (!r.hazards.length) return { ...s, verdicts };
    return { ...s, verdicts: verdicts.length ? verdicts.map((v) => ({ ...v, hazards: r.hazards })) : [{ ...lockingStatement(s.node), hazards: r.hazards }] };
  });
}

/** VACUUM FULL, LOCK, CLUSTER: silent for running code's correctness, but they block it while they run. */
function lockingStatement(node: Node | undefined): Verdict {
  const kind = Object.keys(node ?? {})[0] ?? '';
  const what = kind === 'LockStmt' ? 'takes an explicit table lock' : kind === 'VacuumStmt' ? 'runs VACUUM FULL, which rewrites the table' : 'rewrites the table in index order (CLUSTER)';
  return { check: 'other', effect: 'locking', message: `${what}: blocks reads and writes of the table while it runs (not breaking for running code)` };
}

/**
 * A MySQL/MariaDB, SQLite or other script: split at its semicolons and each statement parsed by
 * the dialect's parser, then by the others (a project may hold SQL of several databases); a
 * statement none of them reads is left for review by hand.
 */
async function readOther(script: string, dialect: Exclude<Dialect, 'postgresql'>): Promise<SqlStatement[]> {
  const src = new SourceText(script);
  const order: Array<'mysql' | 'sqlite' | 'postgresql'> = dialect === 'sqlite' ? ['sqlite', 'mysql', 'postgresql'] : dialect === 'mysql' ? ['mysql', 'sqlite', 'postgresql'] : ['postgresql', 'mysql', 'sqlite'];
  const out: SqlStatement[] = [];
  for (const [from, to] of splitStatements(script)) {
    const text = script.slice(from, to).replace(/;\s*$/, '');
    if (SILENT_STATEMENT.test(text.slice(skipSqlTrivia(text, 0)))) continue;
    let firstError: unknown;
    let verdicts = await parseAny(order, text, (e) => (firstError ??= e));
    verdicts ??= await alterClauses(order, text);
    out.push(located(src, from, to, verdicts ? notPostgres(verdicts) : [verdict.unparsed(`${dialectName(dialect)}: ${errorText(firstError).split('\n')[0]}`)]));
  }
  return out;
}

async function parseAny(order: Array<'mysql' | 'sqlite' | 'postgresql'>, text: string, failed: (e: unknown) => void = () => undefined): Promise<Verdict[] | undefined> {
  for (const d of order) {
    try {
      return await parseWith(d, text);
    } catch (e) {
      failed(e);
    }
  }
  return undefined;
}

/**
 * An ALTER TABLE no single parser reads whole (MySQL's MODIFY beside an ALTER COLUMN … DROP DEFAULT
 * that node-sql-parser does not know) is read clause by clause; it counts as read only if every clause is.
 */
async function alterClauses(order: Array<'mysql' | 'sqlite' | 'postgresql'>, text: string): Promise<Verdict[] | undefined> {
  const m = /^\s*ALTER\s+TABLE\s+((?:`[^`]+`|"[^"]+"|[\w.$]+))\s+([\s\S]+)$/i.exec(text.slice(skipSqlTrivia(text, 0)));
  if (!m) return undefined;
  const clauses = topLevelCommas(m[2]!);
  if (clauses.length < 2) return undefined;
  const out: Verdict[] = [];
  for (const clause of clauses) {
    const v = await parseAny(order, `ALTER TABLE ${m[1]} ${clause}`);
    if (!v) return undefined;
    out.push(...v);
  }
  return out;
}

/** Clauses split at commas outside brackets and quotes (the code reader's JavaScript lexing covers SQL's quotes and backticks). */
function topLevelCommas(text: string): string[] {
  return new Source(text, 'js').splitArgs(0, text.length).map((a) => text.slice(a.start, a.end));
}

async function parseWith(d: 'mysql' | 'sqlite' | 'postgresql', text: string): Promise<Verdict[]> {
  if (d === 'postgresql') {
    const pg = await loadParser();
    return (pg.parseSync(text).stmts ?? []).flatMap((s) => (s.stmt ? classifyStatement(s.stmt) : []));
  }
  const parsed = (await loadSqlParser(d)).astify(text);
  return (Array.isArray(parsed) ? parsed : [parsed]).flatMap(classifyMysql);
}

function dialectName(d: Dialect): string {
  return d === 'mysql' ? 'MySQL' : d === 'sqlite' ? 'SQLite' : 'no parser reads it';
}

/** Judgements of a SQL script embedded at `firstLine` of a file (1 for a .sql file). */
export async function judgeSql(script: string, firstLine = 1, dialect?: Dialect, provenNotNull?: Map<string, string>): Promise<Judgement[]> {
  const out: Judgement[] = [];
  for (const s of await readSql(script, dialect, provenNotNull)) {
    for (const v of s.verdicts) out.push({ ...v, line: s.line + firstLine - 1, endLine: s.endLine + firstLine - 1, quote: s.quote });
  }
  return out;
}

function statementsOf(src: SourceText, result: ParseResult, fromByte: number, toByte: number): SqlStatement[] {
  const out: SqlStatement[] = [];
  for (const raw of result.stmts ?? []) {
    if (!raw.stmt) continue;
    const startByte = fromByte + (raw.stmt_location ?? 0);
    const endByte = raw.stmt_len ? startByte + raw.stmt_len : toByte;
    out.push({ ...located(src, src.indexOfByte(startByte), src.indexOfByte(endByte), classifyStatement(raw.stmt)), node: raw.stmt });
  }
  return out;
}

function located(src: SourceText, from: number, to: number, verdicts: Verdict[]): SqlStatement {
  const start = skipSqlTrivia(src.text, from, to);
  const body = src.text.slice(start, to).replace(/[\s;]+$/, '');
  return { line: src.lineAt(start), endLine: src.lineAt(start + Math.max(0, body.length - 1)), quote: quoteOf(body), verdicts };
}

async function readPieces(pg: Parser, src: SourceText, wholeError: unknown): Promise<SqlStatement[]> {
  let bounds: number[];
  try {
    bounds = pg
      .scanSync(src.text)
      .tokens.filter((t) => t.tokenName === 'ASCII_59')
      .map((t) => t.end);
  } catch {
    return [unparsedAt(src, 0, wholeError)];
  }
  const out: SqlStatement[] = [];
  let from = 0;
  for (const to of [...bounds, src.byteLength]) {
    const piece = src.bytes(from, to);
    if (skipSqlTrivia(piece, 0) < piece.length) {
      try {
        out.push(...statementsOf(src, pg.parseSync(piece), from, to));
      } catch (e) {
        out.push(await otherParsers(src, piece, from, to, e));
      }
    }
    from = to;
  }
  return out;
}

/** A statement PostgreSQL rejects may be MySQL or SQLite in a project that holds several. */
async function otherParsers(src: SourceText, piece: string, fromByte: number, toByte: number, e: unknown): Promise<SqlStatement> {
  for (const d of ['mysql', 'sqlite'] as const) {
    try {
      const verdicts = await parseWith(d, piece.replace(/;\s*$/, ''));
      return located(src, src.indexOfByte(fromByte), src.indexOfByte(toByte), verdicts);
    } catch {
      // the next parser may read it
    }
  }
  return unparsedAt(src, fromByte, e);
}

/** The finding for a statement the parser rejected: placed on the line the parser pointed at. */
function unparsedAt(src: SourceText, fromByte: number, e: unknown): SqlStatement {
  const cursor = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
  const index = cursor !== undefined ? src.indexOfByte(fromByte + cursor) : skipSqlTrivia(src.text, src.indexOfByte(fromByte));
  const line = src.lineAt(index);
  return { line, endLine: line, quote: quoteOf(src.lineText(line)), verdicts: [verdict.unparsed(errorText(e))] };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
