/**
 * Where a finding shows in the working tree. Free of the risk rules' code and types, so the editor's
 * light bundle, the planner and the view share it.
 */

/**
 * The line of the new version a finding is at: its own line, or for removed lines the line that
 * now follows them (the deletion point), so nothing points at an unrelated line.
 */
export function shownLine(f: { line: number; side?: 'removed'; after?: number }): number {
  return f.side === 'removed' && f.after !== undefined ? f.after + 1 : f.line;
}
