/**
 * Runs the integration suites inside code-server's real extension host, the way
 * @vscode/test-electron would inside a downloaded VS Code: the workbench URL carries
 * extensionDevelopmentPath and extensionTestsPath, VS Code calls out/integration/index.js's
 * run(), and reports the result through window.codeAutomationExit. Exits with that code.
 *
 *   node --import tsx test/integration/runCodeServer.ts     (after `npm run build` and scripts/ci/build-integration.mjs)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchChromium, newWorkbenchPage, screenshot } from './harness/browser';
import { startCodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/install';
import { SUITE_LOG_MARK } from './harness/suiteLog';
import { launches, type Launch } from './launches';

const LOG_DIR = path.join(REPO_ROOT, 'test-output', 'integration');
const TIMEOUT_MS = Number(process.env.ROLLOUT_LENS_INTEGRATION_TIMEOUT_MS ?? 300_000);

interface Report {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

/** One code-server launch per workspace kind of ./launches, each in a fresh browser profile. */
async function main(): Promise<number> {
  const testsPath = path.join(REPO_ROOT, 'out', 'integration', 'index.js');
  for (const f of [testsPath, path.join(REPO_ROOT, 'dist', 'extension.js')]) {
    if (!existsSync(f)) throw new Error(`${path.relative(REPO_ROOT, f)} is missing: run \`npm run build && node scripts/ci/build-integration.mjs\``);
  }
  const totals = { passed: 0, failed: 0, pending: 0 };
  let code = 0;
  for (const launch of launches()) {
    process.stdout.write(`\nintegration: ${launch.name} workspace (workspace trust ${launch.workspaceTrust ? 'on' : 'off'})\n`);
    const r = await runLaunch(launch, testsPath);
    totals.passed += r.report?.passed ?? 0;
    totals.failed += r.report?.failed ?? (r.code === 0 ? 0 : 1);
    totals.pending += r.report?.pending ?? 0;
    if (r.code !== 0) code = 1;
  }
  // The one closing count `npm test` reads for this layer.
  process.stdout.write(`integration: ${totals.passed} passed, ${totals.failed} failed${totals.pending ? `, ${totals.pending} skipped` : ''}\n`);
  return code;
}

async function runLaunch(launch: Launch, testsPath: string): Promise<{ code: number; report?: Report }> {
  const fixture = launch.workspace();
  const scratch = mkdtempSync(path.join(tmpdir(), 'rollout-lens-integration-'));
  const reportFile = path.join(scratch, 'report.json');
  const started = Date.now();
  const server = await startCodeServer({
    workspaceTrust: launch.workspaceTrust,
    env: { ROLLOUT_LENS_FIXTURE: fixture.fixture, ROLLOUT_LENS_INTEGRATION_REPORT: reportFile, ROLLOUT_LENS_SUITES: launch.suites },
  });
  const browser = await launchChromium();
  let code = 1;
  let report: Report | undefined;
  const workbenchLog: string[] = [];
  try {
    const page = await newWorkbenchPage(browser);
    let reportExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (reportExit = resolve));
    // Both must exist before the workbench loads: it looks them up when the suite finishes.
    await page.exposeFunction('codeAutomationExit', (c: number) => reportExit(Number(c)));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      // mocha's lines are shown as they come; the workbench's own chatter only if the run fails.
      if (line.startsWith(SUITE_LOG_MARK)) process.stdout.write(line.slice(SUITE_LOG_MARK.length) + '\n');
      else workbenchLog.push(`[${type}] ${line}`);
    });
    await page.goto(server.workbenchUrl(fixture.open, { extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: testsPath }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), TIMEOUT_MS)));
    code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (code === -1) {
      const shot = await screenshot(page, `integration-${launch.name}-timeout`);
      process.stderr.write(`integration: no result from the extension host within ${TIMEOUT_MS} ms (screen: ${shot})\n`);
      code = 1;
    }
    if (code !== 0) {
      // Kept as artifacts rather than printed: the failures below are what a reader needs first.
      const dir = path.join(LOG_DIR, launch.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'workbench.log'), workbenchLog.join('\n'));
      writeFileSync(path.join(dir, 'code-server.log'), server.log());
      process.stdout.write(`integration: workbench and code-server logs in ${path.relative(REPO_ROOT, dir)}/\n`);
    }
    report = printReport(reportFile, code, launch.name);
  } finally {
    await browser.close();
    await server.stop();
    fixture.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(`integration: ${launch.name} code-server ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code}\n`);
  return { code, report };
}

function printReport(file: string, code: number, name: string): Report | undefined {
  if (!existsSync(file)) {
    process.stdout.write(`integration: the ${name} suite runner wrote no report (exit ${code}): did the extension host load out/integration/index.js?\n`);
    return undefined;
  }
  const r = JSON.parse(readFileSync(file, 'utf8')) as Report;
  for (const f of r.failures) process.stdout.write(`\n  FAILED ${f.title}\n    ${f.error.split('\n').join('\n    ')}\n`);
  // Not "N passed, N failed" on its own: only the closing total below is the layer's count.
  process.stdout.write(`integration: ${name} workspace — ${r.passed} passing, ${r.failed} failing${r.pending ? `, ${r.pending} pending` : ''}\n`);
  return r;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`integration: ${e.message}\n`);
    process.exit(1);
  },
);
