/**
 * A real Prometheus for the tests (Debian's `prometheus` package): backfilled with promtool from
 * OpenMetrics text, serving on 127.0.0.1 at a free port from a temporary folder, with no scraping.
 * Start-up waits on /-/ready with a bound, retries on a port taken in between, and stop() always
 * ends the process group and removes the folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../integration/harness/codeServer';
import { stopGroup, track } from '../../integration/harness/processGroup';

export interface PromServer {
  url: string;
  port: number;
  /** Ends the server (SIGTERM, then SIGKILL if it lingers); safe to call twice. */
  kill(): Promise<void>;
  /** kill() and remove the storage folder. */
  stop(): Promise<void>;
}

const READY_WITHIN_MS = 90_000;
const BACKFILL_WITHIN_MS = 180_000;
const PORT_ATTEMPTS = 5;

const missing = (tool: string) =>
  new Error(`${tool} is not installed: the tests need Debian's prometheus package (apt-get install prometheus; scripts/ci/install-code-server.sh installs it)`);

/** Runs a command to its end within `withinMs`, rejecting with its output on failure. */
function runTool(cmd: string, args: string[], withinMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), withinMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? missing(cmd) : e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${out.slice(-2000)}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Polls /-/ready until it answers 200, the process ends, or the bound passes. */
async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<'ready' | 'exited'> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let done = false;
  void exited(child).then(() => (done = true));
  while (Date.now() < deadline) {
    if (done) return 'exited';
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return 'ready';
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopGroup(child.pid!);
  throw new Error(`prometheus was not ready within ${READY_WITHIN_MS / 1000} s: ${log().slice(-2000)}`);
}

/** Backfills `openMetrics` into a fresh folder and serves it. */
export async function startPrometheus(openMetrics: string): Promise<PromServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-prometheus-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const data = path.join(dir, 'data');
    writeFileSync(path.join(dir, 'backfill.om'), openMetrics);
    // Day-long blocks: a 72 h backfill is a few blocks, not 36, and the server has nothing to compact.
    await runTool('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', path.join(dir, 'backfill.om'), data], BACKFILL_WITHIN_MS);
    const config = path.join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      let log = '';
      const child = spawn(
        'prometheus',
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${data}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // The backfilled data is months old: keep it.
          '--storage.tsdb.retention.time=36500d',
          '--log.level=warn',
        ],
        // Its own process group, killed by group, also when this process exits without stopping it.
        { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
      );
      if (child.pid !== undefined) track(child.pid);
      child.stderr!.on('data', (d) => (log = (log + d).slice(-8000)));
      const failed = new Promise<'error'>((resolve) => child.once('error', () => resolve('error')));
      const state = await Promise.race([waitReady(url, child, () => log), failed]);
      if (state === 'error') throw missing('prometheus');
      if (state === 'ready') {
        const kill = () => stopGroup(child.pid!, 10_000);
        return { url, port, kill, stop: async () => {
          await kill();
          cleanup();
        } };
      }
      if (!/address already in use/.test(log) || attempt >= PORT_ATTEMPTS) throw new Error(`prometheus exited on start (attempt ${attempt}): ${log.slice(-2000)}`);
    }
  } catch (e) {
    cleanup();
    throw e;
  }
}
