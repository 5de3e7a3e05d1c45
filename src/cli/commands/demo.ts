import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { forTerminal } from '../../core/display';
import { isInputError } from '../../core/errors';
import { formatPlan } from '../../core/plan';
import { analyzeRead, planFor, readRepo, simulate } from '../../core/pipeline';
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
  let example: string | undefined;
  let intro: string;
  let read;
  try {
    read = await readRepo({ repo: here });
  } catch (e) {
    if (!isInputError(e)) throw e;
  }
  if (read && read.change.files.length) intro = `Analyzing the change in ${read.change.root}`;
  else {
    intro = read ? `No uncommitted change in ${here}: analyzing the bundled example change instead` : `${here} is not a git repository: analyzing the bundled example change instead`;
    example = createExampleRepo();
    read = undefined;
  }
  try {
    const width = Math.min(process.stdout.columns || 80, 100);
    process.stdout.write(paint('dim', forTerminal(intro)) + '\n\n');
    const { assessment, policy } = await analyzeRead(read ?? (await readRepo({ repo: example! })));
    process.stdout.write(formatAssessment(assessment, width));

    const plan = planFor(assessment, policy);
    process.stdout.write('\n' + formatPlan(plan, paint, width));

    const seed = args.seed !== undefined ? Number(args.seed) || 1 : 1;
    const result = await simulate(plan, { kind: 'scenario', scenario: DEMO_SCENARIO, seed });
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
