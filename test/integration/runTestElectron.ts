/**
 * Runs the same integration suites inside a downloaded desktop VS Code with @vscode/test-electron:
 * every launch of ./launches (trusted folder, untrusted folder, multi-root workspace), each with a
 * user-data folder of its own so that no trust decision or state carries from one to the next,
 * once on the manifest's `engines.vscode` minimum and once on 'stable'. Needs a machine that can
 * reach VS Code's download server; offline, use test/integration/runCodeServer.ts.
 *
 *   npm run test:vscode      (ROLLOUT_LENS_VSCODE_VERSIONS=1.95.0,stable and
 *                             ROLLOUT_LENS_INTEGRATION_RUNS=trusted,untrusted,multiroot to choose)
 */
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './harness/install';
import { launches, type Launch } from './launches';

function versions(): string[] {
  const fromEnv = process.env.ROLLOUT_LENS_VSCODE_VERSIONS;
  if (fromEnv) return fromEnv.split(',').map((v) => v.trim()).filter(Boolean);
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  const minimum = manifest.engines.vscode.replace(/^[\^~>=\s]+/, '');
  return [minimum, 'stable'];
}

async function runLaunch(version: string, launch: Launch): Promise<void> {
  const fixture = launch.workspace();
  const userData = mkdtempSync(path.join(tmpdir(), 'rollout-lens-vscode-user-'));
  try {
    await runTests({
      version,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'integration', 'index.js'),
      launchArgs: [
        fixture.open,
        '--disable-extensions',
        ...(launch.workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${userData}`,
      ],
      extensionTestsEnv: { ROLLOUT_LENS_FIXTURE: fixture.fixture, ROLLOUT_LENS_SUITES: launch.suites },
    });
  } finally {
    fixture.cleanup();
    rmSync(userData, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let failed = 0;
  const chosen = launches();
  for (const version of versions()) {
    for (const launch of chosen) {
      process.stdout.write(`integration: VS Code ${version}, ${launch.name} workspace (workspace trust ${launch.workspaceTrust ? 'on' : 'off'})\n`);
      try {
        await runLaunch(version, launch);
      } catch (e) {
        failed++;
        process.stderr.write(`integration: VS Code ${version}, ${launch.name} workspace failed: ${(e as Error).message}\n`);
      }
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`integration: ${e.message}\n`);
    process.exit(1);
  },
);
