/**
 * The one way the CLI and the editor read and write `.rollout-lens.json`. A repository is someone
 * else's content: its policy must be a regular file directly in the repository root. A committed
 * symbolic link (to `~/.ssh/id_rsa`, to `/etc/…`) is refused without being opened, so nothing
 * outside the repository is read, quoted in an error, or written.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, rename, unlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../errors';
import { notRegular, openRegularFile, readBounded, readFlags } from '../files';
import { POLICY_FILE } from './name';

export { POLICY_FILE };

/** A policy is a few kilobytes; anything near this is not one. */
export const MAX_POLICY_BYTES = 1024 * 1024;

const EXPECTED_IN_REPO = 'the policy as a regular file in the repository root';

function cannotRead(file: string, e: NodeJS.ErrnoException): InputError {
  return new InputError(`${file}: cannot read the policy file (${e.code ?? e.message})`, { file });
}

/** `<root>/.rollout-lens.json` if it is a regular file there; undefined when there is none; else an InputError. */
async function checkedEntry(root: string): Promise<{ file: string; st: Stats } | undefined> {
  const file = path.join(root, POLICY_FILE);
  let st: Stats;
  try {
    st = await lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannotRead(file, e as NodeJS.ErrnoException);
  }
  if (!st.isFile()) throw notRegular(file, st, EXPECTED_IN_REPO);
  return { file, st };
}

/** The root as the file system resolves it, and whether `file` resolves to an entry directly inside it. */
async function insideRoot(root: string, file: string): Promise<boolean> {
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
  return path.dirname(realFile) === realRoot;
}

/**
 * Reads the repository's policy text: undefined when the root has no `.rollout-lens.json`. A link,
 * FIFO, device or folder there is an InputError that names the file and says what was expected.
 */
export async function readRepositoryPolicy(root: string): Promise<{ file: string; text: string } | undefined> {
  const entry = await checkedEntry(root);
  if (!entry) return undefined;
  const { file, st } = entry;
  let handle: FileHandle;
  try {
    if (!(await insideRoot(root, file))) throw notRegular(file, st, EXPECTED_IN_REPO);
    // No-follow and non-blocking: a link or FIFO swapped in after the check is refused, not waited on.
    handle = await open(file, readFlags(false));
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new InputError(`${file}: is a symbolic link (expected ${EXPECTED_IN_REPO})`, { file });
    throw cannotRead(file, e as NodeJS.ErrnoException);
  }
  try {
    const now = await handle.stat();
    if (!now.isFile()) throw notRegular(file, now, EXPECTED_IN_REPO);
    if (now.ino !== st.ino || now.dev !== st.dev) throw new InputError(`${file}: changed while it was being read (expected ${EXPECTED_IN_REPO}); try again`, { file });
    return { file, text: (await readBounded(handle, file, MAX_POLICY_BYTES, 'a policy file')).toString('utf8') };
  } finally {
    await handle.close();
  }
}

/** Reads a policy file the user named (`--config`): it may be anywhere and may be a link, but must be a regular file. */
export async function readNamedPolicy(file: string): Promise<{ file: string; text: string }> {
  const { handle } = await openRegularFile(file, 'a policy file as a regular JSON file', (e) => cannotRead(file, e));
  try {
    return { file, text: (await readBounded(handle, file, MAX_POLICY_BYTES, 'a policy file')).toString('utf8') };
  } finally {
    await handle.close();
  }
}

/**
 * Writes the repository's policy. The text goes to a new file in the root (created exclusively, so
 * no existing entry or link is written through) and is then renamed over `.rollout-lens.json`: a
 * rename replaces the directory entry itself, so a link planted there between the check and the
 * write is replaced, never followed, and nothing outside the root is created or changed.
 */
export async function writeRepositoryPolicy(root: string, text: string): Promise<string> {
  const entry = await checkedEntry(root);
  const realRoot = await realpath(root);
  const target = path.join(realRoot, POLICY_FILE);
  const temp = path.join(realRoot, `${POLICY_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = entry ? entry.st.mode & 0o777 : 0o666;
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, flags, mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    if (e instanceof InputError) throw e;
    throw new InputError(`${target}: cannot write the policy file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: target });
  }
  return target;
}
