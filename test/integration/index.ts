/**
 * The suite runner VS Code calls inside its extension host (`extensionTestsPath`), the same under
 * @vscode/test-electron and under code-server: it loads every bundled suite next to it, runs them
 * with mocha, and rejects when any test fails — VS Code turns that into the exit code.
 */
import Mocha from 'mocha';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { SUITE_LOG_MARK } from './harness/suiteLog';

function suiteFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...suiteFiles(abs));
    else if (entry.name.endsWith('.test.js')) out.push(abs);
  }
  return out.sort();
}

interface Report {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

export function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(SUITE_LOG_MARK + format(...args));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.ROLLOUT_LENS_GREP;
  if (grep) mocha.grep(grep);
  // Each launch names the suite folders meant for its workspace: the trusted one runs the
  // feature suites, the untrusted one (workspace trust on) runs the restricted-mode suite.
  const dirs = (process.env.ROLLOUT_LENS_SUITES ?? 'suite,smoke').split(',').map((d) => path.join(__dirname, 'suite', d.trim()));
  const files = dirs.flatMap((d) => (existsSync(d) ? suiteFiles(d) : []));
  if (files.length === 0) return Promise.reject(new Error(`no integration suites (*.test.js) under ${dirs.join(', ')}`));
  for (const f of files) mocha.addFile(f);
  const report: Report = { passed: 0, failed: 0, pending: 0, failures: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The launcher reads this to print results and counts, whichever way the host's console is wired.
      const reportFile = process.env.ROLLOUT_LENS_INTEGRATION_REPORT;
      if (reportFile) writeFileSync(reportFile, JSON.stringify(report, null, 2));
      if (failures > 0 || report.passed === 0) reject(new Error(`${failures} integration test(s) failed, ${report.passed} passed`));
      else resolve();
    });
    runner.on('pass', () => report.passed++);
    runner.on('pending', () => report.pending++);
    runner.on('fail', (test, err: Error) => {
      report.failed++;
      report.failures.push({ title: test.fullTitle(), error: err.stack ?? String(err) });
    });
  });
}
