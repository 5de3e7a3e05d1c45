/** A file's text as committed at a revision: the left side of the editor's diff of a change. */
import { runGit } from './git';

/**
 * The blob of `file` at `ref` (the analysis's base), read from git's object store as committed:
 * no filters, no text conversion, nothing written.
 */
export async function baseText(root: string, ref: string, file: string): Promise<string> {
  const { stdout } = await runGit({ cwd: root }, ['cat-file', 'blob', `${ref}:${file}`]);
  return stdout.toString('utf8').replace(/\r\n/g, '\n');
}
