/**
 * Fetching a replay from Prometheus: the 49 h HIGH plan at 15 s (five metrics, two query_range chunks
 * each) from a local server backfilled with promtool, through fetchTrace (requests, joining, parsing),
 * against the floor of the same requests made by one plain `curl` process.
 */
import { spawnSync } from 'node:child_process';
import { buildPlan } from '../src/core/plan';
import { DEFAULT_POLICY } from '../src/core/policy/schema';
import { fetchTrace, rangeChunks } from '../src/core/prometheus';
import { readMetrics } from '../src/core/sim/gated';
import { openMetrics, queries, T0 } from '../test/unit/prometheus/data';
import { startPrometheus } from '../test/unit/prometheus/server';
import { median } from './support';

const RUNS = 7;
const STEP_MS = 15_000;

const plan = buildPlan(
  { tier: 'HIGH', files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] },
  DEFAULT_POLICY,
  { start: new Date(T0), timezone: 'UTC' },
);

/** One curl process making every request in order over one connection, bodies thrown away. */
function curlArgs(url: string, q: Record<string, string>, toMs: number): string[] {
  const args: string[] = [];
  for (const metric of readMetrics(plan)) {
    for (const c of rangeChunks(T0, toMs, STEP_MS)) {
      if (args.length) args.push('--next');
      args.push('-sS', '--fail', '-o', '/dev/null', '--data-urlencode', `query=${q[metric]}`, '-d', `start=${c.startMs / 1000}`, '-d', `end=${c.endMs / 1000}`, '-d', `step=${STEP_MS / 1000}`, `${url}/api/v1/query_range`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const server = await startPrometheus(openMetrics());
  try {
    const q = queries();
    const toMs = T0 + 49 * 3_600_000 - STEP_MS;
    const source = { url: server.url, queries: q, fromMs: T0, toMs, stepMs: STEP_MS };
    const args = curlArgs(server.url, q, toMs);
    const fetchOnce = async () => {
      const t0 = performance.now();
      const { trace } = await fetchTrace(plan, source);
      const ms = performance.now() - t0;
      for (const s of trace.series.values()) if (s.times.length !== 49 * 240) throw new Error(`${s.metric}: ${s.times.length} readings, expected ${49 * 240}`);
      return ms;
    };
    const curlOnce = () => {
      const t0 = performance.now();
      const r = spawnSync('curl', args, { encoding: 'utf8' });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`curl failed (exit ${r.status}): ${r.stderr}`);
      return ms;
    };
    // Warm the server's caches for both.
    await fetchOnce();
    curlOnce();
    const fetched: number[] = [];
    const floor: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      fetched.push(await fetchOnce());
      floor.push(curlOnce());
    }
    const ms = median(fetched);
    const floorMs = median(floor);
    console.log(`BENCH prom.fetch_ms ${ms.toFixed(1)} ms`);
    console.log(`BENCH prom.curl_floor_ms ${floorMs.toFixed(1)} ms`);
    console.log(`BENCH prom.fetch_ratio_to_floor ${(ms / floorMs).toFixed(3)} ratio`);
  } finally {
    await server.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
