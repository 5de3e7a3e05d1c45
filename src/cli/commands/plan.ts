import { forTerminal } from '../../core/display';
import { InputError } from '../../core/errors';
import { formatPlan, planToMarkdown } from '../../core/plan';
import { checkEngine, exportPlan, toYamlDocuments } from '../../core/plan/export';
import { planChange, type PlannedChange } from '../../core/pipeline';
import { parseCommandArgs } from '../args';
import { paint, printJson } from '../output';

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

/** Assessment (from the repository or `--tier`) + policy + start → plan; no printing. */
export async function planFromArgs(args: { repo?: string; tier?: string; start?: string; config?: string; hotfix?: boolean }): Promise<PlannedChange> {
  if (args.repo !== undefined && args.tier !== undefined) {
    throw new InputError('plan: --repo and --tier cannot be used together (expected one of them, or neither for --repo .)');
  }
  return planChange({ repo: args.repo, tier: args.tier, config: args.config, start: args.start, securityHotfix: args.hotfix });
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
    const { objects, warnings, notes } = exportPlan(plan, args.export, { name: args.name, namespace: args.namespace, prometheus: policy.policy.prometheus });
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
