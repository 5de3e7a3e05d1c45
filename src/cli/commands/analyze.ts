import { formatBytes } from '../../core/files';
import { forTerminal, mapStrings } from '../../core/display';
import { wrap } from '../../core/plan/format';
import { analyzeRepo } from '../../core/pipeline';
import type { Assessment } from '../../core/risk';
import { tierRank } from '../../core/tier';
import { parseCommandArgs } from '../args';
import { fit, paint, printJson, tierColor } from '../output';

export const ANALYZE_OPTIONS = {
  repo: { type: 'string' },
  base: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function runAnalyze(argv: string[]): Promise<number> {
  const args = parseCommandArgs('analyze', argv, ANALYZE_OPTIONS);
  const { assessment } = await analyzeRepo({ repo: args.repo ?? '.', base: args.base, config: args.config });
  if (args.json) printJson(assessment);
  else process.stdout.write(formatAssessment(assessment));
  return 0;
}

/**
 * The compact table a person reads in a terminal: the tier, then each file with its tier and
 * first reasons. Reasons go on their own indented lines so nothing is cut in 80 columns.
 */
export function formatAssessment(assessment: Assessment, width = process.stdout.columns || 100): string {
  // Paths and flag names come from the repository: no control character of theirs reaches the terminal.
  const a = mapStrings(assessment, forTerminal);
  const out: string[] = [];
  const s = a.summary;
  out.push(
    `${paint('bold', 'Deployment risk:')} ${tierColor(a.tier)}  ${paint('dim', `${s.filesChanged} file${s.filesChanged === 1 ? '' : 's'} changed, +${s.linesAdded} −${s.linesDeleted}`)}`,
  );
  if (a.files.length === 0) {
    out.push('  No changes: nothing to deploy.');
    return out.join('\n') + '\n';
  }
  const indent = ' '.repeat(9);
  const sorted = [...a.files].sort((x, y) => tierRank(y.tier) - tierRank(x.tier) || x.path.localeCompare(y.path));
  out.push('');
  for (const f of sorted) {
    const label = f.oldPath ? `${f.oldPath} → ${f.path}` : f.path;
    out.push(`  ${tierColor(f.tier, fit(f.tier, 6))} ${label}  ${paint('dim', f.status)}`);
    // Findings inside an OFF flag are the risk of turning it on: they are listed under the flags below.
    const reasons = f.findings.filter((r) => !r.flag).sort((x, y) => tierRank(y.tier) - tierRank(x.tier) || x.line - y.line);
    const shown = reasons.slice(0, MAX_REASONS);
    for (const r of shown) {
      const where = r.line > 0 ? `L${r.line} ` : '';
      for (const line of wrap(`${where}${r.message}`, Math.max(30, width - indent.length - 1), 2)) out.push(paint('dim', indent + line));
    }
    if (reasons.length > shown.length) out.push(paint('dim', `${indent}… ${reasons.length - shown.length} more (--json lists all)`));
    if (f.note) for (const line of wrap(`read in part: ${f.note}`, Math.max(30, width - indent.length - 1), 2)) out.push(paint('dim', indent + line));
  }
  const partly = a.partlySearched ?? [];
  if (partly.length) {
    out.push('', paint('dim', `Searched for references in part only (larger than what is read per file; a reference further in is not seen):`));
    for (const p of partly.slice(0, MAX_REASONS)) out.push(paint('dim', `  ${p.path} (${formatBytes(p.size)}, first ${formatBytes(p.searchedBytes)} searched)`));
    if (partly.length > MAX_REASONS) out.push(paint('dim', `  … ${partly.length - MAX_REASONS} more (--json lists all)`));
  }
  if (a.flags.length) {
    out.push('', paint('bold', 'Behind feature flags (deployed OFF; the tier is the risk of turning each on):'));
    for (const fl of a.flags) {
      out.push(`  ${tierColor(fl.tier, fit(fl.tier, 6))} ${fl.name}`);
      const inside = a.files.flatMap((f) => f.findings.filter((r) => r.flag === fl.name).map((r) => ({ file: f.path, r })));
      inside.sort((x, y) => tierRank(y.r.tier) - tierRank(x.r.tier) || x.file.localeCompare(y.file) || x.r.line - y.r.line);
      for (const { file, r } of inside.slice(0, MAX_REASONS)) {
        for (const line of wrap(`${file}:${r.line} ${r.message}`, Math.max(30, width - indent.length - 1), 2)) out.push(paint('dim', indent + line));
      }
      if (inside.length > MAX_REASONS) out.push(paint('dim', `${indent}… ${inside.length - MAX_REASONS} more (--json lists all)`));
    }
  }
  return out.join('\n') + '\n';
}

const MAX_REASONS = 3;


