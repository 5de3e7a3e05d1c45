/**
 * Parses, as it streams, the output of
 * `git diff --raw -z -p -U0 --find-renames <base>`:
 *
 *   :<old mode> <new mode> <old id> <new id> <status>\0<path>\0[<new path>\0]   one record per file
 *   \0                                                                        then one separator
 *   diff --git a/… b/…\n … @@ -a,b +c,d @@\n +added\n -removed\n …            then the patch
 *
 * The `-z` records give paths verbatim (spaces, newlines, any bytes) and the status; the patch
 * is read only for its line numbers and text. Both list the files in the same order, one patch
 * section per record, except a type change (file ↔ symlink), which git splits into a deletion
 * section and a creation section: so sections are matched to records by position, never by the
 * quoted and possibly ambiguous paths of the `diff --git` line.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ChangedLine } from './types';

export interface DiffRecord {
  /** git's status letter: A, M, D, R, C, T or U. */
  status: string;
  oldMode: string;
  newMode: string;
  path: string;
  /** Set for renames and copies. */
  oldPath?: string;
  /** git judged it binary (attributes or content): no lines were read. */
  binary: boolean;
  addedLines: ChangedLine[];
  removedLines: ChangedLine[];
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
  private readonly decoder = new StringDecoder('utf8');
  private partialLine = '';
  // Patch state.
  private section = -1;
  private sectionsLeft = 0;
  private current: DiffRecord | undefined;
  private oldRemaining = 0;
  private newRemaining = 0;
  private oldLine = 0;
  private newLine = 0;

  push(chunk: Buffer): void {
    if (this.inPatch) return this.pushPatch(this.decoder.write(chunk));
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (let nul = buf.indexOf(0, start); nul !== -1; nul = buf.indexOf(0, start)) {
      const token = buf.toString('utf8', start, nul);
      start = nul + 1;
      if (this.recordToken(token)) {
        this.inPatch = true;
        this.pending = Buffer.alloc(0);
        return this.pushPatch(this.decoder.write(buf.subarray(start)));
      }
    }
    this.pending = Buffer.from(buf.subarray(start));
  }

  /** Call once git has exited; returns the files in git's order. */
  end(): DiffRecord[] {
    if (this.inPatch) {
      const rest = this.partialLine + this.decoder.end();
      this.partialLine = '';
      if (rest) this.patchLine(rest);
    } else if (this.pending.length || this.pathsWanted) {
      throw new DiffFormatError('file list cut short');
    }
    if (this.oldRemaining > 0 || this.newRemaining > 0) throw new DiffFormatError(`hunk of ${this.current?.path} cut short`);
    return this.records;
  }

  /** Handles one NUL-terminated token of the record part; true at the separator before the patch. */
  private recordToken(token: string): boolean {
    if (this.pathsWanted > 0) {
      const rec = this.records[this.records.length - 1];
      if (this.pathsWanted === 2) rec.oldPath = token;
      rec.path = token;
      this.pathsWanted--;
      return false;
    }
    if (token === '') return true;
    if (token[0] !== ':') throw new DiffFormatError(`expected a file record, got ${JSON.stringify(token.slice(0, 40))}`);
    const [oldMode, newMode, , , status] = token.slice(1).split(' ');
    if (!status) throw new DiffFormatError(`malformed file record ${JSON.stringify(token)}`);
    const letter = status[0];
    this.records.push({ status: letter, oldMode, newMode, path: '', binary: false, addedLines: [], removedLines: [] });
    this.pathsWanted = letter === 'R' || letter === 'C' ? 2 : 1;
    return false;
  }

  private pushPatch(text: string): void {
    if (!text) return;
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.patchLine(line);
  }

  private patchLine(line: string): void {
    if (this.oldRemaining > 0 || this.newRemaining > 0) return this.hunkLine(line);
    if (line.startsWith('diff --git ')) return this.nextSection();
    if (line.startsWith('@@ ')) return this.hunkHeader(line);
    if (!this.current) throw new DiffFormatError(`patch text before the first file: ${JSON.stringify(line.slice(0, 40))}`);
    if (line.startsWith('Binary files ') || line === 'GIT binary patch') this.current.binary = true;
    // Everything else is header (index, mode, rename, ---/+++) or a "\ No newline at end of file" marker.
  }

  private nextSection(): void {
    if (this.sectionsLeft === 0) {
      this.section++;
      this.current = this.records[this.section];
      if (!this.current) throw new DiffFormatError('more patch sections than files');
      this.sectionsLeft = this.current.status === 'T' ? 2 : 1;
    }
    this.sectionsLeft--;
  }

  private hunkHeader(line: string): void {
    const m = HUNK.exec(line);
    if (!m || !this.current) throw new DiffFormatError(`bad hunk header ${JSON.stringify(line.slice(0, 60))}`);
    this.oldLine = Number(m[1]);
    this.oldRemaining = m[2] === undefined ? 1 : Number(m[2]);
    this.newLine = Number(m[3]);
    this.newRemaining = m[4] === undefined ? 1 : Number(m[4]);
  }

  private hunkLine(line: string): void {
    const rec = this.current as DiffRecord;
    const kind = line[0];
    // Git splits lines on LF only: a CR left at the end belongs to a CRLF file.
    const text = line.endsWith('\r') ? line.slice(1, -1) : line.slice(1);
    if (kind === '+') {
      rec.addedLines.push({ line: this.newLine++, text });
      this.newRemaining--;
    } else if (kind === '-') {
      rec.removedLines.push({ line: this.oldLine++, text });
      this.oldRemaining--;
    } else if (kind === ' ' || kind === undefined) {
      this.oldLine++;
      this.newLine++;
      this.oldRemaining--;
      this.newRemaining--;
    } else if (kind !== '\\') {
      throw new DiffFormatError(`unexpected line in a hunk of ${rec.path}: ${JSON.stringify(line.slice(0, 40))}`);
    }
  }
}
