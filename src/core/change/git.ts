/**
 * The one function that starts git. Arguments are fixed by the change reader (the only
 * user-given value, a `--base` ref, is resolved to a commit id before it reaches a command
 * that could read it as an option), the environment is scrubbed and every call carries the
 * overrides of ./safety.
 *
 * git is spawned directly rather than through simple-git: simple-git's argument guard
 * rejects the very `-c filter.<name>.clean=` / `-c diff.external=` / `-c core.pager=`
 * overrides that disable those programs (it cannot tell switching one off from pointing it
 * somewhere), so using it would mean opening its guard for every one of those categories.
 * A direct spawn of a fixed argument vector also lets the diff be parsed as it streams.
 */
import { spawn } from 'node:child_process';
import { InputError } from '../errors';
import { gitEnv, overrideArgs, type DriverNames } from './safety';

export interface GitContext {
  /** Folder git runs in. */
  cwd: string;
  /** Drivers of this repository to switch off (known after the first call). */
  drivers?: DriverNames;
  onGit?: (args: string[], ms: number) => void;
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

/** Runs `git <overrides> <args>` in ctx.cwd. Rejects with GitFailure on an unexpected exit code. */
export function runGit(ctx: GitContext, args: string[], opts: RunOptions = {}): Promise<GitResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', ...overrideArgs(ctx.drivers), ...args], {
      cwd: ctx.cwd,
      env: gitEnv(),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    if (opts.input !== undefined && child.stdin) {
      // git may exit before reading everything (e.g. on a bad option): that is reported by its exit code.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failed: Error | undefined;
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
        child.kill();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    // A failed spawn emits 'error' and may or may not emit 'close' afterwards.
    let settled = false;
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      reject(e.code === 'ENOENT' ? new InputError('git is not installed or not on PATH') : e);
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      ctx.onGit?.(args, performance.now() - started);
      if (failed) return reject(failed);
      const stderr = Buffer.concat(err).toString('utf8');
      const exit = code ?? 128;
      if (exit !== 0 && !(opts.okCodes ?? []).includes(exit)) return reject(new GitFailure(args, exit, stderr));
      resolve({ code: exit, stdout: Buffer.concat(out), stderr });
    });
  });
}
