import { LineIndex } from '../line-index';

/*
 * The parser reports positions in UTF-8 bytes; findings need JavaScript string indexes
 * and 1-based lines.
 */

export class SourceText extends LineIndex {
  private readonly utf8: Buffer;

  constructor(text: string) {
    super(text);
    this.utf8 = Buffer.from(text, 'utf8');
  }

  /** The text between two byte offsets. */
  bytes(from: number, to: number): string {
    return this.utf8.subarray(from, to).toString('utf8');
  }

  get byteLength(): number {
    return this.utf8.length;
  }

  /** String index of a byte offset. */
  indexOfByte(byte: number): number {
    return this.utf8.subarray(0, Math.max(0, Math.min(byte, this.utf8.length))).toString('utf8').length;
  }

}

/** Index of the first character after leading whitespace and SQL comments. */
export function skipSqlTrivia(text: string, from: number, to = text.length): number {
  let i = from;
  while (i < to) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? to : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? to : end + 2;
    } else break;
  }
  return Math.min(i, to);
}

/**
 * String-index spans of the statements of a MySQL or SQLite script, split at semicolons outside
 * quotes ('…', "…", `…`) and comments (`--`, `#`, `/* … *\/`).
 */
export function splitStatements(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' && c !== '`' ? 2 : 1;
      i = j + 1;
    } else if ((c === '-' && text[i + 1] === '-') || c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === ';') {
      spans.push([start, i + 1]);
      start = ++i;
    } else i++;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans.filter(([s, e]) => skipSqlTrivia(text, s, e) < e && text.slice(skipSqlTrivia(text, s, e), e).replace(/;\s*$/, '').trim() !== '');
}
