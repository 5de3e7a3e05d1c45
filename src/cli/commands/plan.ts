import { forTerminal } from '../../core/display';
import { InputError, isInputError } from '../../core/errors';
import { buildPlan, checkTimeZone, formatPlan, machineTimeZone, parseIsoInZone, placedFindings, planToMarkdown, RolloutPlan } from '../../core/plan';
import { checkEngine, exportPlan, toYamlDocuments } from '../../core/plan/export';
import { loadPolicy } from '../../core/policy/load';
import { policyRootOf } from '../../core/policy/root';
import type { Policy } from '../../core/policy/schema';
import type { Assessment } from '../../core/risk/types';
import { isTier, TIERS } from '../../core/tier';
import { parseCommandArgs } from '../args';
import { paint, printJson } from '../output';
import { analyzeRepo } from './analyze';

export const PLAN_OPTIONS = {
  repo: { type: 'string' },
  tier: { type: 'string' },
  start: { type: 'string' },
  config: { type: 'string' },
  hotfix: { type: 'boolean' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  export: { type: 'string' },
  name: { type: 'string' },
  namespace: { type: 'string' },
} as const;

/** An assessment of a change of the given tier with no files: what `--tier` plans for. */
export function assessmentForTier(tier: string): Assessment {
  if (!isTier(tier)) throw new InputError(`plan: --tier: expected one of ${TIERS.join(', ')}, got "${tier}"`);
  return { tier, files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] };
}

/** Policy problems found while planning (a custom gate, a holiday…) name the policy file too. */
function inPolicyFile<T>(file: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (isInputError(e) && file && e.where?.field && !e.where.file) throw new InputError(`${file}: field "${e.where.field}": ${e.message}`, { ...e.where, file });
    throw e;
  }
}

export interface PlanCommandResult {
  plan: RolloutPlan;
  policy: Policy;
  /** The policy file read, if any (for messages that name a field of it). */
  file?: string;
  /** The change's findings, strongest first; undefined for `--tier`. */
  findings?: ReturnType<typeof placedFindings>;
}

/** Assessment (from the repository or `--tier`) + policy + start → plan; no printing. */
export async function planFromArgs(args: { repo?: string; tier?: string; start?: string; config?: string; hotfix?: boolean }): Promise<PlanCommandResult> {
  if (args.repo !== undefined && args.tier !== undefined) {
    throw new InputError('plan: --repo and --tier cannot be used together (expected one of them, or neither for --repo .)');
  }
  const fromTier = args.tier !== undefined ? assessmentForTier(args.tier) : undefined;
  // The same root git reports, so the plan reads the policy the analysis reads; `--config` needs none.
  const root = args.config === undefined ? await policyRootOf(args.repo ?? '.') : undefined;
  const { policy, file } = await loadPolicy({ configFile: args.config, repoRoot: root });
  const timezone = inPolicyFile(file, () => checkTimeZone(policy.timezone ?? machineTimeZone(), 'timezone'));
  const start = args.start !== undefined ? parseIsoInZone(args.start, timezone, 'start') : new Date();
  const assessment = fromTier ?? (await analyzeRepo({ repo: args.repo ?? '.', config: args.config }));
  const plan = inPolicyFile(file, () => buildPlan(assessment, policy, { start, timezone, securityHotfix: args.hotfix }));
  return { plan, policy, file, ...(fromTier ? {} : { findings: placedFindings(assessment) }) };
}

export async function runPlan(argv: string[]): Promise<number> {
  const args = parseCommandArgs('plan', argv, PLAN_OPTIONS);
  if (args.json && args.markdown) throw new InputError('plan: --json and --markdown cannot be used together (expected one output format)');
  if (args.export === undefined && (args.name !== undefined || args.namespace !== undefined)) {
    throw new InputError(`plan: ${args.name !== undefined ? '--name' : '--namespace'} needs --export (expected --export argo-rollouts or --export flagger)`);
  }
  if (args.export !== undefined && args.markdown) throw new InputError('plan: --export and --markdown cannot be used together (expected YAML, or JSON with --json)');
  if (args.export !== undefined) checkEngine(args.export); // before any git work
  const { plan, policy, findings } = await planFromArgs(args);
  if (args.export !== undefined) {
    const { objects, warnings, notes } = exportPlan(plan, args.export, { name: args.name, namespace: args.namespace, prometheus: policy.prometheus });
    for (const line of warnings) process.stderr.write(`warning: ${forTerminal(line)}\n`);
    if (args.json) printJson(objects);
    else process.stdout.write(toYamlDocuments(objects, notes));
    return 0;
  }
  if (args.json) printJson(plan);
  else if (args.markdown) process.stdout.write(planToMarkdown(plan, { findings }));
  else process.stdout.write(formatPlan(plan, paint, Math.min(process.stdout.columns || 80, 100)));
  return 0;
}
