// `npm run sandbox`: the browser VS Code the tests use, on 127.0.0.1, with Rollout Lens loaded
// from this folder and the risky example repository open. Runs until Ctrl-C, then stops
// code-server's whole process group and removes the example repository.
//   ROLLOUT_LENS_SANDBOX_PORT=8080 npm run sandbox    (a free port by default)
import { makeRiskyRepo } from '../test/fixtures/risky-repo.ts';
import { startCodeServer } from '../test/integration/harness/codeServer.ts';
import { REPO_ROOT } from '../test/integration/harness/install.ts';

const port = process.env.ROLLOUT_LENS_SANDBOX_PORT ? Number(process.env.ROLLOUT_LENS_SANDBOX_PORT) : undefined;
const fixture = makeRiskyRepo('rollout-lens-sandbox-');
process.on('exit', () => fixture.cleanup());
const server = await startCodeServer({ port });
const url = server.workbenchUrl(fixture.dir, { extensionDevelopmentPath: REPO_ROOT });
process.stdout.write(
  `\nRollout Lens sandbox\n  open:       ${url}\n  repository: ${fixture.dir} (uncommitted: a DROP COLUMN migration and a payment change)\n  log:        ${server.logFile}\nCtrl-C stops it.\n`,
);
// The exit handlers in the harness stop the process group on Ctrl-C; keep this process alive until then.
setInterval(() => {}, 1 << 30);
