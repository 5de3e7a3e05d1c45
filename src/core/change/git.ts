/**
 * The one function that starts git. Arguments are fixed by the change reader (the only
 * user-given value, a `--base` ref, is resolved to a commit id before it reaches a command
 * that could read it as an option), the environment is scrubbed and every call carries the
 * overrides of ./safety (in GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n), is
 * bounded by a timeout and can be cancelled.
 *
 * git runs through simple-git. Its guard refuses any setting or variable that names a program
 * unless the matching `unsafe` flag is on and the variable is allowed by name; UNSAFE_FLAGS
 * below turns on exactly the flags the constant overrides of ./safety need (each switches a
 * program off; the values are this program's, never the user's or the repository's), and
 * allowedEnvironment allows exactly the variables ./safety sets.
 *
 * What simple-git does and does not do here:
 * - stdout is read as it arrives through its outputHandler (the diff is parsed while git
 *   writes it), as bytes: file names need not be UTF-8;
 * - exit codes are judged here (its `errors` hook hands them over), so that 1 can mean "no match";
 * - cancelling goes through its `abort` option, which signals git itself;
 * - its `timeout.block` ends a call that has been silent for the bound, but is renewed by
 *   every chunk of output, so a timer here bounds each call's total time too and cancels it
 *   the same way. simple-git would start git in Rollout Lens's own process group and signal
 *   git alone; ./group starts each git as the leader of a group of its own instead, and a
 *   timeout, a cancellation or the end of Rollout Lens kills that whole group. With every
 *   driver, hook, pager and helper switched off git starts no program of its own for these
 *   reads; if one did, it ends with the call. The pipes are closed as well, so the call ends
 *   even if something still held them open.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitPluginError, simpleGit, type SimpleGitOptions } from 'simple-git';
import { InputError } from '../errors';
import { inOwnGroup, killGroup, whileRunning } from './group';
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

/**
 * The `unsafe` flags of simple-git that the overrides of ./safety need, and no other. Each
 * flag opens simple-git's guard for one kind of setting; every value that reaches git that way
 * is a constant of ./safety (or a driver name the repository's own configuration already
 * holds, with an empty value), so the guard's worry, a caller passing someone else's value
 * into git's configuration, does not arise: the values are ours, never the user's.
 */
export const UNSAFE_FLAGS: NonNullable<SimpleGitOptions['unsafe']> = {
  // GIT_CONFIG_COUNT with GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n: the channel every override below travels by; the count and the pairs are built by ./safety.
  allowUnsafeConfigEnvCount: true,
  // core.pager=cat and GIT_PAGER=cat, PAGER=cat: the constant `cat`, so nothing pages.
  allowUnsafePager: true,
  // core.askPass= and GIT_ASKPASS=: empty, so no prompt program runs.
  allowUnsafeAskPass: true,
  // core.fsmonitor=false: the constant false, so no fsmonitor hook runs.
  allowUnsafeFsMonitor: true,
  // core.hooksPath=/dev/null: the constant /dev/null, where no hook can be.
  allowUnsafeHooksPath: true,
  // core.editor= and sequence.editor=: empty, so no editor runs.
  allowUnsafeEditor: true,
  // core.sshCommand=: empty, so no ssh command runs.
  allowUnsafeSshCommand: true,
  // core.gitProxy=: empty, so no proxy command runs.
  allowUnsafeGitProxy: true,
  // credential.helper=: empty, which resets the list of helpers.
  allowUnsafeCredentialHelper: true,
  // gpg.program=, gpg.ssh.program=, gpg.x509.program=: empty, so no signing program runs.
  allowUnsafeGpgProgram: true,
  // uploadpack.packObjectsHook=: empty, so no hook runs.
  allowUnsafePack: true,
  // protocol.allow=never: the constant never, so no transport is used at all.
  allowUnsafeProtocolOverride: true,
  // diff.external= and diff.<driver>.command=: empty, so no external diff runs.
  allowUnsafeDiffExternal: true,
  // diff.<driver>.textconv=: empty, so no textconv program runs.
  allowUnsafeDiffTextConv: true,
  // filter.<driver>.clean= / smudge= / process= (and required=false): empty, so no filter runs.
  allowUnsafeFilter: true,
  // merge.<driver>.driver=: empty, so no merge driver runs.
  allowUnsafeMergeDriver: true,
};

/**
 * The variables of `env` that simple-git guards (every GIT_ variable, and PAGER) and that git
 * must still see. gitEnv removes every such variable the caller's environment had, so each one
 * left was set by ./safety or by runGit itself: the override pairs and their count, the
 * switches (no system config or attributes, no prompt, no optional locks), the pager `cat`, an
 * empty askpass, and GIT_DIR / GIT_WORK_TREE of a private copy of the index.
 */
export function allowedEnvironment(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env).filter((k) => /^git_/i.test(k) || k.toUpperCase() === 'PAGER');
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
  const stop = new AbortController();
  const out: Buffer[] = [];
  const streams: NodeJS.ReadableStream[] = [];
  let failed: Error | undefined;
  let timedOut = false;
  let exit: { code: number; stderr: string } | undefined;
  let child: ChildProcess | undefined;
  // Ends the call: git's process group is killed, and the pipes are closed so that nothing holding them keeps the call open.
  const cancel = () => {
    stop.abort();
    if (child) killGroup(child);
    for (const s of streams) (s as NodeJS.ReadableStream & { destroy(): void }).destroy();
  };
  const git = inOwnGroup(simpleGit({
    baseDir: ctx.cwd,
    unsafe: UNSAFE_FLAGS,
    allowEnvironment: allowedEnvironment(env),
    abort: stop.signal,
    // Renewed by every chunk: a silent git is stopped here; the timer below bounds the whole call.
    timeout: { block: timeoutMs },
    // Done when git's pipes close, so all of its output has been read; the default also ends a
    // call 50 ms after git exits, which on a busy machine can come before the last of the diff.
    completion: { onClose: true, onExit: false },
    // Exit codes are judged by runGit (a code in okCodes is an answer): simple-git only reports them.
    errors(error, result) {
      exit = { code: result.exitCode ?? 128, stderr: Buffer.concat(result.stdErr).toString('utf8') };
      if (error instanceof GitPluginError && error.plugin === 'timeout') timedOut = true;
      return undefined;
    },
  }), (spawned) => {
    child = spawned;
    whileRunning(spawned);
  })
    .env(env)
    .outputHandler((_command, stdout, stderr) => {
      streams.push(stdout, stderr);
      // simple-git keeps its own copy of all of stdout (and decodes it as UTF-8 at the end): the
      // one listener on it when this handler is called. stdout is read here, as bytes, once;
      // without that copy a 50 MB diff is not held twice. (Its timeout and completion
      // listeners are attached after this handler and stay.)
      stdout.removeAllListeners('data');
      // simple-git waits a further 50 ms after a call that printed nothing (most calls on a clean
      // tree); an empty chunk, once its listeners are attached, says output was seen. Nothing
      // is lost: 'close' has already guaranteed every pipe was read to its end.
      queueMicrotask(() => stderr.emit('data', Buffer.alloc(0)));
      stdout.on('data', (chunk: Buffer) => {
        if (failed || timedOut) return;
        if (!opts.onStdout) {
          out.push(chunk);
          return;
        }
        try {
          opts.onStdout(chunk);
        } catch (e) {
          // A parser that cannot go on stops the read; git is not left writing into a full pipe.
          failed = e as Error;
          cancel();
        }
      });
    });
  const timer = setTimeout(() => {
    timedOut = true;
    cancel();
  }, timeoutMs);
  const onAbort = () => {
    failed ??= new GitAborted(args);
    cancel();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const finish = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // simple-git's own silence bound signals git alone: what git started goes with it.
    if (timedOut && child) killGroup(child);
  };
  return git.raw(['--no-pager', ...args]).then(
    async () => {
      finish();
      ctx.onGit?.(args, performance.now() - started);
      if (failed) throw failed;
      if (timedOut) throw timeoutError(args, timeoutMs, await findStallingFile(ctx.cwd).catch(() => undefined));
      const { code, stderr } = exit ?? { code: 128, stderr: '' };
      // A spawn that failed reports a negative errno as its code and the error in stderr.
      if (code < 0 && /\bENOENT\b/.test(stderr)) throw new InputError('git is not installed or not on PATH');
      if (code !== 0 && !(opts.okCodes ?? []).includes(code)) throw badInputFromStderr(ctx.cwd, stderr) ?? new GitFailure(args, code, stderr);
      return { code, stdout: Buffer.concat(out), stderr };
    },
    (e: unknown) => {
      finish();
      throw failed ?? e;
    },
  );
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
