/**
 * Where the stage-start labels go above a chart. Stages often start close together (a 0-minute
 * stage and the next share a minute; a 1 h canary starts at 2 % of a 49 h plan), so labels are
 * staggered over a few rows; a label that fits on no row is shortened to its stage numbers, and
 * one that still fits nowhere is left out (the stage key above the charts names every stage).
 * Pure: takes a text measurer, so the same layout serves any canvas.
 */
export interface StageMark {
  /** x of the stage's dotted line, in canvas pixels. */
  px: number;
  /** e.g. "1, 2 Integration" */
  full: string;
  /** e.g. "1, 2" */
  short: string;
}

export interface PlacedLabel {
  text: string;
  x: number;
  row: number;
  width: number;
  /** x of the line it names. */
  px: number;
}

export interface LabelArea {
  left: number;
  right: number;
  rows: number;
  /** Free space kept between two labels on one row. */
  gap?: number;
  /** Space between a line and the start of its label. */
  offset?: number;
}

export function placeStageLabels(marks: StageMark[], measure: (text: string) => number, area: LabelArea): PlacedLabel[] {
  const gap = area.gap ?? 6;
  const offset = area.offset ?? 3;
  const rowEnds: number[] = Array.from({ length: area.rows }, () => -Infinity);
  const placed: PlacedLabel[] = [];
  for (const m of [...marks].sort((a, b) => a.px - b.px)) {
    if (m.px < area.left - 0.5 || m.px > area.right + 0.5) continue;
    for (const text of m.full === m.short ? [m.full] : [m.full, m.short]) {
      const width = measure(text);
      // Right of its line; at the right edge, ending at the edge instead of running past it.
      const x = Math.max(area.left, Math.min(m.px + offset, area.right - width));
      const row = rowEnds.findIndex((end) => x >= end + gap);
      if (row === -1) continue;
      rowEnds[row] = x + width;
      placed.push({ text, x, row, width, px: m.px });
      break;
    }
  }
  return placed;
}
