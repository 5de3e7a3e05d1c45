/**
 * The one composition of the stages: change → assessment → plan → simulation. The CLI commands,
 * the demo and the editor's heavy bundle all call these functions, so every surface gives the same
 * answer for the same change and policy, and a check added here (the coverage of a recording, the
 * policy file named in a planning error) holds everywhere. The policy is read once per call that
 * needs it and handed on: a surface that already holds it (an analysis, the editor's cache) passes it in.
 */
import * as path from 'node:path';
import { availableParallelism } from 'node:os';
import { readChange, type ChangeSet, type RepoGit, type RepoSearch } from './change';
import { InputError, isInputError } from './errors';
import { buildPlan, checkTimeZone, machineTimeZone, parseIsoInZone, placedFindings, planToMarkdown, type PlacedFinding } from './plan';
import type { RolloutPlan } from './plan/schema';
import { loadPolicy } from './policy/load';
import { policyRootOf } from './policy/root';
import type { Policy } from './policy/schema';
import { fetchTrace, type SavedTrace } from './prometheus';
import { assess } from './risk';
import type { Assessment } from './risk/types';
import { monteCarloParallel } from './sim/parallel';
import { replayRecording } from './sim/recording';
import { SCENARIOS, SCENARIO_NAMES, scenarioOrThrow, type Fault } from './sim/scenarios';
import type { SimulationResult } from './sim/schema';
import { simulateScenario } from './sim/simulate';
import { traceSpanMinutes, type Trace } from './sim/trace';
import { readMetrics, worseBelow } from './sim/gated';
import { loadTrace, type LoadTraceOptions } from './sim/traces';
import { isTier, TIERS, type Tier } from './tier';

export { planToMarkdown as markdown };
export { policyRootOf as policyRoot };
export { baseText } from './change/base';

/** A policy as read: its content, and the file it came from (none: the seed's defaults). */
export interface LoadedPolicy {
  policy: Policy;
  file?: string;
}

/** Reads the policy: `config` when given, else the root's `.rollout-lens.json`, else the defaults. The only read of the pipeline. */
export function readPolicy(o: { config?: string; root?: string }): Promise<LoadedPolicy> {
  return loadPolicy({ configFile: o.config, repoRoot: o.root });
}

export interface Analysis {
  assessment: Assessment;
  /** The policy the assessment was made with; planning the same change reuses it. */
  policy: LoadedPolicy;
  /** The repository's top level. */
  root: string;
  branch: string | null;
  /** How git runs for this repository (its overrides): later reads of it, such as a file at the base, use it. */
  git: RepoGit;
}

export interface RepoOptions {
  repo: string;
  base?: string;
  signal?: AbortSignal;
  onGit?: (args: string[], ms: number) => void;
}

/** The change git reports for the repository, not yet judged (the demo looks at it before it goes on). */
export function readRepo(o: RepoOptions): Promise<{ change: ChangeSet; search: RepoSearch; git: RepoGit }> {
  return readChange({ repo: path.resolve(o.repo), base: o.base, signal: o.signal, onGit: o.onGit });
}

/** Judges a change read by `readRepo` under the policy given, or the one its repository holds. */
export async function analyzeRead(read: { change: ChangeSet; search: RepoSearch; git: RepoGit }, o: { config?: string; policy?: LoadedPolicy } = {}): Promise<Analysis> {
  const { change, search, git } = read;
  const policy = o.policy ?? (await readPolicy({ config: o.config, root: change.root }));
  return { assessment: await assess(change, policy.policy, search), policy, root: change.root, branch: change.branch, git };
}

/** git → ChangeSet → Assessment. */
export async function analyzeRepo(o: RepoOptions & { config?: string; policy?: LoadedPolicy }): Promise<Analysis> {
  return analyzeRead(await readRepo(o), o);
}

/** An assessment of a change of the given tier with no files: what a chosen tier plans for. */
export function assessmentForTier(tier: string): Assessment {
  if (!isTier(tier)) throw new InputError(`expected one of ${TIERS.join(', ')}, got "${tier}"`, { field: 'tier' });
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

export interface PlanTime {
  /** ISO-8601 text read in the plan's zone, or a moment; default now. */
  start?: string | Date;
  /** The zone the surface chose (the editor's setting); default the policy's, else the machine's. */
  timezone?: string;
}

/** The plan's zone and first moment, checked (a bad zone of the policy names its file); no git work, so a surface checks them first. */
export function planTime(policy: LoadedPolicy, o: PlanTime = {}): { start: Date; timezone: string } {
  const timezone = o.timezone !== undefined ? checkTimeZone(o.timezone, 'timezone') : inPolicyFile(policy.file, () => checkTimeZone(policy.policy.timezone ?? machineTimeZone(), 'timezone'));
  const start = typeof o.start === 'string' ? parseIsoInZone(o.start, timezone, 'start') : (o.start ?? new Date());
  return { start, timezone };
}

/** Assessment (or a tier) + policy → plan. */
export function planFor(input: Assessment | { tier: Tier | string }, policy: LoadedPolicy, o: PlanTime & { securityHotfix?: boolean } = {}): RolloutPlan {
  const assessment = 'files' in input ? input : assessmentForTier(input.tier);
  const time = planTime(policy, o);
  return inPolicyFile(policy.file, () => buildPlan(assessment, policy.policy, { ...time, securityHotfix: o.securityHotfix }));
}

export interface PlannedChange {
  plan: RolloutPlan;
  policy: LoadedPolicy;
  /** The change's findings, strongest first; undefined for a tier. */
  findings?: PlacedFinding[];
}

/**
 * The plan for a repository's change (or for `tier`): the policy read once, from `config` or the
 * top level git reports (the one the analysis reads), the zone and start checked before any git work.
 */
export async function planChange(o: { repo?: string; tier?: string; config?: string; base?: string } & PlanTime & { securityHotfix?: boolean }): Promise<PlannedChange> {
  const fromTier = o.tier !== undefined ? assessmentForTier(o.tier) : undefined;
  const root = o.config === undefined ? await policyRootOf(o.repo ?? '.') : undefined;
  const policy = await readPolicy({ config: o.config, root });
  const time = planTime(policy, o);
  const assessment = fromTier ?? (await analyzeRepo({ repo: o.repo ?? '.', base: o.base, policy })).assessment;
  return { plan: planFor(assessment, policy, { ...time, securityHotfix: o.securityHotfix }), policy, ...(fromTier ? {} : { findings: placedFindings(assessment) }) };
}

/** The built-in scenarios, for a surface to offer. */
export function scenarios(): { name: string; description: string }[] {
  return SCENARIO_NAMES.map((name) => ({ name, description: SCENARIOS[name].description }));
}

/** A recorded trace read from a file, with what a surface shows of it. */
export interface LoadedTrace {
  name: string;
  metrics: string[];
  trace: Trace;
  /** Epoch ms of sim minute 0, when it is not the first reading (a range fetched from Prometheus). */
  alignAt?: number;
  /** Minutes of readings from sim minute 0 on: how much of a plan it can replay. */
  spanMinutes: number;
}

type ReadOptions = Omit<LoadTraceOptions, 'allowMetrics' | 'worseBelow'>;

/**
 * Trace files (`FILE` or `METRIC=FILE`) read for a plan, the same on every surface: the files' columns
 * of every metric the plan reads are taken (custom gates' too), and a metric that alerts below its
 * thresholds keeps the lower of two readings at one moment.
 */
export function loadTraces(plan: RolloutPlan, specs: readonly string[], o: ReadOptions = {}): Promise<Trace> {
  return loadTrace(specs, { ...o, worseBelow: worseBelow(plan), allowMetrics: readMetrics(plan) });
}

/** One trace file read for a plan (see loadTraces), with what a surface shows of it. */
export async function loadTraceFile(file: string, plan: RolloutPlan, o: ReadOptions = {}): Promise<LoadedTrace> {
  const trace = await loadTraces(plan, [file], o);
  return { name: path.basename(file), metrics: [...trace.series.keys()], trace, spanMinutes: traceSpanMinutes(trace) };
}

/** What to fetch from Prometheus for a replay. */
export interface PrometheusRequest {
  url: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
  token?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The plan's gated metrics fetched with the policy's `prometheus.queries` (errors name the policy file); `saved` is the query_range document `--trace` replays. */
export async function fetchPrometheus(plan: RolloutPlan, policy: LoadedPolicy, r: PrometheusRequest): Promise<{ trace: LoadedTrace; saved: SavedTrace; empty: string[] }> {
  const { url, fromMs, toMs, stepMs, token, signal, timeoutMs } = r;
  const http = { token, signal, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  const { trace, saved, empty } = await fetchTrace(plan, { url, queries: policy.policy.prometheus?.queries ?? {}, baselines: policy.policy.prometheus?.baseline ?? {}, policyFile: policy.file, fromMs, toMs, stepMs }, http);
  const name = `Prometheus ${new Date(fromMs).toISOString().slice(0, 16)}Z–${new Date(toMs).toISOString().slice(0, 16)}Z`;
  return { trace: { name, metrics: [...trace.series.keys()], trace, alignAt: fromMs, spanMinutes: traceSpanMinutes(trace, fromMs) }, saved, empty };
}

export type SimSource = { kind: 'scenario'; scenario: string; seed: number } | { kind: 'trace'; trace: Trace; alignAt?: number };

export interface SimOptions {
  faults?: readonly Fault[];
  /** More than 1: a Monte Carlo of the scenario on worker threads, in `monteCarlo`. */
  runs?: number;
  useMaxWait?: boolean;
  /** Every run on worker threads, none on the caller's (the editor's extension host stays responsive). */
  offThread?: boolean;
}

/**
 * One simulation of the plan: a seeded scenario (and its Monte Carlo), or a recorded trace replayed
 * as every surface replays it (units checked, refused when it ends before the rollout is decided).
 */
export async function simulate(plan: RolloutPlan, source: SimSource, o: SimOptions = {}): Promise<SimulationResult> {
  const options = { useMaxWait: o.useMaxWait ?? false, faults: o.faults ?? [] };
  if (source.kind === 'trace') return replayRecording(plan, source.trace, { ...options, alignAt: source.alignAt });
  const scenario = scenarioOrThrow(source.scenario);
  const result = simulateScenario(plan, scenario, source.seed, options);
  const runs = o.runs ?? 1;
  if (runs > 1) {
    const monteCarlo = o.offThread
      ? await monteCarloParallel(plan, scenario, runs, source.seed, options, availableParallelism(), true)
      : await monteCarloParallel(plan, scenario, runs, source.seed, options);
    return { ...result, monteCarlo };
  }
  return result;
}
