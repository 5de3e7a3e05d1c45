import { openRegularFile, readBounded } from '../../core/files';
import { InputError } from '../../core/errors';
import { parseIsoInZone, checkTimeZone, machineTimeZone, type RolloutPlan } from '../../core/plan';
import { loadTraces, simulate } from '../../core/pipeline';
import { parseFault, scenarioOrThrow } from '../../core/sim';
import { parsePlanText } from '../../core/sim/plan-file';
import { formatMonteCarlo, formatSimulation } from '../../core/sim/text';
import { buildTimeline } from '../../core/sim/timeline';
import type { Fault } from '../../core/sim/scenarios';
import { formatDuration } from '../../core/sim/format';
import { MAX_ROWS, parseSpec } from '../../core/sim/traces';
import { ungatedMessage, ungatedSeries } from '../../core/sim/gated';
import type { Trace } from '../../core/sim/trace';
import { parseCommandArgs } from '../args';
import { paint, printJson } from '../output';
import { planFromArgs } from './plan';
import { checkRemoteFlags, fetchForPlan, policyForPlan, replayHint, saveTrace, type Fetched } from './prometheus';

export const SIMULATE_OPTIONS = {
  repo: { type: 'string' },
  tier: { type: 'string' },
  plan: { type: 'string' },
  config: { type: 'string' },
  start: { type: 'string' },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  trace: { type: 'string', multiple: true },
  runs: { type: 'string' },
  fault: { type: 'string', multiple: true },
  'max-wait': { type: 'boolean' },
  prometheus: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  step: { type: 'string' },
  'save-trace': { type: 'string' },
  json: { type: 'boolean' },
} as const;

const MAX_RUNS = 1_000_000;

/** plan + traces → simulation: parse the flags, call core, print. */
export async function runSimulate(argv: string[]): Promise<number> {
  const args = parseCommandArgs('simulate', argv, SIMULATE_OPTIONS);
  const traces = args.trace ?? [];
  checkRemoteFlags(args);
  const remote = args.prometheus !== undefined;
  if (args.scenario === undefined && traces.length === 0 && !remote) {
    throw new InputError('simulate: expected --scenario NAME or --trace FILE|METRIC=FILE or --prometheus URL --from ISO-8601 (one of them)');
  }
  if (args.scenario !== undefined && traces.length) throw new InputError('simulate: --scenario and --trace cannot be used together (expected one of them)');
  if (args.plan !== undefined && (args.repo !== undefined || args.tier !== undefined)) {
    throw new InputError('simulate: --plan cannot be used with --repo or --tier (expected one source of the plan)');
  }
  const seed = integer(args.seed, '--seed', 1, -(2 ** 31), 2 ** 31 - 1);
  const runs = integer(args.runs, '--runs', 1, 1, MAX_RUNS);
  if (runs > 1 && traces.length) throw new InputError('simulate: --runs needs --scenario (a recorded trace replays one way only)');
  const faults = (args.fault ?? []).map((f) => parseFault(f));
  const start = remote ? args.from : args.start;
  const fromPolicy = args.plan !== undefined ? undefined : await planFromArgs({ repo: args.repo, tier: args.tier, start, config: args.config });
  const plan = fromPolicy ? fromPolicy.plan : await readPlan(args.plan!);
  const options = { useMaxWait: args['max-wait'] ?? false };
  checkFaultMinutes(args.fault ?? [], faults, buildTimeline(plan, options).totalMinutes, options.useMaxWait);

  let result;
  let fetched: Fetched | undefined;
  if (args.scenario !== undefined) {
    const scenario = scenarioOrThrow(args.scenario);
    result = { ...(await simulate(plan, { kind: 'scenario', scenario, seed }, { ...options, faults, runs })), source: `synthetic:${scenario}#${seed}` };
  } else {
    if (remote) fetched = await fetchForPlan(args, plan, await policyForPlan(fromPolicy?.policy, args.config), options.useMaxWait);
    const alignAt = fetched ? fetched.fromMs : args.start !== undefined ? startOf(args.start, plan) : undefined;
    const trace = fetched ? fetched.trace : await loadTraces(plan, traces, { maxRows: maxTraceRows() });
    if (!fetched) checkNamedSeriesGated(traces, trace, plan, fromPolicy ? Object.keys(fromPolicy.policy.policy.gates) : []);
    result = await simulate(plan, { kind: 'trace', trace, alignAt }, { ...options, faults });
  }
  const saveTo = args['save-trace'];
  if (fetched && saveTo !== undefined) {
    await saveTrace(saveTo, fetched.saved);
    process.stderr.write(`${replayHint(saveTo, fetched)}\n`);
  }
  if (args.json) printJson(result);
  else {
    const width = Math.min(process.stdout.columns || 80, 100);
    process.stdout.write(formatSimulation(result, paint, width));
    if (result.monteCarlo) process.stdout.write('\n' + formatMonteCarlo(result.monteCarlo, paint));
  }
  return 0;
}

/**
 * A series named on the command line (METRIC=FILE) that no gate or criterion reads: bad input, unless the
 * policy declares the metric (a gate with `"enabled": false`). The check is core's; the message names the flag.
 */
function checkNamedSeriesGated(specs: readonly string[], trace: Trace, plan: RolloutPlan, declared: readonly string[]): void {
  const named = specs.map((raw) => ({ raw, ...parseSpec(raw) }));
  const u = ungatedSeries(trace, plan, named.flatMap((n) => (n.metric === undefined ? [] : [n.metric])), declared);
  if (!u) return;
  const spec = named.find((n) => n.metric === u.metric)!;
  throw new InputError(`--trace ${JSON.stringify(spec.raw)}: ${ungatedMessage(u)}`, { file: spec.file });
}

/** A plan file is a few kB; the bound keeps a huge or endless file from filling memory. */
const MAX_PLAN_BYTES = 16 * 1024 * 1024;

async function readPlan(file: string): Promise<RolloutPlan> {
  const cannotRead = (e: NodeJS.ErrnoException) => new InputError(`${file}: cannot read the plan file (${e.code ?? e.message})`, { file });
  const { handle } = await openRegularFile(file, 'a plan file (the JSON of plan --json)', cannotRead);
  try {
    return parsePlanText((await readBounded(handle, file, MAX_PLAN_BYTES, 'a plan file')).toString('utf8'), file);
  } finally {
    await handle.close();
  }
}

function integer(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new InputError(`simulate: ${flag}: expected a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

/** `ROLLOUT_LENS_MAX_TRACE_ROWS` lowers the row limit of a trace file (a smaller machine, or a test); it never raises it. */
function maxTraceRows(): number {
  const text = process.env.ROLLOUT_LENS_MAX_TRACE_ROWS;
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_ROWS) : MAX_ROWS;
}

/** A fault that starts after the plan's last minute would change nothing: say so rather than ignore it. */
function checkFaultMinutes(texts: readonly string[], faults: readonly Fault[], total: number, maxWait: boolean): void {
  faults.forEach((f, i) => {
    if (f.fromMinute === undefined || f.fromMinute < total) return;
    const lasts = `the plan lasts ${total} minute${total === 1 ? '' : 's'}${total >= 60 ? ` (${formatDuration(total)})` : ''}${maxWait ? ' with --max-wait' : ''}`;
    const expected = total > 0 ? `expected @MINUTE from 0 to ${total - 1}` : 'expected no @MINUTE, or a plan with a wait';
    throw new InputError(`simulate: --fault "${texts[i]}": minute ${f.fromMinute} is after the plan's end (${lasts}; ${expected})`);
  });
}

/** `--start` for a recorded trace: the moment of the trace that is sim minute 0. */
function startOf(iso: string, plan: RolloutPlan): number {
  const zone = checkTimeZone(plan.schedule.timezone || machineTimeZone(), 'timezone');
  return parseIsoInZone(iso, zone, 'start').getTime();
}
