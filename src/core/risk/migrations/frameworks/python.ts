import type { Source } from './source';

/** Span of each top-level `def name(` body: from the def to the next line indented no deeper. */
export function pythonFunctions(src: Source, name: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of src.code.matchAll(new RegExp(`^([ \\t]*)(?:async\\s+)?def\\s+${name}\\s*\\(`, 'gm'))) {
    const indent = m[1]!.length;
    const lines = src.code.slice(m.index).split('\n');
    let offset = m.index + lines[0]!.length + 1;
    for (const line of lines.slice(1)) {
      if (line.trim() && line.length - line.trimStart().length <= indent) break;
      offset += line.length + 1;
    }
    spans.push([m.index, Math.min(offset, src.code.length)]);
  }
  return spans;
}
