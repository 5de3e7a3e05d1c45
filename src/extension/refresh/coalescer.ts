/**
 * Turns bursts of editor events (saves, git index/HEAD writes, branch switches, policy edits)
 * into single analysis runs. A run starts once the events have been quiet for `delayMs`; an
 * event during a run aborts it (its result would already be stale) and schedules one more.
 * So one burst never runs git twice, and a stale result is never published.
 */

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type RefreshTask<T> = (signal: AbortSignal, reasons: string[]) => Promise<T>;

export class Coalescer<T> {
  private timer: unknown;
  private pending: string[] = [];
  private running: AbortController | undefined;
  private generation = 0;
  private disposed = false;
  /** The run in flight, even an aborted one: the next run waits until its git processes have ended. */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly task: RefreshTask<T>,
    private readonly publish: (result: T, reasons: string[]) => void,
    private readonly onError: (error: unknown) => void,
    private readonly delayMs = 300,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Records an event; the run happens once events stop for `delayMs`. */
  schedule(reason: string): void {
    if (this.disposed) return;
    this.pending.push(reason);
    this.generation++;
    this.running?.abort();
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => void this.fire(), this.delayMs);
  }

  /** Runs now, dropping any wait; resolves when this run (or the one that replaced it) ended. */
  async runNow(reason: string): Promise<void> {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.pending.push(reason);
    this.running?.abort();
    await this.fire();
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    if (this.disposed) return;
    const generation = ++this.generation;
    const controller = new AbortController();
    while (this.inFlight) await this.inFlight;
    // A newer event arrived while waiting: its own run will pick up these reasons.
    if (generation !== this.generation || this.disposed) return;
    const reasons = this.pending;
    this.pending = [];
    this.running = controller;
    const run = this.execute(controller, generation, reasons);
    this.inFlight = run;
    try {
      await run;
    } finally {
      if (this.inFlight === run) this.inFlight = undefined;
    }
  }

  private async execute(controller: AbortController, generation: number, reasons: string[]): Promise<void> {
    try {
      const result = await this.task(controller.signal, reasons);
      if (generation === this.generation && !controller.signal.aborted) this.publish(result, reasons);
    } catch (e) {
      if (generation === this.generation && !controller.signal.aborted) this.onError(e);
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.running?.abort();
  }
}
