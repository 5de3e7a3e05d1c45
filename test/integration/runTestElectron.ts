/**
 * Runs the same integration suites inside a downloaded desktop VS Code with @vscode/test-electron:
 * once on the manifest's `engines.vscode` minimum and once on 'stable'. Needs a machine that can
 * reach VS Code's download server; offline, use test/integration/runCodeServer.ts.
 *
 *   npm run test:vscode      (ROLLOUT_LENS_VSCODE_VERSIONS=1.95.0,stable to choose)
 */
import { runTests } from '@vscode/test-electron';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeRiskyRepo } from '../fixtures/risky-repo';
import { REPO_ROOT } from './harness/install';

function versions(): string[] {
  const fromEnv = process.env.ROLLOUT_LENS_VSCODE_VERSIONS;
  if (fromEnv) return fromEnv.split(',').map((v) => v.trim()).filter(Boolean);
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  const minimum = manifest.engines.vscode.replace(/^[\^~>=\s]+/, '');
  return [minimum, 'stable'];
}

async function main(): Promise<number> {
  let failed = 0;
  for (const version of versions()) {
    const fixture = makeRiskyRepo();
    try {
      process.stdout.write(`integration: VS Code ${version}\n`);
      await runTests({
        version,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: path.join(REPO_ROOT, 'out', 'integration', 'index.js'),
        launchArgs: [fixture.dir, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
        extensionTestsEnv: { ROLLOUT_LENS_FIXTURE: fixture.dir },
      });
    } catch (e) {
      failed++;
      process.stderr.write(`integration: VS Code ${version} failed: ${(e as Error).message}\n`);
    } finally {
      fixture.cleanup();
    }
  }
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code));
