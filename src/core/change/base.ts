/** A file's text as committed at a revision: the left side of the editor's diff of a change. */
import { runGit, type GitContext } from './git';
import type { RepoGit } from './index';

/**
 * The blob of `file` at `ref` (the analysis's base), read from git's object store as committed:
 * no filters, no text conversion, nothing written. `git` is the context the analysis of the
 * repository ran with (readChange's `git`), so this read carries the same overrides as every other.
 */
export async function baseText(git: RepoGit & Pick<GitContext, 'onGit' | 'signal'>, ref: string, file: string): Promise<string> {
  const { stdout } = await runGit(git, ['cat-file', 'blob', `${ref}:${file}`]);
  return stdout.toString('utf8').replace(/\r\n/g, '\n');
}
