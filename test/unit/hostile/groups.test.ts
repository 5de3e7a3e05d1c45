/**
 * What git starts ends with it. A git that starts a program of its own (a wrapper, a build that
 * runs a helper) must not leave that program running when a read times out, is cancelled, or
 * when Rollout Lens itself is stopped: each git leads a process group of its own, and the group
 * is killed. The git here is a wrapper on PATH that starts a long `sleep` holding git's output
 * pipe open before running the real git, so the read cannot finish by itself; for a signal, a
 * process that registers a program the same way stands in for Rollout Lens.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readChange } from '../../../src/core/change';
import { InputError } from '../../../src/core/errors';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

/** Live (not zombie) processes whose command line is exactly `sleep <seconds>`. */
function sleepers(seconds: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
      if (state !== 'Z' && path.basename(argv[0]) === 'sleep' && argv[1] === seconds) found.push(Number(pid));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

const pause = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`waited ${ms} ms for ${what}`);
    await pause(25);
  }
}

/** A folder holding a `git` that starts `sleep <seconds>` (inheriting its pipes) and then runs the real git. */
function wrapperGit(seconds: string): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'rollout-lens-wrapped-git-'));
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nsleep ${seconds} &\nexec ${REAL_GIT} "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  return bin;
}

const unique = () => `${400 + Math.floor(Math.random() * 500)}.${process.pid % 1000}${Math.floor(Math.random() * 1000)}`;

describe('hostile repositories: what git starts ends with it', function () {
  if (process.platform === 'win32') return;
  this.timeout(90_000);
  let r: FixtureRepo;
  let bin: string;
  let seconds: string;
  let savedPath: string | undefined;
  beforeEach(() => {
    r = makeRepo({ commits: [{ 'a.txt': 'a\n' }], unstaged: { 'a.txt': 'a\nmore\n' } });
    seconds = unique();
    bin = wrapperGit(seconds);
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    for (const pid of sleepers(seconds)) process.kill(pid, 'SIGKILL');
    rmSync(bin, { recursive: true, force: true });
    r.cleanup();
  });

  it('a read that times out kills the programs git started', async () => {
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    await assert.rejects(readChange({ repo: r.dir, timeoutMs: 1500 }), (e: Error) => e instanceof InputError && /did not finish within 1500 ms/.test(e.message));
    process.env.PATH = savedPath;
    await until('the sleep git started to end', () => sleepers(seconds).length === 0, 5000);
  });

  it('a cancelled read kills the programs git started', async () => {
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    const ac = new AbortController();
    const read = readChange({ repo: r.dir, timeoutMs: 60_000, signal: ac.signal });
    await until('git to start its sleep', () => sleepers(seconds).length > 0);
    ac.abort();
    await assert.rejects(read, (e: Error) => e.name === 'AbortError');
    process.env.PATH = savedPath;
    await until('the sleep git started to end', () => sleepers(seconds).length === 0, 5000);
  });

  describe('Rollout Lens stopped by a signal', function () {
    // A process that runs a program the way a git is run (its own group, registered), says when it
    // is registered, and waits: as Rollout Lens is while it waits on git.
    const script = (seconds: string) => `
      const { spawn } = require('node:child_process');
      const { whileRunning } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/change/group.ts'))});
      const child = spawn('sh', ['-c', 'sleep ${seconds} & exec sleep ${seconds}'], { detached: true, stdio: 'ignore' });
      whileRunning(child);
      process.stdout.write('ready\\n');
      setInterval(() => undefined, 1000);
    `;
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      it(`${signal}: the process ends by that signal and the program's whole group with it`, async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', '-e', script(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
        const ended = new Promise<NodeJS.Signals | null>((ok) => child.once('exit', (_code, sig) => ok(sig)));
        await new Promise<void>((ok) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok()));
        await until('the program and the one it started to run', () => sleepers(seconds).length === 2);
        child.kill(signal);
        assert.equal(await ended, signal);
        await until('the program and the one it started to end', () => sleepers(seconds).length === 0, 5000);
      });
    }
  });

  describe('the CLI stopped by a signal', function () {
    let cli: CliUnderTest;
    before(async () => {
      cli = await buildCli('analyze', 'UTC');
    });
    after(() => cli.cleanup());

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`${signal}: the CLI ends by that signal and nothing git started survives it`, async () => {
        const child = spawn(process.execPath, [path.join(cli.dir, 'cli.js'), 'analyze', '--repo', r.dir], {
          cwd: cli.dir,
          stdio: 'ignore',
          env: { ...process.env, PATH: `${bin}${path.delimiter}${savedPath}`, ROLLOUT_LENS_GIT_TIMEOUT_MS: '60000' },
        });
        const ended = new Promise<NodeJS.Signals | null>((ok) => child.once('exit', (_code, sig) => ok(sig)));
        await until('git to start its sleep', () => sleepers(seconds).length > 0);
        child.kill(signal);
        assert.equal(await ended, signal);
        await until('the sleep git started to end', () => sleepers(seconds).length === 0, 5000);
      });
    }
  });
});
