/**
 * Every server a test starts runs in its own process group and is killed by group: killing only
 * code-server's wrapper would leave its extension host (and the extension under test) running.
 * Groups still alive when this process exits — normally, by Ctrl-C or by an uncaught error — are
 * killed from the exit handlers.
 */
const live = new Set<number>();
let handlersInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const pgid of live) killGroup(pgid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pgid of live) killGroup(pgid, 'SIGKILL');
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

export function track(pgid: number): void {
  installHandlers();
  live.add(pgid);
}

function alive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, then SIGKILL if anything in it outlives `graceMs`. */
export async function stopGroup(pgid: number, graceMs = 3000): Promise<void> {
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pgid)) killGroup(pgid, 'SIGKILL');
  live.delete(pgid);
}
