/**
 * Which folder's `.rollout-lens.json` applies to a folder: the top level git itself reports, so
 * the plan reads the same policy as the analysis (a subfolder with an empty or broken `.git` is
 * not a repository to git, and must not be one here either).
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { topLevel } from '../change/repo';

/** git's top level for `dir`; a folder outside any repository is its own root. */
export async function policyRootOf(dir: string): Promise<string> {
  const folder = path.resolve(dir);
  // A missing folder is reported by whoever reads it next; git would only say it cannot start.
  if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) return folder;
  try {
    const { root } = await topLevel({ cwd: folder });
    return root === '' ? folder : root;
  } catch {
    // Not a repository, one git refuses, or no git at all: planning for a tier still reads the
    // folder's own policy, and an analysis reports the problem in its own words.
    return folder;
  }
}
