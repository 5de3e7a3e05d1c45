import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RolloutPlan } from '../plan/schema';
import type { MonteCarloResult } from './schema';
import { runSeeds, summarize, type RunSummary } from './montecarlo';
import type { Fault, ScenarioName } from './scenarios';
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

/** Below this many runs per thread, starting a thread (cold, unoptimised code) costs more than it saves. */
const MIN_RUNS_PER_THREAD = 2500;

/**
 * Monte Carlo over the idle cores: seeds are split in contiguous ranges, this thread runs the first
 * (its code is already warm) and one worker thread each of the others, and the summaries are merged
 * in seed order — the result is the same whatever the number of threads. Cores other processes keep
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
  const model = scenarioModel(plan, scenario, options);
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
    parts.push(w === 0 && !callerFree ? Promise.resolve(runSeeds(model, firstSeed, n)) : runWorker(script, { plan, scenario, options, firstSeed: firstSeed + from, runs: n }));
  }
  return summarize(model, firstSeed, await Promise.all(parts), performance.now() - t0);
}

/** Cores not already kept busy by other processes, at least 1. */
export function idleCores(): number {
  const cores = availableParallelism();
  return Math.max(1, Math.min(cores, Math.round(cores - loadavg()[0])));
}

function runWorker(script: WorkerScript, job: WorkerJob): Promise<RunSummary> {
  return new Promise((resolve, reject) => {
    const worker = script.fromSource
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script.file)});`, { eval: true, workerData: job })
      : new Worker(script.file, { workerData: job });
    let done = false;
    worker.once('message', (part: RunSummary) => {
      done = true;
      resolve(part);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`Monte Carlo worker stopped (exit ${code}) before it reported`));
    });
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
