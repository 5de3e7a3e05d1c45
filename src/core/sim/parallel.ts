import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RolloutPlan } from '../plan/schema';
import type { MonteCarloResult } from './schema';
import { runSeeds, summarize, type RunSummary } from './montecarlo';
import type { Fault, ScenarioModel, ScenarioName } from './scenarios';
import { scenarioModel } from './simulate';
import type { SetupOptions } from './setup';

/** What a worker needs to redo the model on its side: plain, structured-clone-able data. */
export interface WorkerJob {
  plan: RolloutPlan;
  scenario: ScenarioName;
  options: SetupOptions & { faults?: readonly Fault[] };
  firstSeed: number;
  runs: number;
}

/** A job sent to a pooled worker, and its answer. */
export interface WorkerRequest {
  id: number;
  job: WorkerJob;
}
export interface WorkerReply {
  id: number;
  part?: RunSummary;
  error?: string;
}

/** Below this many runs per thread, starting a thread (cold, unoptimised code) costs more than it saves. */
const MIN_RUNS_PER_THREAD = 2500;

/**
 * Monte Carlo over the idle cores: seeds are split in equal contiguous ranges, this thread runs the
 * first (its code is already warm) and a pooled worker thread each of the others, and the summaries
 * are merged in seed order — the result is the same whatever the number of threads. Worker threads
 * are kept between calls (a "what if" in the editor is a run after a run), so after the first call
 * their code is as warm as this thread's. Cores other processes keep
 * busy (load average) are not counted: threads fighting for them only add start-up cost. Stays in
 * this thread when there is no spare core, few runs, or no worker script next to this code.
 * `callerFree` (the editor's extension host, which must stay responsive) puts every run in worker
 * threads, this one only waiting — on as many threads as asked, at least one.
 */
export async function monteCarloParallel(
  plan: RolloutPlan,
  scenario: ScenarioName,
  runs: number,
  firstSeed = 1,
  options: WorkerJob['options'] = {},
  threads = idleCores(),
  callerFree = false,
): Promise<MonteCarloResult> {
  const t0 = performance.now();
  const model = cachedModel(plan, scenario, options);
  const script = workerScript();
  const count = callerFree
    ? Math.max(1, Math.min(threads, Math.ceil(runs / MIN_RUNS_PER_THREAD)))
    : Math.max(1, Math.min(threads, Math.floor(runs / MIN_RUNS_PER_THREAD)));
  if (!script || (count === 1 && !callerFree)) return summarize(model, firstSeed, [runSeeds(model, firstSeed, runs)], performance.now() - t0);
  const per = Math.ceil(runs / count);
  const parts: Promise<RunSummary>[] = [];
  for (let w = 0; w < count; w++) {
    const from = w * per;
    const n = Math.min(per, runs - from);
    if (n <= 0) continue;
    // The first range runs here (its code is already warm) unless the caller must stay free.
    if (w === 0 && !callerFree) continue;
    parts.push(runWorker(script, { plan, scenario, options, firstSeed: firstSeed + from, runs: n }));
  }
  // Sent first, run here after: the workers start on their ranges while this thread works on its own.
  if (!callerFree) parts.unshift(Promise.resolve(runSeeds(model, firstSeed, Math.min(per, runs))));
  return summarize(model, firstSeed, await Promise.all(parts), performance.now() - t0);
}

let lastModel: { key: string; model: ScenarioModel } | undefined;

/** The scenario model of the last call when this one asks for the same (a run after a run in the editor). */
function cachedModel(plan: RolloutPlan, scenario: ScenarioName, options: WorkerJob['options']): ScenarioModel {
  const key = JSON.stringify([plan, scenario, options]);
  if (lastModel?.key !== key) lastModel = { key, model: scenarioModel(plan, scenario, options) };
  return lastModel.model;
}

/** Cores not already kept busy by other processes, at least 1. */
export function idleCores(): number {
  const cores = availableParallelism();
  return Math.max(1, Math.min(cores, Math.round(cores - loadavg()[0])));
}

interface Pooled {
  worker: Worker;
  busy: boolean;
  pending?: { id: number; resolve: (p: RunSummary) => void; reject: (e: Error) => void };
}

/** Worker threads kept between calls, at most one per core; more at once are started for the call and stopped after. */
const pool: Pooled[] = [];
let nextId = 1;

function startWorker(script: WorkerScript): Pooled {
  const worker = script.fromSource
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script.file)});`, { eval: true })
    : new Worker(script.file);
  const entry: Pooled = { worker, busy: false };
  const fail = (e: Error) => {
    const i = pool.indexOf(entry);
    if (i >= 0) pool.splice(i, 1);
    entry.pending?.reject(e);
    entry.pending = undefined;
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = entry.pending;
    if (!p || p.id !== reply.id) return;
    entry.pending = undefined;
    entry.busy = false;
    // An idle worker must not keep the process alive (a CLI run ends when its work does).
    worker.unref();
    if (reply.part) p.resolve(reply.part);
    else p.reject(new Error(`Monte Carlo worker failed: ${reply.error ?? 'no result'}`));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`Monte Carlo worker stopped (exit ${code}) before it reported`)));
  return entry;
}

function runWorker(script: WorkerScript, job: WorkerJob): Promise<RunSummary> {
  let entry = pool.find((p) => !p.busy);
  let temporary = false;
  if (!entry) {
    entry = startWorker(script);
    if (pool.length < availableParallelism()) pool.push(entry);
    else temporary = true;
  }
  const e = entry;
  e.busy = true;
  e.worker.ref();
  const id = nextId++;
  return new Promise<RunSummary>((resolve, reject) => {
    e.pending = { id, resolve, reject };
    e.worker.postMessage({ id, job } satisfies WorkerRequest);
  }).finally(() => {
    if (temporary) void e.worker.terminate();
  });
}

/**
 * Where the worker code is: `sim-worker.js` beside the bundle (dist/), or the TypeScript source
 * when running from source under tsx (tests, benchmarks).
 */
interface WorkerScript {
  file: string;
  /** TypeScript source: the worker registers tsx before loading it. */
  fromSource: boolean;
}

function workerScript(): WorkerScript | undefined {
  if (typeof __dirname !== 'string') return undefined;
  const bundled = path.join(__dirname, 'sim-worker.js');
  if (existsSync(bundled)) return { file: bundled, fromSource: false };
  const source = path.join(__dirname, 'mc-worker.ts');
  if (__filename.endsWith('.ts') && existsSync(source)) return { file: source, fromSource: true };
  return undefined;
}
