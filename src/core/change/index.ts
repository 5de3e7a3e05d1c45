import { displayPath, joinPath, splitNul } from './bytes';
import { DiffStreamParser, type DiffRecord } from './diff-parser';
import { formatBytes } from '../files';
import { linkOrUnreadable, MAX_CONTENT_BYTES, MAX_LINE_BYTES, splitLines, workingFileOf, type Head, type WorkingFile } from './files';
import { eachHead } from './heads';
import { allSettled, runGit, type GitContext } from './git';
import { rangesOf } from './ranges';
import { openRepo } from './repo';
import { createRepoSearch, LIST_ARGS } from './search';
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
  /** 2 (the default): many files are read with a second thread (see ./heads); 1: on this thread only. */
  threads?: 1 | 2;
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

/** What was read of each file of the change, by name (bytes as latin1), so the search does not read it again. */
export type HeadCache = Map<string, Head | null>;

/**
 * How later reads of the same repository run git: its top level and the overrides the read found
 * (drivers switched off, config routes pointed at /dev/null, a private copy of a split index).
 * Plain data, so a surface can keep it with the analysis; the bound, cancellation and log are the caller's.
 */
export type RepoGit = Pick<GitContext, 'cwd' | 'drivers' | 'routes' | 'privateGitDir'>;

/** Reads the change in the working tree. The only place in Rollout Lens that runs git. */
export async function readChange(opts: ReadChangeOptions): Promise<{ change: ChangeSet; search: RepoSearch; git: RepoGit }> {
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

  // git diffs while the untracked files are listed and read, and lists what the reference search reads.
  const parser = new DiffStreamParser();
  const heads: HeadCache = new Map();
  const reading: Reading = { root: repo.root, heads, threads: opts.threads ?? 2 };
  const tracked = runGit(ctx, diffArgs(repo.diffFrom), { onStdout: (chunk) => parser.push(chunk) }).then(() => changedFiles(reading, parser.end()));
  // Names stay bytes until shown: a name that is not UTF-8 must still open its file.
  const untracked = runGit(ctx, UNTRACKED_ARGS).then((r) => untrackedFiles(reading, splitNul(r.stdout)));
  const listed = runGit(ctx, LIST_ARGS);
  const [a, b, listing] = await allSettled([tracked, untracked, listed] as const);

  const change: ChangeSet = {
    root: repo.root,
    base: repo.base,
    ...(opts.base !== undefined ? { baseRef: opts.base } : {}),
    headCommit: repo.headCommit,
    branch: repo.branch,
    files: [...a, ...b].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)),
  };
  const git: RepoGit = { cwd: repo.root, drivers: repo.drivers, routes: repo.routes, ...(repo.privateGitDir ? { privateGitDir: repo.privateGitDir } : {}) };
  return { change, search: createRepoSearch(ctx, { known: heads, listing }), git };
}

const STATUS: Record<string, FileStatus> = { A: 'added', C: 'added', D: 'deleted', R: 'renamed', M: 'modified', T: 'modified', U: 'modified' };
const GITLINK = '160000';

/** Why only part of a file was read, in the words the file's entry shows. */
function partNote(size: number, whole: boolean): string {
  const what = whole ? 'its first' : 'its changed lines and its first';
  return `${formatBytes(size)}, over the ${formatBytes(MAX_CONTENT_BYTES)} read per file: judged by ${what} ${formatBytes(MAX_CONTENT_BYTES)}`;
}

/** The text read as lines, all counted as added: a new file, or one whose diff has no lines to show. */
function wholeFileAdded(file: ChangedFile, wt: Extract<WorkingFile, { kind: 'text' }>): void {
  if (wt.size !== undefined) file.note = partNote(wt.size, true);
  const lines = splitLines(wt.content);
  file.content = wt.content;
  file.linesAdded = lines.length;
  file.addedLines = lines.map((text, i) => ({ line: i + 1, text }));
  file.ranges = lines.length ? [{ start: 1, end: lines.length }] : [];
}

/** Where the files of the change are read, what was read of them, and on how many threads. */
interface Reading {
  root: string;
  heads: HeadCache;
  threads: 1 | 2;
}

/** Reads each of `names` and passes it on as what it is, remembered for the reference search. */
function readEach(reading: Reading, names: Buffer[], fn: (wt: WorkingFile, index: number) => void): Promise<void[]> {
  return eachHead(reading.root, names, MAX_CONTENT_BYTES, reading.threads, (name, head, i) => {
    const wt = head ? workingFileOf(head) : linkOrUnreadable(joinPath(reading.root, name));
    reading.heads.set(name.toString('latin1'), wt.head ?? null);
    fn(wt, i);
  });
}

async function changedFiles(reading: Reading, records: DiffRecord[]): Promise<ChangedFile[]> {
  const files = records.map((r): ChangedFile => {
    const status = STATUS[r.status] ?? 'modified';
    const submodule = r.oldMode === GITLINK || r.newMode === GITLINK;
    const file: ChangedFile = {
      path: r.path,
      pathBytes: r.pathBytes,
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
    if (status === 'deleted' && !r.binary) file.removedLines = r.removedLines;
    return file;
  });
  // Only the new version of a file still there is read.
  const read = records.map((_, i) => i).filter((i) => !files[i].submodule && files[i].status !== 'deleted');
  await readEach(reading, read.map((i) => records[i].pathBytes), (wt, k) => withContent(files[read[k]], records[read[k]], wt));
  return files;
}

/** Fills in what the working tree's version of a changed file shows. */
function withContent(file: ChangedFile, r: DiffRecord, wt: WorkingFile): void {
  if (wt.kind === 'binary') {
    // Listed as binary: counted, not loaded, no line detail.
    file.binary = true;
    return;
  }
  if (r.binary) {
    // git showed no lines (an attribute, or its size), yet the content is text: judged as a whole.
    if (wt.kind === 'text') {
      file.binary = false;
      wholeFileAdded(file, wt);
    }
    return;
  }
  file.addedLines = r.addedLines;
  file.removedLines = r.removedLines;
  file.ranges = rangesOf(r.addedLines);
  const notes: string[] = [];
  if (wt.kind === 'text') {
    // Content cut short has no line for changed lines beyond it: those are judged by their own text.
    if (!wt.lineCut) file.content = wt.content;
    if (wt.size !== undefined && !wt.lineCut) notes.push(partNote(wt.size, false));
  }
  if (r.cutLines) notes.push(`${r.cutLines} changed line${r.cutLines === 1 ? '' : 's'} over ${formatBytes(MAX_LINE_BYTES)}, judged by ${r.cutLines === 1 ? 'its' : 'their'} first ${formatBytes(MAX_LINE_BYTES)}`);
  if (notes.length) file.note = notes.join('; ');
}

async function untrackedFiles(reading: Reading, names: Buffer[]): Promise<ChangedFile[]> {
  const files = names.map((bytes): ChangedFile => {
    // git lists a repository nested in the working tree as its folder, with a trailing slash.
    const nested = bytes[bytes.length - 1] === 0x2f;
    const own = nested ? bytes.subarray(0, -1) : bytes;
    return {
      path: displayPath(own),
      pathBytes: own,
      status: 'untracked',
      binary: false,
      submodule: nested,
      linesAdded: 0,
      linesDeleted: 0,
      ranges: [],
      addedLines: [],
      removedLines: [],
    };
  });
  const read = files.filter((f) => !f.submodule);
  await readEach(reading, read.map((f) => f.pathBytes!), (wt, i) => {
    const file = read[i];
    if (wt.kind !== 'text') {
      file.binary = wt.kind !== 'unreadable';
      return;
    }
    wholeFileAdded(file, wt);
  });
  return files;
}
