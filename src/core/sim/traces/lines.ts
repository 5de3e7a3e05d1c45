/**
 * Splits a byte stream into lines without building strings: `readline` decodes every line to a string,
 * which costs more than parsing the row. Lines end in LF or CRLF; a line may span chunk boundaries.
 */
import { InputError, locate } from '../../errors';

/** Receives one line as a byte range (without its line ending) and its 1-based line number. */
export type LineSink = (bytes: Uint8Array, start: number, end: number, line: number) => void;

/** No trace row is this long; a longer "line" is a binary or minified file, refused before it fills memory. */
export const MAX_LINE_BYTES = 64 * 1024;

export class LineSplitter {
  private carry = new Uint8Array(256);
  private carryLength = 0;
  private line = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly where: string,
  ) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    if (this.carryLength > 0) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.keep(chunk, 0, chunk.length);
        return;
      }
      this.keep(chunk, 0, nl);
      const carried = this.carryLength;
      this.carryLength = 0;
      this.emit(this.carry, 0, carried);
      pos = nl + 1;
    }
    const sink = this.sink;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) break;
      let end = nl;
      if (end > pos && chunk[end - 1] === 13) end--;
      if (this.line === 0 || end - pos > MAX_LINE_BYTES) this.emit(chunk, pos, nl);
      else sink(chunk, pos, end, ++this.line);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.keep(chunk, pos, chunk.length);
  }

  /** The last line, when the file does not end with a newline. */
  end(): void {
    if (this.carryLength > 0) {
      const carried = this.carryLength;
      this.carryLength = 0;
      this.emit(this.carry, 0, carried);
    }
  }

  get lines(): number {
    return this.line;
  }

  private emit(b: Uint8Array, start: number, end: number): void {
    this.line++;
    if (end > start && b[end - 1] === 13) end--;
    // A UTF-8 byte order mark (spreadsheet exports) is not part of the header.
    if (this.line === 1 && end - start >= 3 && b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf) start += 3;
    if (end - start > MAX_LINE_BYTES) throw this.tooLong(this.line);
    this.sink(b, start, end, this.line);
  }

  private keep(chunk: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.carryLength + n > MAX_LINE_BYTES + 1) throw this.tooLong(this.line + 1);
    if (this.carryLength + n > this.carry.length) {
      const bigger = new Uint8Array(Math.max(this.carry.length * 2, this.carryLength + n));
      bigger.set(this.carry.subarray(0, this.carryLength));
      this.carry = bigger;
    }
    this.carry.set(chunk.subarray(start, end), this.carryLength);
    this.carryLength += n;
  }

  private tooLong(line: number): InputError {
    return new InputError(
      locate(this.where, line, `line longer than ${MAX_LINE_BYTES} bytes (expected one CSV row per line; is this a binary file?)`),
      { file: this.where, line },
    );
  }
}
