import type { ChangedFile } from '../../change/types';

/**
 * The old version of a changed file, rebuilt from its new text and its diff: without context
 * lines, the unchanged lines are exactly the new lines that were not added, in order, and each
 * removed line sits at its old line number. These are the bytes git's object store holds for the
 * base version, with no further read. Undefined when the diff or the text is incomplete (a file
 * read in part, a cut line), or the file is new.
 */
export function oldText(file: ChangedFile): string | undefined {
  if (file.status === 'added' || file.status === 'untracked' || file.binary || file.submodule || file.note !== undefined) return undefined;
  if (file.removedLines.length !== file.linesDeleted || file.addedLines.length !== file.linesAdded) return undefined;
  if (file.status === 'deleted') return file.removedLines.map((l) => l.text).join('\n');
  if (file.content === undefined) return undefined;
  const now = file.content.split('\n');
  const added = new Uint8Array(now.length + 2);
  for (const l of file.addedLines) {
    if (l.line < 1 || l.line > now.length) return undefined;
    added[l.line] = 1;
  }
  const kept = now.filter((_, i) => !added[i + 1]);
  const old: (string | undefined)[] = new Array(kept.length + file.removedLines.length);
  for (const l of file.removedLines) {
    if (l.line < 1 || l.line > old.length || old[l.line - 1] !== undefined) return undefined;
    old[l.line - 1] = l.text;
  }
  let k = 0;
  for (let i = 0; i < old.length; i++) if (old[i] === undefined) old[i] = kept[k++];
  return k === kept.length ? old.join('\n') : undefined;
}
