// Recorded-trace loading: throughput and memory of a 1,000,000-row long-form CSV, against the floor of
// merely reading the file and finding its lines.
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadTrace } from '../src/core/sim/traces';
import { streamLines } from '../src/core/sim/traces/file';
import { median } from './support';

const ROWS = 1_000_000;
const METRICS = ['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min'];
const RUNS = 3;

function writeTrace(file: string): void {
  writeFileSync(file, 'timestamp,metric,value\n');
  const start = Date.UTC(2026, 2, 10, 10);
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    const t = new Date(start + Math.floor(i / METRICS.length) * 15_000).toISOString().slice(0, 19).replace('T', ' ');
    const m = METRICS[i % METRICS.length];
    const v = m === 'latency_p95_ms' ? (150 + (i % 97)).toFixed(1) : m === 'success_rate' ? (99.9 + (i % 7) / 100).toFixed(3) : ((i % 53) / 100).toFixed(3);
    chunk += `${t},${m},${v}\n`;
    if (chunk.length > 1 << 20) {
      appendFileSync(file, chunk);
      chunk = '';
    }
  }
  appendFileSync(file, chunk);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-bench-'));
  try {
    const file = path.join(dir, 'trace.csv');
    writeTrace(file);
    const global = globalThis as { gc?: () => void };
    global.gc?.();

    const floor: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const lines = await streamLines(file, () => {});
      floor.push((lines - 1) / ((performance.now() - t0) / 1000));
    }

    const load: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      global.gc?.();
      const t0 = performance.now();
      const trace = await loadTrace([file]);
      const seconds = (performance.now() - t0) / 1000;
      let samples = 0;
      for (const s of trace.series.values()) samples += s.times.length;
      if (samples !== ROWS) throw new Error(`expected ${ROWS} samples, loaded ${samples}`);
      load.push(ROWS / seconds);
    }
    // maxRSS is the peak of the whole process so far (KiB): the runtime, the loader and three loaded traces.
    const peakMb = process.resourceUsage().maxRSS / 1024;

    const rowsPerS = median(load);
    const floorPerS = median(floor);
    console.log(`BENCH sim.csv_rows_per_s ${Math.round(rowsPerS)} rows/s`);
    console.log(`BENCH sim.csv_peak_rss_mb ${peakMb.toFixed(1)} MB`);
    console.log(`BENCH sim.csv_floor_rows_per_s ${Math.round(floorPerS)} rows/s`);
    console.log(`BENCH sim.csv_ratio_to_floor ${(rowsPerS / floorPerS).toFixed(3)} ratio`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
