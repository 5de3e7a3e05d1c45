/**
 * Code moved from one file of the change to another, unchanged: a refactor that splits a class or
 * a module shows as lines removed from one file and the same lines added to another. Those lines
 * do what they did before; only where they live changes. Judging them as new would make every
 * such refactor of authentication or payment code HIGH. A run of lines counts as moved when at
 * least MIN_LINES consecutive non-blank added lines of one file (MIN_CHARS characters in all) equal,
 * indentation and spacing aside, consecutive removed lines of another file; what the change does around them (the
 * imports, the new class header, a line edited inside the block) is judged as usual.
 *
 * Moves inside one file are left to the line judge, which reads them as a whole (code moved into a
 * new flag's branch is rated as the code the flag turns off).
 */
import type { ChangedFile, ChangedLine } from '../change/types';

/** The lines of one file that belong to a move, by line number, and the files on the other side. */
export interface MovedLines {
  /** Added lines (new version) that came unchanged from another file. */
  added: Set<number>;
  /** Removed lines (old version) that went unchanged to another file. */
  removed: Set<number>;
  /** The files the moved lines came from (for added lines). */
  from: Set<string>;
  /** The files the moved lines went to (for removed lines). */
  to: Set<string>;
}

/** A shorter run of equal lines is likely a coincidence (`}`, `return null;`, a blank `else`). */
export const MIN_LINES = 3;
/** Of which at least this many must carry some content of their own, */
const MIN_STRONG = 2;
/** and together this many characters (indentation and spacing aside): a few generic lines are no move. */
const MIN_CHARS = 80;
/** A line that can start a run: long enough not to be a closing brace or a lone keyword. */
const STRONG = /\w.{6,}/;
/** Candidates looked at per line: a line repeated all over the change (`import x from 'y'`) is not followed everywhere. */
const MAX_CANDIDATES = 16;

interface Entry {
  line: number;
  key: string;
}

const keyOf = (text: string) => text.trim().replace(/\s+/g, ' ');

function significant(lines: readonly ChangedLine[]): Entry[] {
  const out: Entry[] = [];
  for (const l of lines) {
    const key = keyOf(l.text);
    if (key) out.push({ line: l.line, key });
  }
  return out;
}

/** Every cross-file move of the change, per file path; files with none are absent. */
export function movedLines(files: readonly ChangedFile[]): Map<string, MovedLines> {
  const result = new Map<string, MovedLines>();
  const withRemoved = files.filter((f) => !f.binary && !f.submodule && f.removedLines.length >= MIN_LINES);
  if (withRemoved.length === 0) return result;
  const removed = withRemoved.map((f) => ({ file: f, lines: significant(f.removedLines), used: new Uint8Array(f.removedLines.length) }));
  const index = new Map<string, { r: number; j: number }[]>();
  removed.forEach((side, r) =>
    side.lines.forEach((e, j) => {
      if (!STRONG.test(e.key)) return;
      const at = index.get(e.key);
      if (!at) index.set(e.key, [{ r, j }]);
      else if (at.length < MAX_CANDIDATES) at.push({ r, j });
    }),
  );
  const entry = (path: string): MovedLines => {
    let m = result.get(path);
    if (!m) result.set(path, (m = { added: new Set(), removed: new Set(), from: new Set(), to: new Set() }));
    return m;
  };
  for (const file of files) {
    if (file.binary || file.submodule || file.addedLines.length < MIN_LINES) continue;
    const added = significant(file.addedLines);
    for (let i = 0; i < added.length; ) {
      let best: { r: number; j: number; length: number } | undefined;
      for (const c of index.get(added[i].key) ?? []) {
        const side = removed[c.r];
        if (side.file === file || side.used[c.j]) continue;
        let k = 0;
        while (i + k < added.length && c.j + k < side.lines.length && !side.used[c.j + k] && added[i + k].key === side.lines[c.j + k].key) k++;
        if (!best || k > best.length) best = { r: c.r, j: c.j, length: k };
      }
      const run = best ? added.slice(i, i + best.length) : [];
      const strong = run.filter((e) => STRONG.test(e.key)).length;
      const chars = run.reduce((n, e) => n + e.key.length, 0);
      if (!best || best.length < MIN_LINES || strong < MIN_STRONG || chars < MIN_CHARS) {
        i++;
        continue;
      }
      const side = removed[best.r];
      const here = entry(file.path);
      const there = entry(side.file.path);
      for (let k = 0; k < best.length; k++) {
        here.added.add(added[i + k].line);
        there.removed.add(side.lines[best.j + k].line);
        side.used[best.j + k] = 1;
      }
      here.from.add(side.file.path);
      there.to.add(file.path);
      i += best.length;
    }
  }
  return result;
}

/** The file without its moved lines: what the change does besides moving them. */
export function withoutMoved(file: ChangedFile, moved: MovedLines): ChangedFile {
  return {
    ...file,
    addedLines: moved.added.size ? file.addedLines.filter((l) => !moved.added.has(l.line)) : file.addedLines,
    removedLines: moved.removed.size ? file.removedLines.filter((l) => !moved.removed.has(l.line)) : file.removedLines,
  };
}
