/**
 * git in a process group of its own, so that ending a call ends everything it started.
 *
 * simple-git starts git in Rollout Lens's own process group and, when a call is cancelled,
 * signals git alone: a program git had started (it starts none for these reads, with every
 * driver, hook, pager and helper switched off, but a git built or wrapped otherwise may) would
 * outlive the call and keep a FIFO, a device or the CPU busy. On POSIX systems each git is
 * started as the leader of a new process group instead, and cancelling, a timeout or the end of
 * Rollout Lens kills the whole group. (Windows has no process groups: there git is started as
 * before, and ended alone.)
 *
 * simple-git has no public way to change how it spawns; its plugin store, which its own options
 * fill, takes the two plugins below.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { SimpleGit } from 'simple-git';

interface SpawnAfterContext {
  spawned: ChildProcess;
}
interface PluginStore {
  add(plugins: unknown[]): () => void;
}

/** Process groups exist, and a child can lead one. */
export const GROUPS = process.platform !== 'win32';

/**
 * Makes every git this instance starts the leader of its own process group (on POSIX) and hands
 * each started process to `started`. Throws if simple-git no longer has the plugin store, so that
 * an upgrade that removes it fails the tests instead of silently losing the guarantee.
 */
export function inOwnGroup(git: SimpleGit, started: (child: ChildProcess) => void): SimpleGit {
  const store = (git as unknown as { _plugins?: PluginStore })._plugins;
  if (!store || typeof store.add !== 'function') throw new Error('simple-git has no plugin store: git cannot be started in a process group of its own');
  // Armed before the first git starts: a signal that came between a spawn and its registration
  // would otherwise find no handler and end Rollout Lens with the group still running.
  armExitHooks();
  store.add([
    {
      type: 'spawn.options',
      action: (options: SpawnOptions) => (GROUPS ? { ...options, detached: true } : options),
    },
    {
      type: 'spawn.after',
      action: (_: unknown, context: SpawnAfterContext) => started(context.spawned),
    },
  ]);
  return git;
}

/**
 * Kills the process group `child` leads (or, without groups, the child). Quiet when it is gone.
 */
export function killGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  try {
    if (GROUPS) process.kill(-pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // The group has already ended.
  }
}

const live = new Set<ChildProcess>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooked = false;
/** Set once Rollout Lens is exiting or stopping on a signal. */
let ending = false;

/**
 * Registers a started git until it closes. While any git runs, the end of Rollout Lens (its exit,
 * or SIGINT, SIGTERM or SIGHUP: a group of its own no longer gets the terminal's Ctrl-C) kills its
 * group first. A signal nobody else listens for is raised again once the groups are killed, so
 * the process still ends the way it would have.
 */
export function whileRunning(child: ChildProcess): void {
  armExitHooks();
  // Rollout Lens is ending: a git started now (a read going on after the others were killed)
  // would outlive it. Its group is killed at once.
  if (ending) {
    killGroup(child);
    return;
  }
  live.add(child);
  child.once('close', () => live.delete(child));
  child.once('error', () => live.delete(child));
}

function armExitHooks(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function killAll(): void {
  ending = true;
  for (const child of live) killGroup(child);
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Another listener decides what the signal does (the extension host's own): the process may go
  // on, and so may its reads.
  if (process.listenerCount(signal) > 1) {
    ending = false;
    return;
  }
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}
