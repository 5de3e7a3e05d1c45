/** The bundled CLI run asynchronously, so a server in the test process keeps answering while it runs. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(dir: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(dir, 'cli.js'), 'simulate', ...args], {
      cwd: dir,
      env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', ROLLOUT_LENS_PROMETHEUS_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
