/**
 * Which file the view may open: a path from the view is never trusted to leave the repository.
 * Pure (no VS Code), so the rule is tested on its own.
 */
import * as path from 'node:path';

/** The absolute path to open for `file` (relative to `root`), or an error naming why not. */
export async function resolveFileInRepo(root: string, file: string): Promise<string> {
  const target = path.resolve(root, file);
  if (path.relative(root, target).startsWith('..') || path.isAbsolute(path.relative(root, target))) throw new Error(`${file}: outside the repository`);
  return target;
}
