import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { readChange } from '../../core/change';
import { forTerminal } from '../../core/display';
import { isInputError } from '../../core/errors';
import { buildPlan, checkTimeZone, formatPlan, machineTimeZone } from '../../core/plan';
import { loadPolicy } from '../../core/policy/load';
import { assess } from '../../core/risk';
import { simulateScenario } from '../../core/sim';
import { formatSimulation } from '../../core/sim/text';
import { parseCommandArgs } from '../args';
import { createExampleRepo } from '../example';
import { paint } from '../output';
import { formatAssessment } from './analyze';

/** The scenario `npm start` replays: a regression the plan should catch, so the replay shows a decision. */
export const DEMO_SCENARIO = 'error-spike';

/**
 * `npm start`: the whole pipeline on the repository it is run in — or, when that has no change
 * (or is not a git repository), on a bundled example change — printed for a person.
 */
export async function runDemo(argv: string[]): Promise<number> {
  const args = parseCommandArgs('demo', argv, { repo: { type: 'string' }, seed: { type: 'string' } });
  const here = path.resolve(args.repo ?? '.');
  let repo = here;
  let example: string | undefined;
  let intro: string;
  try {
    const { change } = await readChange({ repo: here });
    if (change.files.length === 0) throw new Error('clean');
    intro = `Analyzing the change in ${change.root}`;
  } catch (e) {
    if (!isInputError(e) && (e as Error).message !== 'clean') throw e;
    example = createExampleRepo();
    repo = example;
    intro = isInputError(e)
      ? `${here} is not a git repository: analyzing the bundled example change instead`
      : `No uncommitted change in ${here}: analyzing the bundled example change instead`;
  }
  try {
    const width = Math.min(process.stdout.columns || 80, 100);
    process.stdout.write(paint('dim', forTerminal(intro)) + '\n\n');
    const { change, search } = await readChange({ repo });
    const { policy } = await loadPolicy({ repoRoot: change.root });
    const assessment = await assess(change, policy, search);
    process.stdout.write(formatAssessment(assessment, width));

    const timezone = checkTimeZone(policy.timezone ?? machineTimeZone(), 'timezone');
    const plan = buildPlan(assessment, policy, { start: new Date(), timezone });
    process.stdout.write('\n' + formatPlan(plan, paint, width));

    const seed = args.seed !== undefined ? Number(args.seed) || 1 : 1;
    const result = simulateScenario(plan, DEMO_SCENARIO, seed);
    process.stdout.write(`\n${paint('bold', `What if the change is bad? Replaying the "${DEMO_SCENARIO}" scenario (seed ${seed}) through the plan:`)}\n`);
    process.stdout.write(formatSimulation(result, paint, width));
    process.stdout.write(
      `\n${paint('dim', 'Next: rollout-lens plan --markdown for the pull request; rollout-lens simulate --scenario NAME or --trace FILE for what-ifs.')}\n`,
    );
  } finally {
    if (example) rmSync(example, { recursive: true, force: true });
  }
  return 0;
}
