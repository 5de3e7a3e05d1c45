/**
 * Starts code-server, loads Rollout Lens from this folder into its extension host with the risky
 * example repository open, and prints how long that took:
 *   ext.codeserver_start_ms  spawn → /healthz answers
 *   ext.host_ready_ms        workbench URL opened → the extension host ran the probe
 *   ext.activate_ms          the extension's own activation time (activationMs() of what activate() returns)
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeRiskyRepo } from '../test/fixtures/risky-repo';
import { launchChromium, newWorkbenchPage } from '../test/integration/harness/browser';
import { startCodeServer } from '../test/integration/harness/codeServer';
import { REPO_ROOT } from '../test/integration/harness/install';

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'rollout-lens-bench-'));
  const probe = path.join(scratch, 'probe.js');
  const report = path.join(scratch, 'report.json');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'test/integration/harness/activationProbe.ts')],
    outfile: probe,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'error',
  });
  const fixture = makeRiskyRepo();
  const t0 = performance.now();
  const server = await startCodeServer({ env: { ROLLOUT_LENS_PROBE_REPORT: report } });
  const startMs = performance.now() - t0;
  const browser = await launchChromium();
  try {
    const page = await newWorkbenchPage(browser);
    let reportExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (c: number) => reportExit(Number(c)));
    await page.exposeFunction('codeAutomationLog', () => undefined);
    const t1 = performance.now();
    await page.goto(server.workbenchUrl(fixture.dir, { extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: probe }));
    const code = await Promise.race([exit, new Promise<number>((r) => setTimeout(() => r(-1), 120_000))]);
    const hostReadyMs = performance.now() - t1;
    if (code !== 0 || !existsSync(report)) throw new Error(`the activation probe failed (exit ${code})\n${server.log()}`);
    const r = JSON.parse(readFileSync(report, 'utf8')) as { activationMs?: number };
    process.stdout.write(`BENCH ext.codeserver_start_ms ${startMs.toFixed(0)} ms\n`);
    process.stdout.write(`BENCH ext.host_ready_ms ${hostReadyMs.toFixed(0)} ms\n`);
    if (typeof r.activationMs === 'number') process.stdout.write(`BENCH ext.activate_ms ${r.activationMs.toFixed(1)} ms\n`);
    else process.stderr.write('bench: the extension\'s activate() returned no activationMs(); ext.activate_ms not measured\n');
  } finally {
    await browser.close();
    await server.stop();
    fixture.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
});
