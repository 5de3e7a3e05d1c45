import * as path from 'node:path';
import { readChange } from '../../core/change';
import { loadPolicy } from '../../core/policy/load';
import { assess, Assessment } from '../../core/risk';
import { parseCommandArgs } from '../args';
import { fit, paint, printJson, tierColor } from '../output';

export const ANALYZE_OPTIONS = {
  repo: { type: 'string' },
  base: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** git → ChangeSet → Assessment, the first two arrows of the pipeline. */
export async function analyzeRepo(opts: { repo?: string; base?: string; config?: string }): Promise<Assessment> {
  const repo = path.resolve(opts.repo ?? '.');
  const { change, search } = await readChange({ repo, base: opts.base });
  const { policy } = await loadPolicy({ configFile: opts.config, repoRoot: change.root });
  return assess(change, policy, search);
}

export async function runAnalyze(argv: string[]): Promise<number> {
  const args = parseCommandArgs('analyze', argv, ANALYZE_OPTIONS);
  const assessment = await analyzeRepo(args);
  if (args.json) printJson(assessment);
  else process.stdout.write(formatAssessment(assessment));
  return 0;
}

/** The compact table a person reads in a terminal: the tier, then each file with its tier and first reasons. */
export function formatAssessment(a: Assessment, width = process.stdout.columns || 100): string {
  const out: string[] = [];
  const s = a.summary;
  out.push(
    `${paint('bold', 'Deployment risk:')} ${tierColor(a.tier)}  ${paint('dim', `${s.filesChanged} file${s.filesChanged === 1 ? '' : 's'} changed, +${s.linesAdded} −${s.linesDeleted}`)}`,
  );
  if (a.files.length === 0) {
    out.push('  No changes: nothing to deploy.');
    return out.join('\n') + '\n';
  }
  const pathWidth = Math.min(48, Math.max(12, ...a.files.map((f) => [...f.path].length)));
  const reasonWidth = Math.max(20, width - pathWidth - 22);
  const sorted = [...a.files].sort((x, y) => rank(y.tier) - rank(x.tier) || x.path.localeCompare(y.path));
  out.push('');
  for (const f of sorted) {
    const top = [...f.findings].sort((x, y) => rank(y.tier) - rank(x.tier))[0];
    const reason = top ? `${top.line > 0 ? `L${top.line} ` : ''}${top.message}` : '';
    out.push(`  ${tierColor(f.tier, fit(f.tier, 6))} ${fit(f.path, pathWidth)} ${paint('dim', fit(f.status, 9))} ${fit(reason, reasonWidth).trimEnd()}`);
    const more = f.findings.filter((x) => x !== top && x.tier === f.tier).slice(0, 2);
    for (const m of more) out.push(`  ${' '.repeat(6)} ${' '.repeat(pathWidth)} ${' '.repeat(9)} ${paint('dim', fit(`${m.line > 0 ? `L${m.line} ` : ''}${m.message}`, reasonWidth).trimEnd())}`);
  }
  if (a.flags.length) {
    out.push('', paint('bold', 'Behind feature flags (deployed OFF; the tier is the risk of turning each on):'));
    for (const fl of a.flags) out.push(`  ${tierColor(fl.tier, fit(fl.tier, 6))} ${fl.name}  ${paint('dim', fl.files.join(', '))}`);
  }
  return out.join('\n') + '\n';
}

function rank(t: string): number {
  return ['ZERO', 'LOW', 'MEDIUM', 'HIGH'].indexOf(t);
}
