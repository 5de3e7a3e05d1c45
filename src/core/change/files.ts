/**
 * Reads files of the working tree: the new version of a changed file, or an untracked file.
 * Never follows a symlink (a link to /dev/zero or to a file outside the repository is read as
 * the link's target text, as git stores it) and never reads more than MAX_CONTENT_BYTES.
 */
import { lstat, readFile, readlink } from 'node:fs/promises';

/** Larger files are listed like binary ones: counted as changed, never loaded. */
export const MAX_CONTENT_BYTES = 2 * 1024 * 1024;

/** git's own test: a NUL byte in the first 8000 bytes makes a file binary. */
const BINARY_PROBE_BYTES = 8000;

export type WorkingFile =
  | { kind: 'text'; content: string }
  | { kind: 'binary' }
  | { kind: 'too-large' }
  /** Gone since git listed it, or not a file git can diff (a socket, a nested repository). */
  | { kind: 'unreadable' };

export async function readWorkingFile(abs: string): Promise<WorkingFile> {
  try {
    const st = await lstat(abs);
    if (st.isSymbolicLink()) return { kind: 'text', content: await readlink(abs, 'utf8') };
    if (!st.isFile()) return { kind: 'unreadable' };
    if (st.size > MAX_CONTENT_BYTES) return { kind: 'too-large' };
    const bytes = await readFile(abs);
    const probe = bytes.subarray(0, BINARY_PROBE_BYTES);
    if (probe.includes(0)) return { kind: 'binary' };
    return { kind: 'text', content: normaliseEol(bytes.toString('utf8')) };
  } catch {
    return { kind: 'unreadable' };
  }
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

/** Maps over items with at most `limit` promises in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
