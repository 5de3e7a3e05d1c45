/**
 * Opening files the user or a repository hands us. Only regular files are read: a FIFO would block
 * the open (or the read) forever, a device can stream without end, and a folder has nothing to read.
 * The file is opened non-blocking and checked with fstat on the same descriptor, so what was checked
 * is what is read, even if the path is swapped in between.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { InputError, locate } from './errors';

/** What a file system entry is, as a person would say it. */
export function kindOf(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Flags that never wait on a FIFO and, where the platform has it, never follow a final symbolic link. */
export function readFlags(followLinks: boolean): number {
  const noFollow = followLinks ? 0 : (constants.O_NOFOLLOW ?? 0);
  return constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | noFollow;
}

export interface Opened {
  handle: FileHandle;
  stat: Stats;
}

/**
 * Opens `file` for reading if it is a regular file; otherwise throws an InputError naming the file,
 * what it is and `expected`. A file-system error (missing, no permission) is passed to `onError`,
 * which turns it into the caller's own message.
 */
export async function openRegularFile(file: string, expected: string, onError: (e: NodeJS.ErrnoException) => unknown): Promise<Opened> {
  // A stat first, so a device or FIFO is not even opened (opening some devices has effects).
  let before: Stats;
  try {
    before = await stat(file);
  } catch (e) {
    throw onError(e as NodeJS.ErrnoException);
  }
  if (!before.isFile()) throw notRegular(file, before, expected);
  let handle: FileHandle;
  try {
    handle = await open(file, readFlags(true));
  } catch (e) {
    throw onError(e as NodeJS.ErrnoException);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notRegular(file, st, expected);
    return { handle, stat: st };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

export function notRegular(file: string, st: Stats, expected: string): InputError {
  return new InputError(locate(file, undefined, `is ${kindOf(st)} (expected ${expected})`), { file });
}

/**
 * Reads at most `maxBytes` from an open file; more than that is an InputError naming the file and the
 * limit, so a huge or growing file cannot fill memory.
 */
export async function readBounded(handle: FileHandle, file: string, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) {
      throw new InputError(locate(file, undefined, `larger than ${formatBytes(maxBytes)} (expected ${what} of at most ${formatBytes(maxBytes)})`), { file });
    }
  }
  return Buffer.concat(chunks, total);
}

/** "2 MB", "1.5 GB": sizes in the notes and errors a person reads. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v >= 10 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
