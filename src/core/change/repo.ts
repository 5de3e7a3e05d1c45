/**
 * Finds the repository around a folder and what the change is compared against:
 * HEAD, the merge-base with a `--base` ref, or the empty tree before the first commit.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../errors';
import { allSettled, firstLine, GitFailure, runGit, type GitContext, type PrivateGitDir } from './git';
import {
  checkDriverBudget,
  driverNamesFromConfig,
  fileKind,
  findGitDir,
  firstStalling,
  repositoryFiles,
  routeOverrides,
  type DriverNames,
  type Override,
} from './safety';

export interface RepoState {
  root: string;
  headCommit: string | null;
  branch: string | null;
  /** What `git diff` compares the working tree with: a commit id or the empty tree. */
  diffFrom: string;
  /** ChangeSet.base: 'HEAD', the merge-base commit, or null before the first commit. */
  base: string | null;
  drivers: DriverNames;
  /** Config routes pointed at /dev/null for every later call. */
  routes: Override[];
  /** Set for a split index: later calls read a private copy of it. */
  privateGitDir?: PrivateGitDir;
}

export interface OpenOptions {
  onGit?: GitContext['onGit'];
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The empty tree is built into git, so diffing against it needs no object in the repository. */
const EMPTY_TREE: Record<string, string> = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

/** The working tree's top level and the object format, as git reports them for `ctx.cwd`. */
export async function topLevel(ctx: GitContext): Promise<{ root: string; objectFormat: string }> {
  const out = (await runGit(ctx, ['rev-parse', '--show-object-format', '--show-toplevel'])).stdout.toString('utf8');
  // The format comes first: the path may hold newlines, and only its final one is git's.
  const nl = out.indexOf('\n');
  return { objectFormat: out.slice(0, nl), root: out.slice(nl + 1).replace(/\n$/, '') };
}

export async function openRepo(dir: string, baseRef: string | undefined, options: OpenOptions | GitContext['onGit'] = {}): Promise<RepoState> {
  const { onGit, timeoutMs, signal } = typeof options === 'function' ? { onGit: options, timeoutMs: undefined, signal: undefined } : options;
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new InputError(`${dir}: no such directory`, { file: dir });

  // A FIFO or device among the repository's own files would stall the very first git call.
  const found = await findGitDir(dir);
  if (found) await refuseStalling(await repositoryFiles(found.gitDir, found.commonDir));

  const base: GitContext = { cwd: dir, onGit, timeoutMs, signal };
  const { root, objectFormat } = await topLevel(base).catch((e: unknown) => {
    throw explainOpenFailure(dir, e);
  });
  if (!isInside(await realpath(dir), root)) {
    throw new InputError(`${dir}: the repository's core.worktree points at ${root}, which does not contain this folder (expected a working tree around ${dir})`, { file: dir });
  }
  const ctx: GitContext = { ...base, cwd: root };

  const [config, gitDirOut, head, headName, branch, baseCommit] = await allSettled([
    runGit(ctx, ['config', '--list', '-z']),
    runGit(ctx, ['rev-parse', '--absolute-git-dir']),
    runGit(ctx, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { okCodes: [1] }),
    runGit(ctx, ['rev-parse', '-q', '--verify', 'HEAD'], { okCodes: [1] }),
    runGit(ctx, ['symbolic-ref', '-q', '--short', 'HEAD'], { okCodes: [1] }),
    baseRef === undefined ? Promise.resolve(undefined) : resolveBaseRef(ctx, baseRef),
  ] as const);
  const gitDir = gitDirOut.stdout.toString('utf8').replace(/\n$/, '');
  const headCommit = head.code === 0 ? head.stdout.toString('utf8').trim() : null;
  if (!headCommit && headName.code === 0) {
    // HEAD names an object, but not a commit git has: a broken repository, not one without commits.
    const named = headName.stdout.toString('utf8').trim();
    const via = branch.code === 0 ? `branch ${branch.stdout.toString('utf8').trim()}` : 'a detached HEAD';
    const file = path.join(gitDir, 'HEAD');
    throw new InputError(`${file}: HEAD (${via}) names ${named}, which is not a commit in this repository (expected an existing commit, or a branch with no commits yet)`, { file });
  }
  const configText = config.stdout.toString('utf8');
  const drivers = driverNamesFromConfig(configText);
  checkDriverBudget(drivers, `${root}: git config`);
  await refuseBadIndex(path.join(gitDir, 'index'), objectFormat);
  const state: RepoState = {
    root,
    headCommit,
    branch: headCommit && branch.code === 0 ? branch.stdout.toString('utf8').trim() : null,
    diffFrom: headCommit ?? EMPTY_TREE[objectFormat] ?? EMPTY_TREE.sha1,
    base: headCommit ? 'HEAD' : null,
    drivers,
    routes: await routeOverrides(configText, root),
  };
  const privateGitDir = await splitIndexCopy(gitDir);
  if (privateGitDir) state.privateGitDir = privateGitDir;
  if (baseRef !== undefined && baseCommit !== undefined) {
    if (!headCommit) throw new InputError(`no merge-base with "${baseRef}": the repository has no commits yet`, { field: 'base' });
    const mb = await runGit(ctx, ['merge-base', baseCommit, headCommit], { okCodes: [1] });
    if (mb.code !== 0) throw new InputError(`"${baseRef}" has no common ancestor with HEAD (expected a ref the current branch grew from)`, { field: 'base' });
    state.diffFrom = mb.stdout.toString('utf8').trim();
    state.base = state.diffFrom;
  }
  return state;
}

/**
 * A split index (core.splitIndex) keeps most entries in .git/sharedindex.<id>, which git
 * freshens on every read: such repositories are read through a private copy of the files
 * that hold the index and HEAD (every shared file is copied; git expires old ones itself).
 */
async function splitIndexCopy(gitDir: string): Promise<PrivateGitDir | undefined> {
  const names = await readdir(gitDir).catch(() => [] as string[]);
  const shared = names.filter((n) => n.startsWith('sharedindex.'));
  if (!shared.length) return undefined;
  const common = await readFile(path.join(gitDir, 'commondir'), 'utf8').then(
    (t) => path.resolve(gitDir, t.trim()),
    () => gitDir,
  );
  const files = ['HEAD', 'index', ...shared, ...names.filter((n) => n === 'config.worktree')];
  return { gitDir, commonDir: common, files: files.filter((f) => names.includes(f)) };
}

function isInside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

async function refuseStalling(files: string[]): Promise<void> {
  const bad = await firstStalling(files);
  if (bad) throw new InputError(`${bad.file}: a ${bad.kind} where git reads a file (expected a regular file)`, { file: bad.file });
}

/**
 * git does not verify its index when it reads it, so a damaged one reads as a plausible but
 * wrong list of files (everything deleted, entries named "./"). Its header and checksum are.
 */
export async function indexProblem(file: string, objectFormat: string): Promise<string | undefined> {
  const kind = await fileKind(file);
  if (kind === 'missing') return undefined;
  if (kind !== 'file') return `a ${kind} where git keeps its index (expected a regular file)`;
  const hashLen = objectFormat === 'sha256' ? 32 : 20;
  const hash = createHash(objectFormat === 'sha256' ? 'sha256' : 'sha1');
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    if (head.length < 12) head = Buffer.concat([head, chunk.subarray(0, 12 - head.length)]);
    const joined = tail.length ? Buffer.concat([tail, chunk]) : chunk;
    const keep = Math.min(hashLen, joined.length);
    hash.update(joined.subarray(0, joined.length - keep));
    tail = Buffer.from(joined.subarray(joined.length - keep));
  }
  const expected = 'expected the index git wrote';
  if (head.length < 12 || tail.length < hashLen) return `too short to be a git index (${expected})`;
  if (head.toString('latin1', 0, 4) !== 'DIRC') return `not a git index: it does not start with DIRC (${expected})`;
  const version = head.readUInt32BE(4);
  if (version < 2 || version > 4) return `git index version ${version} is unknown (${expected}, version 2, 3 or 4)`;
  // An all-zero checksum is git's index.skipHash: written without one on purpose.
  if (!tail.equals(hash.digest()) && tail.some((b) => b !== 0)) return `the git index is damaged: its checksum does not match its content (${expected})`;
  return undefined;
}

async function refuseBadIndex(file: string, objectFormat: string): Promise<void> {
  const problem = await indexProblem(file, objectFormat);
  if (problem) throw new InputError(`${file}: ${problem}`, { file });
}

/** Resolves the user's ref to a commit id; it never reaches git as anything but a revision. */
async function resolveBaseRef(ctx: GitContext, ref: string): Promise<string> {
  const unknown = new InputError(`unknown revision "${ref}" (expected a branch, tag or commit of this repository)`, { field: 'base' });
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref)) throw unknown;
  // Ranges, negations and parent sets name several commits (or none); a base is one commit.
  if (/^\^|\.\.|\^[!@]$|\^-\d*$/.test(ref)) {
    throw new InputError(`"${ref}" is a range or set of commits, not a single commit (expected a branch, tag or commit of this repository)`, { field: 'base' });
  }
  const r = await runGit(ctx, ['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`], { okCodes: [1, 128] });
  const id = r.stdout.toString('utf8').trim();
  if (r.code !== 0 || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(id)) throw unknown;
  return id;
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
