/*
 * The parser reports positions in UTF-8 bytes; findings need JavaScript string indexes
 * and 1-based lines.
 */

export class SourceText {
  private readonly utf8: Buffer;
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    this.utf8 = Buffer.from(text, 'utf8');
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
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

  /** 1-based line of a string index. */
  lineAt(index: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? 0;
    const end = this.lineStarts[line] ?? this.text.length + 1;
    return this.text.slice(start, end - 1);
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
