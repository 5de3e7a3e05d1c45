/** `simulate --prometheus URL --from …`: the recorded trace fetched from Prometheus, and `--save-trace`. */
import { constants } from 'node:fs';
import { lstat, open, unlink } from 'node:fs/promises';
import { InputError } from '../../core/errors';
import { checkTimeZone, machineTimeZone, parseIsoInZone, type RolloutPlan } from '../../core/plan';
import { loadPolicy } from '../../core/policy/load';
import { policyRootOf } from '../../core/policy/root';
import type { Policy } from '../../core/policy/schema';
import { fetchTrace, parseDuration, planEndMs, queryRangeUrl, type FetchedTrace, type SavedTrace } from '../../core/prometheus';
import { earliestTime } from '../../core/sim/replay';
import { buildTimeline } from '../../core/sim/timeline';

export interface RemoteArgs {
  prometheus?: string;
  from?: string;
  to?: string;
  step?: string;
  'save-trace'?: string;
  scenario?: string;
  trace?: string[];
  start?: string;
  runs?: string;
}

const REMOTE_ONLY = ['from', 'to', 'step', 'save-trace'] as const;

/** Flags that belong to a Prometheus replay, checked before any git or network work. */
export function checkRemoteFlags(args: RemoteArgs): void {
  if (args.prometheus === undefined) {
    const stray = REMOTE_ONLY.find((f) => args[f] !== undefined);
    if (stray) throw new InputError(`simulate: --${stray} needs --prometheus URL (expected --prometheus URL --from ISO-8601)`);
    return;
  }
  if (args.scenario !== undefined || (args.trace ?? []).length) {
    throw new InputError(`simulate: --prometheus cannot be used with ${args.scenario !== undefined ? '--scenario' : '--trace'} (expected one source of readings)`);
  }
  if (args.from === undefined) throw new InputError('simulate: --prometheus needs --from ISO-8601 (the moment that is minute 0 of the plan)');
  if (args.start !== undefined) throw new InputError('simulate: --start cannot be used with --prometheus (expected --from, which is minute 0 of the plan)');
  if (args.runs !== undefined) throw new InputError('simulate: --runs needs --scenario (a recorded trace replays one way only)');
  queryRangeUrl(args.prometheus);
  // The shape now, so a typo is named as the flag it is in; the plan's zone places it later.
  parseIsoInZone(args.from, 'UTC', 'from');
  if (args.to !== undefined) parseIsoInZone(args.to, 'UTC', 'to');
}

/** The policy whose `prometheus.queries` are replayed: the plan's own, or for `--plan FILE` the one `--config` or the folder names. */
export async function policyForPlan(known: { policy: Policy; file?: string } | undefined, config: string | undefined): Promise<{ policy: Policy; file?: string }> {
  if (known) return known;
  return loadPolicy({ configFile: config, repoRoot: config === undefined ? await policyRootOf('.') : undefined });
}

export interface Fetched extends FetchedTrace {
  fromMs: number;
}

/** `ROLLOUT_LENS_PROMETHEUS_TIMEOUT` (a Prometheus duration, default 30s) bounds each request. */
function timeoutMs(): number {
  const text = process.env.ROLLOUT_LENS_PROMETHEUS_TIMEOUT;
  return text === undefined || text === '' ? 30_000 : parseDuration(text, 'ROLLOUT_LENS_PROMETHEUS_TIMEOUT', 1, 3_600_000);
}

export async function fetchForPlan(args: RemoteArgs, plan: RolloutPlan, policy: { policy: Policy; file?: string }, useMaxWait: boolean): Promise<Fetched> {
  const zone = checkTimeZone(plan.schedule.timezone || machineTimeZone(), 'timezone');
  const fromMs = parseIsoInZone(args.from!, zone, 'from').getTime();
  if (fromMs > Date.now()) throw new InputError(`simulate: --from ${args.from} is in the future (expected a time Prometheus has recorded)`);
  const stepMs = args.step === undefined ? 60_000 : parseDuration(args.step, 'step');
  const toMs = args.to === undefined ? planEndMs(fromMs, buildTimeline(plan, { useMaxWait }).totalMinutes, stepMs) : parseIsoInZone(args.to, zone, 'to').getTime();
  if (toMs <= fromMs) throw new InputError(`simulate: --to ${args.to} is not after --from ${args.from} (expected a later time)`);
  const save = args['save-trace'];
  if (save !== undefined) await checkNewFile(save);
  const token = process.env.ROLLOUT_LENS_PROMETHEUS_TOKEN || undefined;
  const fetched = await fetchTrace(
    plan,
    { url: args.prometheus!, queries: policy.policy.prometheus?.queries ?? {}, baselines: policy.policy.prometheus?.baseline ?? {}, policyFile: policy.file, fromMs, toMs, stepMs },
    { token, timeoutMs: timeoutMs() },
  );
  return { ...fetched, fromMs };
}

const exists = (e: NodeJS.ErrnoException) => new InputError(`--save-trace ${e.path ?? ''}: the file already exists (expected a new file: remove it or choose another name)`);

async function checkNewFile(file: string): Promise<void> {
  const found = await lstat(file).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT');
  if (found) throw exists({ path: file } as NodeJS.ErrnoException);
}

/**
 * Writes the fetched trace as a query_range document that `--trace FILE` replays. The file is created
 * exclusively and never through a link, so an existing file is never overwritten.
 */
export async function saveTrace(file: string, saved: SavedTrace): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  let created = false;
  try {
    const handle = await open(file, flags, 0o666);
    created = true;
    try {
      await handle.writeFile(JSON.stringify(saved) + '\n', 'utf8');
    } finally {
      await handle.close();
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') throw exists({ path: file } as NodeJS.ErrnoException);
    if (created) await unlink(file).catch(() => undefined);
    throw new InputError(`--save-trace ${file}: cannot write the trace file (${err.code ?? err.message})`, { file });
  }
}

/** How to replay the saved file offline; `--start` only when the first reading is later than `--from`. */
export function replayHint(file: string, fetched: Fetched): string {
  const first = earliestTime(fetched.trace);
  const start = Number.isFinite(first) && first !== fetched.fromMs ? ` --start ${new Date(fetched.fromMs).toISOString()}` : '';
  return `saved the fetched trace to ${file} (replay it offline with --trace ${file}${start})`;
}
