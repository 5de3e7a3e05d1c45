/**
 * Simulator benchmarks: one replay of a 14-day, 1-minute, five-metric trace through the HIGH plan;
 * 10,000 Monte Carlo runs of the HIGH plan (healthy: no early exit, the slowest case) on every
 * core and on this thread alone, their ratio, and the per-reading engine's time for the same runs
 * (the reference the fast path is held to), with its gate evaluations per second. The simulator is bundled with esbuild first, as the CLI and the extension
 * ship it, so the figures are those a user gets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { buildPlan } from '../src/core/plan';
import { DEFAULT_POLICY } from '../src/core/policy/schema';
import type { MetricSeries, Trace } from '../src/core/sim/trace';

type Sim = typeof import('../src/core/sim/index') &
  typeof import('../src/core/sim/montecarlo') &
  typeof import('../src/core/sim/parallel') &
  typeof import('../src/core/sim/simulate');

async function bundledSimulator(dir: string): Promise<Sim> {
  const root = path.resolve(__dirname, '..');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' } as const;
  const entry = ['index', 'montecarlo', 'parallel', 'simulate'].map((m) => `export * from './src/core/sim/${m}';`).join('\n');
  await esbuild.build({ ...common, stdin: { contents: entry, resolveDir: root, loader: 'ts' }, outfile: path.join(dir, 'sim.js') });
  await esbuild.build({ ...common, entryPoints: [path.join(root, 'src/core/sim/mc-worker.ts')], outfile: path.join(dir, 'sim-worker.js') });
  return require(path.join(dir, 'sim.js')) as Sim;
}

const plan = buildPlan(
  { tier: 'HIGH', files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] },
  DEFAULT_POLICY,
  { start: new Date('2026-03-10T10:00:00Z'), timezone: 'UTC' },
);

function fourteenDays(): Trace {
  const minutes = 14 * 24 * 60;
  const t0 = Date.UTC(2026, 2, 10, 10);
  const times = new Float64Array(minutes).map((_, i) => t0 + i * 60000);
  const wave = (base: number, amp: number, noise: number) => new Float64Array(minutes).map((_, i) => base * (1 + amp * Math.sin((2 * Math.PI * i) / 1440)) + noise * Math.sin(i * 12.9898));
  const series = new Map<string, MetricSeries>([
    ['error_rate', { metric: 'error_rate', times, values: wave(0.05, 0, 0.005) }],
    ['latency_p95_ms', { metric: 'latency_p95_ms', times, values: wave(150, 0.03, 5) }],
    ['success_rate', { metric: 'success_rate', times, values: wave(99.95, 0, 0.005) }],
    ['db_errors_per_min', { metric: 'db_errors_per_min', times, values: wave(1.5, 0.05, 0.3) }],
    ['security_alerts', { metric: 'security_alerts', times, values: new Float64Array(minutes) }],
  ]);
  return { source: '14 days', series, issues: [] };
}

function best(times: number, f: () => void): number {
  let min = Infinity;
  for (let k = 0; k < times; k++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-sim-bench-'));
  try {
    await run(await bundledSimulator(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run({ simulateTrace, monteCarlo, monteCarloParallel, scenarioModel }: Sim): Promise<void> {
  const trace = fourteenDays();
  let outcome = '';
  const replay = best(5, () => {
    outcome = simulateTrace(plan, trace).outcome;
  });
  if (outcome !== 'promoted') throw new Error(`the 14-day healthy trace should promote, got ${outcome}`);
  console.log(`BENCH sim.replay_ms ${replay.toFixed(1)} ms`);

  const model = scenarioModel(plan, 'healthy');
  // Every core, asked for explicitly: the default counts only the cores other processes leave idle.
  const threads = availableParallelism();
  const runs = 10_000;
  // The first call starts the worker threads and runs their code cold: what a first "what if" costs.
  let t = performance.now();
  await monteCarloParallel(plan, 'healthy', runs, 1, {}, threads);
  console.log(`BENCH sim.montecarlo_first_call_ms ${(performance.now() - t).toFixed(0)} ms`);
  monteCarlo(model, 2000); // warm up this thread's code as the workers' is now
  let parallel = Infinity;
  let promoted = 0;
  for (let k = 0; k < 3; k++) {
    t = performance.now();
    const mc = await monteCarloParallel(plan, 'healthy', runs, 1 + k * runs, {}, threads);
    parallel = Math.min(parallel, performance.now() - t);
    promoted = mc.promoted;
  }
  if (promoted < 0.99) throw new Error(`healthy Monte Carlo promoted only ${promoted}`);
  const single = best(3, () => monteCarlo(model, runs));
  console.log(`BENCH sim.montecarlo_ms ${parallel.toFixed(0)} ms`);
  console.log(`BENCH sim.montecarlo_threads ${threads} threads`);
  console.log(`BENCH sim.montecarlo_single_thread_ms ${single.toFixed(0)} ms`);
  console.log(`BENCH sim.montecarlo_speedup ${(single / parallel).toFixed(2)} x`);

  // The per-reading engine on the same runs (the first of two rounds warms its code): every minute of every run through every gate.
  const minutes = model.setup.timeline.totalMinutes;
  const gatesPerMinute = model.setup.stageGates[2].length;
  const exact = best(2, () => monteCarlo(model, 200, 1, { exact: true })) * (runs / 200);
  console.log(`BENCH sim.montecarlo_per_reading_ms ${exact.toFixed(0)} ms`);
  console.log(`BENCH sim.montecarlo_fast_ratio ${(exact / single).toFixed(1)} x`);
  console.log(`BENCH sim.evals_per_s ${Math.round((200 * minutes * gatesPerMinute) / (exact / (runs / 200) / 1000))} evals/s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
