/**
 * Builds ChangeSets straight from before/after file contents (a small line diff), and a RepoSearch over
 * the files of the working tree, so the classifier can be tested without git.
 */
import type { ChangedFile, ChangedLine, ChangeSet, FileStatus, LineRange, RepoSearch } from '../../../src/core/change/types';

function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}

/** Longest-common-subsequence line diff: what was added (new line numbers) and removed (old ones, with the new line each follows). */
export function diffLines(before: string, after: string): { added: ChangedLine[]; removed: ChangedLine[] } {
  const a = splitLines(before);
  const b = splitLines(after);
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const added: ChangedLine[] = [];
  const removed: ChangedLine[] = [];
  let i = 0;
  let j = 0;
  // The new line before the current run of changes: where git places the run's removed lines.
  let lastKept = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
      lastKept = j;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      added.push({ line: j + 1, text: b[j] });
      j++;
    } else {
      removed.push({ line: i + 1, text: a[i], after: lastKept });
      i++;
    }
  }
  return { added, removed };
}

function rangesOf(lines: ChangedLine[]): LineRange[] {
  const out: LineRange[] = [];
  for (const l of lines) {
    const last = out[out.length - 1];
    if (last && last.end === l.line - 1) last.end = l.line;
    else out.push({ start: l.line, end: l.line });
  }
  return out;
}

export type Contents = Record<string, string | Buffer>;

function isBinary(c: string | Buffer | undefined): boolean {
  return Buffer.isBuffer(c) && c.includes(0);
}

function text(c: string | Buffer | undefined): string {
  return c === undefined ? '' : Buffer.isBuffer(c) ? c.toString('utf8') : c;
}

export function changedFile(path: string, status: FileStatus, before: string | Buffer | undefined, after: string | Buffer | undefined, oldPath?: string): ChangedFile {
  const binary = isBinary(before) || isBinary(after);
  const { added, removed } = binary ? { added: [], removed: [] } : diffLines(text(before), text(after));
  return {
    path,
    ...(oldPath ? { oldPath } : {}),
    status,
    binary,
    submodule: false,
    linesAdded: added.length,
    linesDeleted: removed.length,
    ranges: rangesOf(added),
    addedLines: added,
    removedLines: removed,
    ...(after !== undefined && !binary ? { content: text(after) } : {}),
  };
}

/** The change from `before` (committed) to the working tree: `after` entries, `null` deleting, plus renames. */
export function changeSetOf(before: Contents, after: Record<string, string | Buffer | null>, renames: [string, string][] = []): ChangeSet {
  const files: ChangedFile[] = [];
  const renamedFrom = new Map(renames.map(([from, to]) => [to, from]));
  const renamedAway = new Set(renames.map(([from]) => from));
  for (const [to, from] of renamedFrom) {
    const content = to in after ? after[to] : before[from];
    files.push(changedFile(to, 'renamed', before[from], content ?? undefined, from));
  }
  for (const [path, content] of Object.entries(after)) {
    if (renamedFrom.has(path) || renamedAway.has(path)) continue;
    if (content === null) files.push(changedFile(path, 'deleted', before[path], undefined));
    else if (path in before) files.push(changedFile(path, 'modified', before[path], content));
    else files.push(changedFile(path, 'untracked', undefined, content));
  }
  return { root: '/repo', base: 'HEAD', headCommit: null, branch: 'main', files: files.sort((a, b) => a.path.localeCompare(b.path)) };
}

/** The working tree after the change: what the search reads. */
export function treeAfter(before: Contents, after: Record<string, string | Buffer | null>, renames: [string, string][] = []): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const [p, c] of Object.entries(before)) tree[p] = text(c);
  for (const [from, to] of renames) {
    tree[to] = tree[from];
    delete tree[from];
  }
  for (const [p, c] of Object.entries(after)) {
    if (c === null) delete tree[p];
    else tree[p] = text(c);
  }
  return tree;
}

/** Whole-word search over in-memory files; records the batches it was asked for. */
export function memorySearch(tree: Record<string, string>): RepoSearch & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async referencesTo(terms) {
      calls.push(terms);
      const out = new Map<string, string[]>();
      for (const t of terms) {
        const re = new RegExp(`(?<![\\w$])${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`);
        out.set(
          t,
          Object.entries(tree)
            .filter(([, c]) => re.test(c))
            .map(([p]) => p),
        );
      }
      return out;
    },
    async read(paths) {
      return new Map(paths.filter((p) => Object.hasOwn(tree, p)).map((p) => [p, tree[p]!]));
    },
  };
}
