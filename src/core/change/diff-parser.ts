/**
 * Parses, as it streams, the output of
 * `git diff-index --raw -z -p -U0 --find-renames <base>`:
 *
 *   :<old mode> <new mode> <old id> <new id> <status>\0<path>\0[<new path>\0]   one record per file
 *   \0                                                                        then one separator
 *   diff --git a/… b/…\n … @@ -a,b +c,d @@\n +added\n -removed\n …            then the patch
 *
 * The `-z` records give paths verbatim (spaces, newlines, any bytes) and the status; the patch
 * is read for line numbers and text, and its sections are tied to records by path. A record
 * may have no section: the plumbing diff lists a file whose timestamps changed but whose
 * content did not (the porcelain `git diff` would hide it, but only by rewriting the index).
 * A type change (file ↔ symlink) has two sections, a deletion and a creation.
 *
 * Lines are split as bytes and decoded one at a time: names in headers the same way as the `-z`
 * records (so a name that is not UTF-8 still finds its record), and a line longer than a chunk
 * (a minified file) is assembled once, not copied again with every chunk that extends it.
 */
import { displayPath } from './bytes';
import { MAX_LINE_BYTES } from './files';
import type { ChangedLine } from './types';

export interface DiffRecord {
  /** git's status letter: A, M, D, R, C, T or U. */
  status: string;
  oldMode: string;
  newMode: string;
  /** The name as shown (see ./bytes: bytes that are not UTF-8 appear as `\xHH`). */
  path: string;
  /** The name as git gave it, for reading the file. */
  pathBytes: Buffer;
  /** Set for renames and copies. */
  oldPath?: string;
  /** git judged it binary (attributes or content): no lines were read. */
  binary: boolean;
  addedLines: ChangedLine[];
  removedLines: ChangedLine[];
  /** Changed lines longer than the parser keeps: their text is their first `maxLineBytes` bytes. */
  cutLines: number;
}

interface Section {
  /** Path from a `diff --git` line whose two sides agree. */
  header?: string;
  renameTo?: string;
  plus?: string;
  minus?: string;
  record?: DiffRecord;
}

export class DiffFormatError extends Error {
  constructor(what: string) {
    super(`unexpected git diff output: ${what}`);
    this.name = 'DiffFormatError';
  }
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export class DiffStreamParser {
  readonly records: DiffRecord[] = [];
  private inPatch = false;
  /** Bytes of the record part not yet split into NUL-terminated tokens. */
  private pending: Buffer = Buffer.alloc(0);
  /** Path tokens still expected by the last record. */
  private pathsWanted = 0;
  /** Pieces of the patch line not yet ended by a newline, at most maxLineBytes in all. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** The unfinished line is longer than what is kept of it. */
  private partialCut = false;
  private byPath = new Map<string, DiffRecord>();
  /** Records that had at least one patch section. */
  private seen = new Set<DiffRecord>();
  // Patch state.
  private section: Section | undefined;
  private current: DiffRecord | undefined;
  private oldRemaining = 0;
  private newRemaining = 0;
  private oldLine = 0;
  private newLine = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  push(chunk: Buffer): void {
    if (this.inPatch) return this.pushPatch(chunk);
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (let nul = buf.indexOf(0, start); nul !== -1; nul = buf.indexOf(0, start)) {
      const token = buf.subarray(start, nul);
      start = nul + 1;
      if (this.recordToken(token)) {
        this.inPatch = true;
        this.pending = Buffer.alloc(0);
        return this.pushPatch(buf.subarray(start));
      }
    }
    this.pending = Buffer.from(buf.subarray(start));
  }

  /** Call once git has exited; returns the changed files in git's order. */
  end(): DiffRecord[] {
    if (this.inPatch) {
      if (this.partialBytes || this.partialCut) this.patchLine(...this.takePartial());
      if (this.section) this.bindSection();
    } else if (this.pending.length || this.pathsWanted) {
      throw new DiffFormatError('file list cut short');
    }
    if (this.oldRemaining > 0 || this.newRemaining > 0) throw new DiffFormatError(`hunk of ${this.current?.path} cut short`);
    // Without a section and without a mode change, only the file's timestamps changed.
    return this.records.filter((r) => this.seen.has(r) || r.status !== 'M' || r.oldMode !== r.newMode);
  }

  /** Handles one NUL-terminated token of the record part; true at the separator before the patch. */
  private recordToken(bytes: Buffer): boolean {
    if (this.pathsWanted > 0) {
      const rec = this.records[this.records.length - 1];
      const name = displayPath(bytes);
      if (this.pathsWanted === 2) rec.oldPath = name;
      rec.path = name;
      rec.pathBytes = Buffer.from(bytes);
      this.pathsWanted--;
      if (this.pathsWanted === 0) this.byPath.set(name, rec);
      return false;
    }
    if (bytes.length === 0) return true;
    const token = bytes.toString('latin1');
    if (token[0] !== ':') throw new DiffFormatError(`expected a file record, got ${JSON.stringify(token.slice(0, 40))}`);
    const [oldMode, newMode, , , status] = token.slice(1).split(' ');
    if (!status) throw new DiffFormatError(`malformed file record ${JSON.stringify(token)}`);
    const letter = status[0];
    this.records.push({ status: letter, oldMode, newMode, path: '', pathBytes: Buffer.alloc(0), binary: false, addedLines: [], removedLines: [], cutLines: 0 });
    this.pathsWanted = letter === 'R' || letter === 'C' ? 2 : 1;
    return false;
  }

  private pushPatch(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.partialBytes || this.partialCut) {
        this.keep(piece);
        this.patchLine(...this.takePartial());
      } else {
        const cut = piece.length > this.maxLineBytes;
        this.patchLine(cut ? piece.subarray(0, this.maxLineBytes) : piece, cut);
      }
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** Keeps the start of an unfinished line (a copy: the chunk is not ours to hold). */
  private keep(piece: Buffer): void {
    const room = this.maxLineBytes - this.partialBytes;
    if (piece.length > room) this.partialCut = true;
    const kept = piece.length > room ? piece.subarray(0, room) : piece;
    if (kept.length === 0) return;
    this.partial.push(Buffer.from(kept));
    this.partialBytes += kept.length;
  }

  private takePartial(): [Buffer, boolean] {
    const line: [Buffer, boolean] = [Buffer.concat(this.partial), this.partialCut];
    this.partial = [];
    this.partialBytes = 0;
    this.partialCut = false;
    return line;
  }

  private patchLine(bytes: Buffer, cut = false): void {
    if (this.oldRemaining > 0 || this.newRemaining > 0) return this.hunkLine(bytes, cut);
    // Header lines hold names: decoded like the -z records. Only the prefix is needed to tell them apart.
    const line = displayPath(bytes);
    if (line.startsWith('diff --git ')) {
      if (this.section) this.bindSection();
      this.current = undefined;
      this.section = { header: symmetricPath(line.slice('diff --git '.length)) };
      return;
    }
    const sec = this.section;
    if (!sec) throw new DiffFormatError(`patch text before the first file: ${JSON.stringify(line.slice(0, 40))}`);
    if (line.startsWith('@@ ')) return this.hunkHeader(line);
    if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
      this.bindSection().binary = true;
    } else if (!sec.record) {
      // Header lines; paths in them are C-quoted when they hold special characters.
      if (line.startsWith('rename to ')) sec.renameTo = unquote(line.slice(10));
      else if (line.startsWith('copy to ')) sec.renameTo = unquote(line.slice(8));
      else if (line.startsWith('+++ b/') || line.startsWith('+++ "b/')) sec.plus = labelPath(line.slice(4));
      else if (line.startsWith('--- a/') || line.startsWith('--- "a/')) sec.minus = labelPath(line.slice(4));
    }
    // Anything else is header (index, mode, similarity) or a "\ No newline at end of file" marker.
  }

  /** Ties the current section to its file record, once its header has been read. */
  private bindSection(): DiffRecord {
    const sec = this.section;
    if (!sec) throw new DiffFormatError('patch content outside a file section');
    if (sec.record) return sec.record;
    const p = sec.renameTo ?? sec.header ?? sec.plus ?? sec.minus;
    const rec = p === undefined ? undefined : this.byPath.get(p);
    if (!rec) throw new DiffFormatError(`patch section for ${JSON.stringify(p)} matches no listed file`);
    sec.record = rec;
    this.current = rec;
    this.seen.add(rec);
    return rec;
  }

  private hunkHeader(line: string): void {
    const m = HUNK.exec(line);
    this.bindSection();
    if (!m || !this.current) throw new DiffFormatError(`bad hunk header ${JSON.stringify(line.slice(0, 60))}`);
    this.oldLine = Number(m[1]);
    this.oldRemaining = m[2] === undefined ? 1 : Number(m[2]);
    this.newRemaining = m[4] === undefined ? 1 : Number(m[4]);
    // A hunk that only removes names the new line it follows (`+143,0`: after line 143); one
    // that also adds names its first new line.
    this.newLine = Number(m[3]) + (this.newRemaining === 0 ? 1 : 0);
  }

  private hunkLine(bytes: Buffer, cut: boolean): void {
    const rec = this.current as DiffRecord;
    const kind = bytes.length ? String.fromCharCode(bytes[0]) : undefined;
    if (cut) rec.cutLines++;
    // Git splits lines on LF only: a CR left at the end belongs to a CRLF file.
    const end = !cut && bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    const text = bytes.toString('utf8', Math.min(1, end), end);
    if (kind === '+') {
      rec.addedLines.push({ line: this.newLine++, text });
      this.newRemaining--;
    } else if (kind === '-') {
      rec.removedLines.push({ line: this.oldLine++, text, after: this.newLine - 1 });
      this.oldRemaining--;
    } else if (kind === ' ' || kind === undefined) {
      this.oldLine++;
      this.newLine++;
      this.oldRemaining--;
      this.newRemaining--;
    } else if (kind !== '\\') {
      throw new DiffFormatError(`unexpected line in a hunk of ${rec.path}: ${JSON.stringify(bytes.toString('utf8', 0, 40))}`);
    }
  }
}

/**
 * The path of `a/P b/P` (both sides equal, as for every change but a rename or copy),
 * quoted or not; undefined when the sides differ or cannot be split unambiguously.
 */
export function symmetricPath(rest: string): string | undefined {
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    if (!first || rest[first.end] !== ' ') return undefined;
    const second = rest[first.end + 1] === '"' ? readQuoted(rest, first.end + 1) : undefined;
    const b = second ? second.value : rest.slice(first.end + 1);
    if (second && second.end !== rest.length) return undefined;
    return first.value.startsWith('a/') && b === 'b/' + first.value.slice(2) ? first.value.slice(2) : undefined;
  }
  if ((rest.length - 5) % 2 !== 0) return undefined;
  const n = (rest.length - 5) / 2;
  const p = rest.slice(2, 2 + n);
  return rest.startsWith('a/') && rest.slice(2 + n) === ` b/${p}` ? p : undefined;
}

/** A `---`/`+++` label: `a/P`, `"a/P"`, or `a/P<TAB>` when P holds a space. */
function labelPath(label: string): string {
  const unq = label.startsWith('"') ? unquote(label) : label.endsWith('\t') ? label.slice(0, -1) : label;
  return unq.slice(2);
}

/** Undoes git's C-style quoting (`"a\tb\303\251"`); an unquoted path is returned as is. */
export function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  return readQuoted(text, 0)?.value ?? text;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  const parts: Buffer[] = [];
  let run = start + 1;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c !== '"' && c !== '\\') continue;
    parts.push(Buffer.from(text.slice(run, i), 'utf8'));
    if (c === '"') return { value: displayPath(Buffer.concat(parts)), end: i + 1 };
    const e = text[++i] ?? '';
    if (e in ESCAPES) {
      parts.push(Buffer.of(ESCAPES[e]));
    } else if (e === 'x' && /^[0-9a-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      // Not git's: a byte that is not UTF-8, as the line's decoding showed it (see ./bytes).
      parts.push(Buffer.of(parseInt(text.slice(i + 1, i + 3), 16)));
      i += 2;
    } else if (/^[0-7]{3}$/.test(text.slice(i, i + 3))) {
      // Octal escapes carry the bytes of a UTF-8 sequence one at a time.
      parts.push(Buffer.of(parseInt(text.slice(i, i + 3), 8)));
      i += 2;
    } else {
      return undefined;
    }
    run = i + 1;
  }
  return undefined;
}
