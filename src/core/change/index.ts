import * as path from 'node:path';
import { DiffStreamParser, type DiffRecord } from './diff-parser';
import { mapLimit, readWorkingFile, splitLines } from './files';
import { allSettled, runGit, type GitContext } from './git';
import { rangesOf } from './ranges';
import { openRepo } from './repo';
import { createRepoSearch } from './search';
import type { ChangedFile, ChangeSet, FileStatus, RepoSearch } from './types';

export * from './types';

export interface ReadChangeOptions {
  /** Any folder inside the repository. */
  repo: string;
  /** Analyze everything since the merge-base of this ref and HEAD, plus the working tree. */
  base?: string;
  /** Called after each git command with its arguments and duration (for the extension's log). */
  onGit?: (args: string[], ms: number) => void;
  /** Bound on each git call in ms (default: ROLLOUT_LENS_GIT_TIMEOUT_MS, else two minutes). */
  timeoutMs?: number;
  /** Cancels the read: every git call still running is stopped with its children. */
  signal?: AbortSignal;
}

/**
 * The diff of the working tree (staged and unstaged together) against a commit or the empty tree.
 * The plumbing `diff-index`, because the porcelain `git diff` rewrites the index when it finds
 * files whose timestamps changed, whatever GIT_OPTIONAL_LOCKS says.
 */
export function diffArgs(from: string): string[] {
  return [
    'diff-index', '--raw', '-z', '-p', '-U0', '--inter-hunk-context=0', '--no-color', '--no-ext-diff', '--no-textconv',
    '--find-renames', '--ignore-submodules=dirty', '--submodule=short', '--src-prefix=a/', '--dst-prefix=b/', from, '--',
  ];
}

export const UNTRACKED_ARGS = ['ls-files', '--others', '--exclude-standard', '-z'];

/** Files read at once: enough to hide disk latency, few enough not to exhaust file handles. */
const READ_CONCURRENCY = 32;

/** Reads the change in the working tree. The only place in Rollout Lens that runs git. */
export async function readChange(opts: ReadChangeOptions): Promise<{ change: ChangeSet; search: RepoSearch }> {
  const repo = await openRepo(opts.repo, opts.base, { onGit: opts.onGit, timeoutMs: opts.timeoutMs, signal: opts.signal });
  const ctx: GitContext = {
    cwd: repo.root,
    drivers: repo.drivers,
    routes: repo.routes,
    onGit: opts.onGit,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    ...(repo.privateGitDir ? { privateGitDir: repo.privateGitDir } : {}),
  };

  // git diffs while the untracked files are listed and read.
  const parser = new DiffStreamParser();
  const tracked = runGit(ctx, diffArgs(repo.diffFrom), { onStdout: (chunk) => parser.push(chunk) }).then(() => changedFiles(repo.root, parser.end()));
  const untracked = runGit(ctx, UNTRACKED_ARGS).then((r) => untrackedFiles(repo.root, r.stdout.toString('utf8').split('\0').filter(Boolean)));
  const [a, b] = await allSettled([tracked, untracked] as const);

  const change: ChangeSet = {
    root: repo.root,
    base: repo.base,
    ...(opts.base !== undefined ? { baseRef: opts.base } : {}),
    headCommit: repo.headCommit,
    branch: repo.branch,
    files: [...a, ...b].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)),
  };
  return { change, search: createRepoSearch(ctx) };
}

const STATUS: Record<string, FileStatus> = { A: 'added', C: 'added', D: 'deleted', R: 'renamed', M: 'modified', T: 'modified', U: 'modified' };
const GITLINK = '160000';

async function changedFiles(root: string, records: DiffRecord[]): Promise<ChangedFile[]> {
  return mapLimit(records, READ_CONCURRENCY, async (r) => {
    const status = STATUS[r.status] ?? 'modified';
    const submodule = r.oldMode === GITLINK || r.newMode === GITLINK;
    const file: ChangedFile = {
      path: r.path,
      ...(r.oldPath !== undefined ? { oldPath: r.oldPath } : {}),
      status,
      binary: r.binary,
      submodule,
      linesAdded: 0,
      linesDeleted: 0,
      ranges: [],
      addedLines: [],
      removedLines: [],
    };
    if (submodule) return file;
    file.linesAdded = r.addedLines.length;
    file.linesDeleted = r.removedLines.length;
    if (r.binary || status === 'deleted') {
      if (!r.binary) file.removedLines = r.removedLines;
      return file;
    }
    const wt = await readWorkingFile(path.join(root, r.path));
    if (wt.kind === 'too-large' || wt.kind === 'binary') {
      // Listed like a binary file: counted, not loaded, no line detail.
      file.binary = true;
      return file;
    }
    file.addedLines = r.addedLines;
    file.removedLines = r.removedLines;
    file.ranges = rangesOf(r.addedLines);
    if (wt.kind === 'text') file.content = wt.content;
    return file;
  });
}

async function untrackedFiles(root: string, paths: string[]): Promise<ChangedFile[]> {
  return mapLimit(paths, READ_CONCURRENCY, async (p) => {
    const file: ChangedFile = {
      path: p.endsWith('/') ? p.slice(0, -1) : p,
      status: 'untracked',
      binary: false,
      // git lists a repository nested in the working tree as its folder, with a trailing slash.
      submodule: p.endsWith('/'),
      linesAdded: 0,
      linesDeleted: 0,
      ranges: [],
      addedLines: [],
      removedLines: [],
    };
    if (file.submodule) return file;
    const wt = await readWorkingFile(path.join(root, p));
    if (wt.kind !== 'text') {
      file.binary = wt.kind !== 'unreadable';
      return file;
    }
    const lines = splitLines(wt.content);
    file.content = wt.content;
    file.linesAdded = lines.length;
    file.addedLines = lines.map((text, i) => ({ line: i + 1, text }));
    file.ranges = lines.length ? [{ start: 1, end: lines.length }] : [];
    return file;
  });
}
