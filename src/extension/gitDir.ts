/**
 * Whether a folder is inside a git repository, found the way git finds one but without starting
 * git: the nearest folder upwards whose `.git` is a git directory (HEAD, objects/ and refs/) or a
 * `.git` file (a worktree or submodule link). An empty or half-made `.git` folder does not count,
 * as git itself looks past it. The policy root is never taken from here: it is the top level git
 * reports (PlanSession.policyRoot), so plan and analysis read the same `.rollout-lens.json`.
 */
import { lstat, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** git's own test for a git directory: objects/ and refs/ exist and HEAD names a ref or a commit. */
async function isGitDirectory(dir: string): Promise<boolean> {
  if (!(await isDirectory(path.join(dir, 'objects'))) || !(await isDirectory(path.join(dir, 'refs')))) return false;
  const head = path.join(dir, 'HEAD');
  const st = await lstat(head).catch(() => undefined);
  if (!st) return false;
  if (st.isSymbolicLink()) return true;
  if (!st.isFile() || st.size > 4096) return false;
  const text = await readFile(head, 'utf8').catch(() => '');
  return /^ref: refs\//.test(text) || /^[0-9a-f]{40}(?:[0-9a-f]{24})?\s*$/.test(text);
}

/** The folder git would take as the top of the working tree around `folder`, or undefined. */
export async function findRepositoryRoot(folder: string): Promise<string | undefined> {
  let dir = path.resolve(folder);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const st = await lstat(dotGit).catch(() => undefined);
    // A `.git` file points elsewhere; whether it is valid is git's to say when it runs.
    if (st?.isFile()) return dir;
    if (st && (await isGitDirectory(dotGit))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function insideGitRepository(folder: string): Promise<boolean> {
  return (await findRepositoryRoot(folder)) !== undefined;
}
