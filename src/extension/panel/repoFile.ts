/**
 * Which file the view may open: a path from the view is never trusted to leave the repository.
 * Pure (no VS Code), so the rule is tested on its own.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** True when `target` is `root` itself or below it; both must be resolved the same way. */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  // `..x.ts` is a legal name below the root; only `..` itself or `../…` climbs out.
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * The real path of the regular file `file` (relative to `root`), or an error naming why it may
 * not be opened. Symlinks are followed first and the result must still lie under the root's real
 * path, so a committed link cannot lead the editor to a file elsewhere on the machine.
 */
export async function resolveFileInRepo(root: string, file: string): Promise<string> {
  const realRoot = await fs.realpath(root);
  const target = path.resolve(realRoot, file);
  if (!isInside(realRoot, target)) throw new Error(`${file}: outside the repository`);
  let real: string;
  try {
    real = await fs.realpath(target);
  } catch {
    throw new Error(`${file}: no such file in the repository`);
  }
  if (!isInside(realRoot, real)) throw new Error(`${file}: outside the repository (a symlink leads to a file elsewhere)`);
  // A FIFO or device would hang or never end in the editor; a folder is not a file to open.
  if (!(await fs.stat(real)).isFile()) throw new Error(`${file}: not a regular file`);
  return real;
}
