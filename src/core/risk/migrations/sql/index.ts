import type { ParseResult } from 'libpg-query';
import { quoteOf, type Judgement, type Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { classifyStatement } from './classify';
import { loadParser } from './parser';
import { SourceText, skipSqlTrivia } from './text';

/** One statement of a SQL script: where it sits, its text, and what it does. */
export interface SqlStatement {
  /** 1-based first and last line within the script. */
  line: number;
  endLine: number;
  quote: string;
  verdicts: Verdict[];
}

type Parser = Awaited<ReturnType<typeof loadParser>>;

/**
 * Parses a SQL script with the PostgreSQL parser and judges each statement.
 * A script that does not parse as a whole is split at its semicolons (by the parser's own
 * lexer, so strings and dollar-quoted bodies stay whole) and each piece is judged alone:
 * one bad statement is reported without hiding the others.
 */
export async function readSql(script: string): Promise<SqlStatement[]> {
  if (!script.trim()) return [];
  let pg: Parser;
  try {
    pg = await loadParser();
  } catch (e) {
    const src = new SourceText(script);
    const first = src.lineAt(skipSqlTrivia(script, 0));
    return [{ line: first, endLine: first, quote: quoteOf(src.lineText(first)), verdicts: [verdict.unparsed(`the PostgreSQL parser could not load: ${errorText(e)}`)] }];
  }
  const src = new SourceText(script);
  try {
    return statementsOf(src, pg.parseSync(script), 0, src.byteLength);
  } catch (e) {
    return readPieces(pg, src, e);
  }
}

/** Judgements of a SQL script embedded at `firstLine` of a file (1 for a .sql file). */
export async function judgeSql(script: string, firstLine = 1): Promise<Judgement[]> {
  const out: Judgement[] = [];
  for (const s of await readSql(script)) {
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
    out.push(located(src, src.indexOfByte(startByte), src.indexOfByte(endByte), classifyStatement(raw.stmt)));
  }
  return out;
}

function located(src: SourceText, from: number, to: number, verdicts: Verdict[]): SqlStatement {
  const start = skipSqlTrivia(src.text, from, to);
  const body = src.text.slice(start, to).replace(/[\s;]+$/, '');
  return { line: src.lineAt(start), endLine: src.lineAt(start + Math.max(0, body.length - 1)), quote: quoteOf(body), verdicts };
}

function readPieces(pg: Parser, src: SourceText, wholeError: unknown): SqlStatement[] {
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
        out.push(unparsedAt(src, from, e));
      }
    }
    from = to;
  }
  return out;
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
