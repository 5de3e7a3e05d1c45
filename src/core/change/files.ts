/**
 * Reads files of the working tree: the new version of a changed file, an untracked file, or a file
 * searched for references. Never follows a symlink (a link to /dev/zero or to a file outside the
 * repository is read as the link's target text, as git stores it), never waits on a FIFO or a
 * device, and never reads more than a fixed number of bytes of one file, however large it is.
 */
import { closeSync, fstatSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { readFlags } from '../files';

/** What is read of one file at most. A larger text file is judged by its first part (and its diff). */
export const MAX_CONTENT_BYTES = 2 * 1024 * 1024;

/** Bytes of one line kept as text: a minified bundle's one line is judged by its start. */
export const MAX_LINE_BYTES = 256 * 1024;

/** git's own test: a NUL byte in the first 8000 bytes makes a file binary. */
export const BINARY_PROBE_BYTES = 8000;

// A symlink is refused, not followed, and opening a FIFO returns at once.
const OPEN_FLAGS = readFlags(false);

export type WorkingFile =
  /**
   * `size` is set when the file is larger than what was read: `content` then ends at the last whole
   * line read or, when not one line ended (`lineCut`), is the start of the first line.
   */
  | { kind: 'text'; content: string; size?: number; lineCut?: boolean }
  | { kind: 'binary' }
  /** Gone since git listed it, or not a file git can diff (a socket, a FIFO, a nested repository). */
  | { kind: 'unreadable' };

export interface Head {
  /** The bytes read: the whole file, or its first `limit` bytes. */
  bytes: Buffer;
  /** The file's size when it was opened. */
  size: number;
}

/*
 * Reads are synchronous: a bounded read of one regular file never waits long, and thousands of small
 * files read several times faster than through the thread pool. Callers read in slices (eachInSlices)
 * so the event loop still turns.
 */

/**
 * The first `limit` bytes of a regular file (into `scratch` when given, to spare an allocation per
 * file), or undefined when the path is not a regular file or cannot be read.
 */
export function readHead(abs: string | Buffer, limit: number, scratch?: Buffer): Head | undefined {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const want = Math.min(limit, st.size);
    const buf = scratch && scratch.length >= want ? scratch : Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buf, got, want - got, got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: got === buf.length ? buf : buf.subarray(0, got), size: st.size };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export function isBinary(bytes: Buffer): boolean {
  return (bytes.length > BINARY_PROBE_BYTES ? bytes.subarray(0, BINARY_PROBE_BYTES) : bytes).includes(0);
}

/** A file of the change as read, plus the bytes read of a regular file (for the reference search). */
export type ReadFile = WorkingFile & { head?: Head };

export function readWorkingFile(abs: string | Buffer, limit = MAX_CONTENT_BYTES, lineLimit = MAX_LINE_BYTES): ReadFile {
  // Opened straight away (O_NOFOLLOW refuses a link, fstat anything but a regular file): only what
  // could not be read is looked at again, once per file fewer system calls for the common case.
  const head = readHead(abs, limit);
  return head ? workingFileOf(head, lineLimit) : linkOrUnreadable(abs);
}

/** A file of the change from what was read of it as a regular file. */
export function workingFileOf(head: Head, lineLimit = MAX_LINE_BYTES): ReadFile {
  if (isBinary(head.bytes)) return { kind: 'binary', head };
  if (head.size <= head.bytes.length) return { kind: 'text', content: normaliseEol(head.bytes.toString('utf8')), head };
  // Cut at the last newline read, so every line of the content is a whole line of the file.
  const end = head.bytes.lastIndexOf(0x0a) + 1;
  if (end === 0) return { kind: 'text', content: head.bytes.toString('utf8', 0, Math.min(lineLimit, head.bytes.length)), size: head.size, lineCut: true, head };
  return { kind: 'text', content: normaliseEol(head.bytes.toString('utf8', 0, end)), size: head.size, head };
}

/** A symlink is read as its target text, as git stores it; anything else not read is unreadable. */
export function linkOrUnreadable(abs: string | Buffer): ReadFile {
  try {
    if (lstatSync(abs).isSymbolicLink()) return { kind: 'text', content: readlinkSync(abs, 'utf8') };
  } catch {
    // Gone since git listed it.
  }
  return { kind: 'unreadable' };
}

/** Maps over items synchronously, letting the event loop turn every few milliseconds. */
export async function eachInSlices<T, R>(items: readonly T[], fn: (item: T, index: number) => R, sliceMs = 8): Promise<R[]> {
  const out = new Array<R>(items.length);
  let since = performance.now();
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i], i);
    if (performance.now() - since > sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  return out;
}

/** CRLF → LF. A lone CR stays: git does not split lines on it, so line numbers stay git's. */
export function normaliseEol(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
}

/** The lines of a text as git counts them: a final line without a newline still counts. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
