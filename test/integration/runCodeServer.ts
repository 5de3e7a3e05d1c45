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
import { makeRiskyRepo } from '../fixtures/risky-repo';
import { launchChromium, newWorkbenchPage, screenshot } from './harness/browser';
import { startCodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/install';
import { SUITE_LOG_MARK } from './harness/suiteLog';

const LOG_DIR = path.join(REPO_ROOT, 'test-output', 'integration');
const TIMEOUT_MS = Number(process.env.ROLLOUT_LENS_INTEGRATION_TIMEOUT_MS ?? 300_000);

interface Report {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

async function main(): Promise<number> {
  const testsPath = path.join(REPO_ROOT, 'out', 'integration', 'index.js');
  for (const f of [testsPath, path.join(REPO_ROOT, 'dist', 'extension.js')]) {
    if (!existsSync(f)) throw new Error(`${path.relative(REPO_ROOT, f)} is missing: run \`npm run build && node scripts/ci/build-integration.mjs\``);
  }
  const fixture = makeRiskyRepo();
  const scratch = mkdtempSync(path.join(tmpdir(), 'rollout-lens-integration-'));
  const reportFile = path.join(scratch, 'report.json');
  const started = Date.now();
  const server = await startCodeServer({ env: { ROLLOUT_LENS_FIXTURE: fixture.dir, ROLLOUT_LENS_INTEGRATION_REPORT: reportFile } });
  const browser = await launchChromium();
  let code = 1;
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
    await page.goto(server.workbenchUrl(fixture.dir, { extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: testsPath }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), TIMEOUT_MS)));
    code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (code === -1) {
      const shot = await screenshot(page, 'integration-timeout');
      process.stderr.write(`integration: no result from the extension host within ${TIMEOUT_MS} ms (screen: ${shot})\n`);
      code = 1;
    }
    if (code !== 0) {
      // Kept as artifacts rather than printed: the failures below are what a reader needs first.
      mkdirSync(LOG_DIR, { recursive: true });
      writeFileSync(path.join(LOG_DIR, 'workbench.log'), workbenchLog.join('\n'));
      writeFileSync(path.join(LOG_DIR, 'code-server.log'), server.log());
      process.stdout.write(`integration: workbench and code-server logs in ${path.relative(REPO_ROOT, LOG_DIR)}/\n`);
    }
    printReport(reportFile, code);
  } finally {
    await browser.close();
    await server.stop();
    fixture.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(`integration: code-server ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code}\n`);
  return code;
}

function printReport(file: string, code: number): void {
  if (!existsSync(file)) {
    process.stdout.write(`integration: the suite runner wrote no report (exit ${code}): did the extension host load out/integration/index.js?\n`);
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8')) as Report;
  for (const f of r.failures) process.stdout.write(`\n  FAILED ${f.title}\n    ${f.error.split('\n').join('\n    ')}\n`);
  process.stdout.write(`integration: ${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} skipped` : ''}\n`);
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`integration: ${e.message}\n`);
    process.exit(1);
  },
);
