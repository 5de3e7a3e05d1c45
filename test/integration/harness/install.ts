/**
 * Where the browser VS Code lives (outside the repository, see scripts/ci/versions.sh) and how to
 * get it there: the same script .ci/run uses, so `npm ci && npm test` works on a fresh machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** The checkout this harness belongs to: from this file's folder, or (when loaded as an ES module, where tsx gives no usable __dirname) up from the working directory. */
function findRepoRoot(): string {
  const isRoot = (dir: string) => existsSync(path.join(dir, 'scripts', 'ci', 'versions.sh')) && existsSync(path.join(dir, 'package.json'));
  const fromFile = typeof __dirname === 'string' ? path.resolve(__dirname, '..', '..', '..') : '';
  if (fromFile && isRoot(fromFile)) return fromFile;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (isRoot(dir)) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the Rollout Lens checkout above ${process.cwd()}`);
  }
}

export const REPO_ROOT = findRepoRoot();
const VERSIONS_FILE = path.join(REPO_ROOT, 'scripts', 'ci', 'versions.sh');

function pinned(name: string): string {
  const m = new RegExp(`^${name}=(\\S+)$`, 'm').exec(readFileSync(VERSIONS_FILE, 'utf8'));
  if (!m) throw new Error(`${VERSIONS_FILE}: expected a line ${name}=<version>`);
  return m[1];
}

export interface CodeServerInstall {
  /** Node 24, which code-server's `engines` requires. */
  node: string;
  /** code-server's own entry script, run with `node`. */
  entry: string;
  version: string;
}

export function codeServerInstall(): CodeServerInstall {
  const cache = process.env.ROLLOUT_LENS_CACHE || path.join(homedir(), '.cache', 'rollout-lens');
  const version = pinned('CODE_SERVER_VERSION');
  return {
    node: path.join(cache, `node-${pinned('NODE24_VERSION')}`, 'bin', 'node'),
    entry: path.join(cache, `code-server-${version}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    version,
  };
}

export const CHROMIUM = process.env.ROLLOUT_LENS_CHROMIUM || '/usr/bin/chromium';

/** Installs code-server, Node 24 and Chromium if any is missing; a no-op when all are present. */
export function ensureCodeServer(): CodeServerInstall {
  const install = codeServerInstall();
  if (!existsSync(install.node) || !existsSync(install.entry) || !existsSync(CHROMIUM)) {
    process.stderr.write('code-server, Node 24 or Chromium missing: running scripts/ci/install-code-server.sh\n');
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'ci', 'install-code-server.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return install;
}
