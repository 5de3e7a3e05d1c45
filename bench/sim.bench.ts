/**
 * Simulator benchmarks: one replay of a 14-day, 1-minute, five-metric trace through the HIGH plan;
 * 10,000 Monte Carlo runs of the HIGH plan (healthy: no early exit, the slowest case); and gate
 * evaluations per second. The simulator is bundled with esbuild first, as the CLI and the extension
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
  monteCarlo(model, 200); // warm up the engine before timing
  // Every core, asked for explicitly: the default counts only the cores other processes leave idle.
  const threads = availableParallelism();
  const t = performance.now();
  const mc = await monteCarloParallel(plan, 'healthy', 10_000, 1, {}, threads);
  const elapsed = performance.now() - t;
  if (mc.promoted < 0.99) throw new Error(`healthy Monte Carlo promoted only ${mc.promoted}`);
  console.log(`BENCH sim.montecarlo_ms ${elapsed.toFixed(0)} ms`);
  console.log(`BENCH sim.montecarlo_threads ${threads} threads`);

  const minutes = model.setup.timeline.totalMinutes;
  const gatesPerMinute = model.setup.stageGates[2].length;
  const single = best(1, () => monteCarlo(model, 2000));
  console.log(`BENCH sim.montecarlo_single_thread_ms ${(single * 5).toFixed(0)} ms`);
  console.log(`BENCH sim.evals_per_s ${Math.round((2000 * minutes * gatesPerMinute) / (single / 1000))} evals/s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
