/**
 * Where a finding shows in the working tree. Free of the risk rules' code, so the editor's light
 * bundle and the planner share it.
 */
import type { Finding } from './risk/types';

/**
 * The line of the new version a finding is at: its own line, or for removed lines the line that
 * now follows them (the deletion point), so nothing points at an unrelated line.
 */
export function shownLine(f: Pick<Finding, 'line' | 'side' | 'after'>): number {
  return f.side === 'removed' && f.after !== undefined ? f.after + 1 : f.line;
}
