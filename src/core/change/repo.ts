/**
 * Finds the repository around a folder and what the change is compared against:
 * HEAD, the merge-base with a `--base` ref, or the empty tree before the first commit.
 */
import { stat } from 'node:fs/promises';
import { InputError } from '../errors';
import { firstLine, GitFailure, runGit, type GitContext } from './git';
import { driverNamesFromConfig, type DriverNames } from './safety';

export interface RepoState {
  root: string;
  headCommit: string | null;
  branch: string | null;
  /** What `git diff` compares the working tree with: a commit id or the empty tree. */
  diffFrom: string;
  /** ChangeSet.base: 'HEAD', the merge-base commit, or null before the first commit. */
  base: string | null;
  drivers: DriverNames;
}

/** The empty tree is built into git, so diffing against it needs no object in the repository. */
const EMPTY_TREE: Record<string, string> = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

export async function openRepo(dir: string, baseRef: string | undefined, onGit: GitContext['onGit']): Promise<RepoState> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new InputError(`${dir}: no such directory`, { file: dir });

  const top = await runGit({ cwd: dir, onGit }, ['rev-parse', '--show-toplevel', '--show-object-format']).catch((e: unknown) => {
    throw explainOpenFailure(dir, e);
  });
  const [root, objectFormat] = top.stdout.toString('utf8').split('\n');
  const ctx: GitContext = { cwd: root, onGit };

  const [config, head, branch, baseCommit] = await Promise.all([
    runGit(ctx, ['config', '--list', '-z']),
    runGit(ctx, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { okCodes: [1] }),
    runGit(ctx, ['symbolic-ref', '-q', '--short', 'HEAD'], { okCodes: [1] }),
    baseRef === undefined ? undefined : resolveBaseRef(ctx, baseRef),
  ]);
  const headCommit = head.code === 0 ? head.stdout.toString('utf8').trim() : null;
  const state: RepoState = {
    root,
    headCommit,
    branch: headCommit && branch.code === 0 ? branch.stdout.toString('utf8').trim() : null,
    diffFrom: headCommit ?? EMPTY_TREE[objectFormat] ?? EMPTY_TREE.sha1,
    base: headCommit ? 'HEAD' : null,
    drivers: driverNamesFromConfig(config.stdout.toString('utf8')),
  };
  if (baseRef !== undefined && baseCommit !== undefined) {
    if (!headCommit) throw new InputError(`--base ${baseRef}: the repository has no commits yet, so there is no merge-base`, { field: '--base' });
    const mb = await runGit(ctx, ['merge-base', baseCommit, headCommit], { okCodes: [1] });
    if (mb.code !== 0) throw new InputError(`--base ${baseRef}: no common ancestor with HEAD (expected a ref the current branch grew from)`, { field: '--base' });
    state.diffFrom = mb.stdout.toString('utf8').trim();
    state.base = state.diffFrom;
  }
  return state;
}

/** Resolves the user's ref to a commit id; it never reaches git as anything but a revision. */
async function resolveBaseRef(ctx: GitContext, ref: string): Promise<string> {
  const unknown = new InputError(`--base ${ref}: unknown revision (expected a branch, tag or commit of this repository)`, { field: '--base' });
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref)) throw unknown;
  const r = await runGit(ctx, ['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`], { okCodes: [1, 128] });
  if (r.code !== 0) throw unknown;
  return r.stdout.toString('utf8').trim();
}

function explainOpenFailure(dir: string, e: unknown): unknown {
  if (!(e instanceof GitFailure)) return e;
  const msg = firstLine(e.stderr);
  if (/not a git repository/i.test(msg)) return new InputError(`${dir}: not a git repository (or any parent up to /)`, { file: dir });
  if (/must be run in a work tree/i.test(msg)) return new InputError(`${dir}: not inside a git working tree (a bare repository or a .git folder)`, { file: dir });
  if (/dubious ownership/i.test(msg)) {
    return new InputError(`${dir}: git refuses to read this repository because another user owns it (expected a repository you own, or one listed in safe.directory)`, { file: dir });
  }
  // A broken config file: git's message already names the file and line.
  if (/bad config|config file/i.test(msg)) return new InputError(`${dir}: ${msg.replace(/^fatal: /, '')}`, { file: dir });
  return e;
}
