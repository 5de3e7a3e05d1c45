import type { Source } from './source';

/**
 * Spans of the `down` step of a JavaScript/TypeScript migration (`exports.down = …`,
 * `down: async () => {…}`, `async down(queryRunner) {…}`, `export async function down…`):
 * what a rollback runs, not what this deploy runs.
 */
export function downSteps(src: Source): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of src.code.matchAll(/\b(?:exports|module\.exports)\.down\s*=|\bdown\s*:|\b(?:async\s+)?down\s*\(|\bfunction\s+down\s*\(/g)) {
    const open = src.code.indexOf('{', m.index);
    if (open < 0) continue;
    spans.push([m.index, src.closing(open) + 1]);
  }
  return spans;
}
