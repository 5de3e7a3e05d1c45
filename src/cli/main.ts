import { forTerminal } from '../core/display';
import { isInputError } from '../core/errors';
import { wantsHelp } from './args';
import { runAnalyze } from './commands/analyze';
import { runDemo } from './commands/demo';
import { runPlan } from './commands/plan';
import { runSimulate } from './commands/simulate';

/** Each subcommand's usage, as its `--help` prints it and the overall usage lists them. */
const COMMAND_USAGE: Record<string, string> = {
  analyze: `  rollout-lens analyze  [--repo DIR] [--base REF] [--config FILE] [--json]`,
  plan: `  rollout-lens plan     [--repo DIR | --tier TIER] [--start ISO-8601] [--config FILE] [--hotfix]
                        [--json | --markdown | --export argo-rollouts|flagger [--name NAME] [--namespace NS]]`,
  simulate: `  rollout-lens simulate [--repo DIR | --tier TIER | --plan FILE]
                        (--scenario NAME [--seed N] | --trace FILE|METRIC=FILE ...
                         | --prometheus URL --from ISO-8601 [--to ISO-8601] [--step DURATION]
                           [--save-trace FILE])
                        [--runs N] [--fault METRIC=+DELTA|xFACTOR[@MINUTE]] [--start ISO-8601]
                        [--max-wait] [--config FILE] [--json]`,
  demo: `  rollout-lens demo     [--repo DIR] [--seed N]
                        analyze this repository (or an example change), plan it and simulate it`,
};

const EXIT_CODES = 'Exit codes: 0 success, 2 bad input (one line on stderr), 1 any other failure.';

const USAGE = `Usage:\n${Object.values(COMMAND_USAGE).join('\n')}\n\n${EXIT_CODES}`;

const commands: Record<string, (argv: string[]) => Promise<number | void>> = {
  analyze: runAnalyze,
  plan: runPlan,
  simulate: runSimulate,
  demo: runDemo,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`${process.env.ROLLOUT_LENS_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const run = commands[command];
  if (!run) {
    process.stderr.write(`rollout-lens: unknown command "${forTerminal(command)}" (expected one of: ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(`Usage:\n${COMMAND_USAGE[command]}\n\n${EXIT_CODES}\n`);
    return 0;
  }
  return (await run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (isInputError(e)) {
      process.stderr.write(`rollout-lens: ${forTerminal(e.message)}\n`);
      process.exitCode = 2;
    } else {
      const err = e as Error;
      process.stderr.write(`rollout-lens: ${forTerminal(err?.message ?? String(e))}\n`);
      if (process.env.ROLLOUT_LENS_DEBUG) process.stderr.write(`${err?.stack}\n`);
      process.exitCode = 1;
    }
  },
);
