/**
 * The one function that starts git. Arguments are fixed by the change reader (the only
 * user-given value, a `--base` ref, is resolved to a commit id before it reaches a command
 * that could read it as an option), the environment is scrubbed and every call carries the
 * overrides of ./safety (in GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n), is
 * bounded by a timeout and can be cancelled; either stops git's whole process group.
 *
 * git is spawned directly rather than through simple-git: simple-git's guard rejects the very
 * `filter.<name>.clean=` / `diff.external=` / `core.pager=` overrides that disable those
 * programs (it cannot tell switching one off from pointing it somewhere), so using it would
 * mean opening its guard for every one of those categories. A direct spawn of a fixed
 * argument vector also lets the diff be parsed as it streams.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../errors';
import { findStallingFile, gitEnv, overrides, type DriverNames, type Override } from './safety';

export interface GitContext {
  /** Folder git runs in. */
  cwd: string;
  /** Drivers of this repository to switch off (known after the first call). */
  drivers?: DriverNames;
  /** Further overrides for this repository (config routes pointed at /dev/null). */
  routes?: readonly Override[];
  /** Bound on each call, in ms; default: ROLLOUT_LENS_GIT_TIMEOUT_MS or DEFAULT_GIT_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Cancels every call of this read (a newer read supersedes it). */
  signal?: AbortSignal;
  onGit?: (args: string[], ms: number) => void;
  /** Run against a private copy of these per-worktree files (a split index; see withPrivateGitDir). */
  privateGitDir?: PrivateGitDir;
}

export interface PrivateGitDir {
  gitDir: string;
  commonDir: string;
  /** Names inside gitDir to copy. */
  files: string[];
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  /** Exit codes that are answers rather than failures (e.g. 1 for "no match"). */
  okCodes?: number[];
  /** Receives stdout as it arrives instead of collecting it. */
  onStdout?: (chunk: Buffer) => void;
  /** Written to git's stdin (e.g. a pattern list for `grep -f -`). */
  input?: string;
  /** Bound on this call, in ms (overrides the context's). */
  timeoutMs?: number;
  /** Cancels this call (overrides the context's). */
  signal?: AbortSignal;
}

/**
 * Two minutes: far more than git needs to diff, list or grep even a very large working tree from
 * a cold disk (seconds to tens of seconds), so an honest read is never cut short, yet a read that
 * waits on a FIFO or reads a device without end is reported while the user is still waiting.
 */
export const DEFAULT_GIT_TIMEOUT_MS = 120_000;
export const TIMEOUT_ENV = 'ROLLOUT_LENS_GIT_TIMEOUT_MS';

/** The bound of one call: the option, else the environment variable, else the default. */
export function gitTimeoutMs(explicit?: number, env: NodeJS.ProcessEnv = process.env): number {
  if (explicit !== undefined) {
    if (!Number.isFinite(explicit) || explicit <= 0) throw new InputError(`expected a number of milliseconds above 0, got ${explicit}`, { field: 'timeoutMs' });
    return explicit;
  }
  const raw = env[TIMEOUT_ENV];
  if (raw === undefined || raw === '') return DEFAULT_GIT_TIMEOUT_MS;
  if (!/^[1-9][0-9]*$/.test(raw.trim())) throw new InputError(`expected a whole number of milliseconds above 0, got "${raw}"`, { field: TIMEOUT_ENV });
  return Number(raw.trim());
}

/** Rejects a read that was cancelled; `name` is 'AbortError', as fetch and timers use. */
export class GitAborted extends Error {
  constructor(readonly args: string[]) {
    super(`git ${args[0]} was cancelled`);
    this.name = 'AbortError';
  }
}

export class GitFailure extends Error {
  constructor(
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed (exit ${code}): ${firstLine(stderr)}`);
    this.name = 'GitFailure';
  }
}

export function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

/** Calls still running: their groups are killed if Rollout Lens exits first, so none is left behind on a FIFO. */
const running = new Set<ChildProcess>();
let exitHook = false;

/**
 * Kills git and everything it started: git runs as the leader of its own process group (spawned
 * detached), so the whole group goes at once and no child is left reading a FIFO.
 */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Errors git reports about the repository's files that are bad input, not a failure of Rollout Lens. */
function badInputFromStderr(cwd: string, stderr: string): InputError | undefined {
  const unsupported = /^error: (.+): unsupported file type$/m.exec(stderr);
  if (unsupported) {
    const file = path.resolve(cwd, unsupported[1]);
    return new InputError(`${file}: neither a file, a symlink nor a folder, so git cannot hash it (expected a regular file where the repository tracks one)`, { file });
  }
  return undefined;
}

/** Runs `git <args>` in ctx.cwd with the overrides in its environment. Rejects with GitFailure on an unexpected exit code. */
export function runGit(ctx: GitContext, args: string[], opts: RunOptions = {}): Promise<GitResult> {
  const started = performance.now();
  let timeoutMs: number;
  try {
    timeoutMs = gitTimeoutMs(opts.timeoutMs ?? ctx.timeoutMs);
  } catch (e) {
    return Promise.reject(e);
  }
  const signal = opts.signal ?? ctx.signal;
  if (signal?.aborted) return Promise.reject(new GitAborted(args));
  const env = gitEnv(process.env, overrides(ctx.drivers, ctx.routes));
  if (!ctx.privateGitDir) return spawnGit(ctx, args, opts, timeoutMs, signal, env, started);
  const own = ctx.privateGitDir;
  return withPrivateGitDir(own, (dir) => spawnGit(ctx, args, opts, timeoutMs, signal, { ...env, GIT_DIR: dir, GIT_WORK_TREE: ctx.cwd }, started));
}

/**
 * Runs git against a private copy of the repository's per-worktree files (HEAD, the index and
 * the shared index files of a split index) that points at the real object and ref store. git
 * freshens the timestamp of a split index's shared file on every read, and no setting stops it;
 * with the copy, only the copy is touched.
 */
async function withPrivateGitDir<T>(own: PrivateGitDir, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollout-lens-index-'));
  try {
    await Promise.all(own.files.map((f) => copyFile(path.join(own.gitDir, f), path.join(dir, f))));
    await writeFile(path.join(dir, 'commondir'), `${own.commonDir}\n`);
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnGit(ctx: GitContext, args: string[], opts: RunOptions, timeoutMs: number, signal: AbortSignal | undefined, env: NodeJS.ProcessEnv, started: number): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', ...args], {
      cwd: ctx.cwd,
      env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
      detached: process.platform !== 'win32',
    });
    running.add(child);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => running.forEach(killGroup));
    }
    if (opts.input !== undefined && child.stdin) {
      // git may exit before reading everything (e.g. on a bad option): that is reported by its exit code.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failed: Error | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
      // git itself may be gone while something that escaped its group still holds the pipes open.
      if (child.exitCode !== null || child.signalCode !== null) {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }
    }, timeoutMs);
    const onAbort = () => {
      failed ??= new GitAborted(args);
      killGroup(child);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (!opts.onStdout) {
        out.push(chunk);
        return;
      }
      try {
        opts.onStdout(chunk);
      } catch (e) {
        // A parser that cannot go on stops the read; git is not left writing into a full pipe.
        failed = e as Error;
        killGroup(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    // A failed spawn emits 'error' and may or may not emit 'close' afterwards.
    let settled = false;
    const finish = () => {
      running.delete(child);
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      finish();
      reject(e.code === 'ENOENT' ? new InputError('git is not installed or not on PATH') : e);
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      finish();
      ctx.onGit?.(args, performance.now() - started);
      if (failed) return reject(failed);
      if (timedOut) {
        findStallingFile(ctx.cwd).then(
          (found) => reject(timeoutError(args, timeoutMs, found)),
          () => reject(timeoutError(args, timeoutMs, undefined)),
        );
        return;
      }
      const stderr = Buffer.concat(err).toString('utf8');
      const exit = code ?? 128;
      if (exit !== 0 && !(opts.okCodes ?? []).includes(exit)) return reject(badInputFromStderr(ctx.cwd, stderr) ?? new GitFailure(args, exit, stderr));
      resolve({ code: exit, stdout: Buffer.concat(out), stderr });
    });
  });
}

/**
 * Like Promise.all, but rejects only once every call has ended: a failed or cancelled read
 * returns with none of its git processes still running.
 */
export async function allSettled<T extends readonly unknown[]>(calls: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(calls);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function timeoutError(args: string[], ms: number, found: { file: string; kind: string } | undefined): InputError {
  if (found) {
    return new InputError(`${found.file}: a ${found.kind} where git reads a file; git ${args[0]} waited on it and was stopped after ${ms} ms (expected a regular file)`, { file: found.file });
  }
  return new InputError(
    `git ${args[0]} did not finish within ${ms} ms and was stopped (expected the read to finish; ${TIMEOUT_ENV} sets a longer bound, and a FIFO or device where git reads a file would explain it)`,
  );
}
