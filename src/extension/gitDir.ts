/** Whether a folder is inside a git repository, by looking for `.git` upwards: no git process needed. */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';

export async function insideGitRepository(folder: string): Promise<boolean> {
  let dir = path.resolve(folder);
  for (;;) {
    try {
      await stat(path.join(dir, '.git'));
      return true;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return false;
      dir = parent;
    }
  }
}
