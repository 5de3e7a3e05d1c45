/**
 * Starts code-server — VS Code's real workbench and Node extension host — on a free loopback
 * port, with a throwaway profile, and builds the workbench URLs that load an extension under
 * development and, optionally, a test suite (the payload @vscode/test-electron would pass on
 * the command line).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer } from './install';
import { stopGroup, track } from './processGroup';

export interface CodeServerOptions {
  /** Extensions installed from a VSIX go here; a fresh empty folder by default. */
  extensionsDir?: string;
  /** Leave workspace trust on (the trust tests); off by default so a fixture folder is trusted. */
  workspaceTrust?: boolean;
  /** Extra environment for the server and its extension host. */
  env?: Record<string, string>;
  /** A fixed port (the sandbox); a free one by default. */
  port?: number;
  /** User settings on top of the quiet defaults (e.g. the starting color theme). */
  userSettings?: Record<string, unknown>;
}

export interface CodeServer {
  origin: string;
  port: number;
  pid: number;
  /** Folder with the profile, extensions and the server's log. */
  home: string;
  extensionsDir: string;
  logFile: string;
  /** `/?folder=...&payload=...` for a workspace, with the extension and tests to load. */
  workbenchUrl(workspace: string, load?: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  /** The server's log so far (for failure messages). */
  log(): string;
  /** Stops the whole process group and removes the throwaway profile. */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Environment pointing every per-user folder into `home`, so nothing lands in ~. */
function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(home, 'xdg-config'),
    XDG_DATA_HOME: path.join(home, 'xdg-data'),
    XDG_CACHE_HOME: path.join(home, 'xdg-cache'),
    ...extra,
  };
  // The test runner's own mocha/tsx settings must not leak into the extension host.
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

function prepareHome(opts: CodeServerOptions): { home: string; userDataDir: string; extensionsDir: string; config: string } {
  const home = mkdtempSync(path.join(tmpdir(), 'rollout-lens-code-server-'));
  const userDataDir = path.join(home, 'user-data');
  const extensionsDir = opts.extensionsDir ?? path.join(home, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...opts.userSettings }, null, 2));
  const config = path.join(home, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  return { home, userDataDir, extensionsDir, config };
}

/** Installs a VSIX into `extensionsDir` with the code-server CLI; rejects with its output on failure. */
export async function installVsix(vsix: string, extensionsDir: string): Promise<string> {
  const install = ensureCodeServer();
  const home = mkdtempSync(path.join(tmpdir(), 'rollout-lens-vsix-install-'));
  try {
    return await runToEnd(install.node, [install.entry, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(home, 'u'), '--install-extension', vsix], isolatedEnv(home));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) track(child.pid);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (child.pid) void stopGroup(child.pid, 0);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} ${args.slice(1).join(' ')} exited ${code}:\n${out}`));
    });
  });
}

async function waitHealthy(origin: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = exited();
    if (why) throw new Error(why);
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const install = ensureCodeServer();
  const { home, userDataDir, extensionsDir, config } = prepareHome(opts);
  const port = opts.port ?? (await freePort());
  const host = '127.0.0.1';
  const args = [
    install.entry,
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    '--config', config,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    // Without the smoke-test driver the workbench ignores the URL's payload: no extension under development, no suite.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  if (!opts.workspaceTrust) args.push('--disable-workspace-trust');
  const logFile = path.join(home, 'code-server.log');
  const logStream = createWriteStream(logFile);
  // detached: its own process group, so stop() reaches the extension host and every other child.
  const child = spawn(install.node, args, { env: isolatedEnv(home, opts.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (!child.pid) throw new Error(`could not start ${install.node} ${install.entry}`);
  const pid = child.pid;
  track(pid);
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  let exitReason: string | undefined;
  child.on('exit', (code, signal) => (exitReason = `code-server exited early (${signal ?? code}); log: ${logFile}`));
  child.on('error', (e) => (exitReason = `code-server failed to start: ${e.message}`));
  const origin = `http://${host}:${port}`;
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitHealthy(origin, 30_000, () => exitReason);
  } catch (e) {
    await stopGroup(pid);
    throw new Error(`${(e as Error).message}\n${readLog()}`);
  }
  const remote = (abs: string) => `vscode-remote://${host}:${port}${abs}`;
  let stopped = false;
  return {
    origin,
    port,
    pid,
    home,
    extensionsDir,
    logFile,
    log: readLog,
    workbenchUrl(workspace, load = {}) {
      const payload: [string, string][] = [];
      if (load.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(load.extensionDevelopmentPath)]);
      if (load.extensionTestsPath) payload.push(['extensionTestsPath', remote(load.extensionTestsPath)]);
      payload.push(['skipWelcome', 'true']);
      // A `.code-workspace` file opens as a multi-root workspace, anything else as a folder.
      const open = workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
      return `${origin}/?${open}=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopGroup(pid);
      logStream.end();
      if (!process.env.ROLLOUT_LENS_KEEP_TEMP) rmSync(home, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
