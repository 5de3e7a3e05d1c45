import type { ChangedLine, LineRange } from './types';

/** Inclusive ranges covering the given added lines; consecutive line numbers form one range. */
export function rangesOf(lines: readonly ChangedLine[]): LineRange[] {
  const ranges: LineRange[] = [];
  let last: LineRange | undefined;
  for (const { line } of lines) {
    if (last && line === last.end + 1) last.end = line;
    else if (!last || line > last.end) ranges.push((last = { start: line, end: line }));
  }
  return ranges;
}
