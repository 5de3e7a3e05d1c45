import assert from 'node:assert/strict';
import { Coalescer, type Timers } from '../../../src/extension/refresh/coalescer';

/** Timers the test advances by hand. */
function manualTimers() {
  let now = 0;
  let next = 0;
  const queue = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set: (fn, ms) => {
      queue.set(++next, { at: now + ms, fn });
      return next;
    },
    clear: (h) => void queue.delete(h as number),
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const [h, t] of [...queue]) {
      if (t.at <= now) {
        queue.delete(h);
        t.fn();
      }
    }
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { timers, advance };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('extension: refresh coalescing', () => {
  it('runs once for a burst of events, with every reason', async () => {
    const { timers, advance } = manualTimers();
    const runs: string[][] = [];
    const published: number[] = [];
    const c = new Coalescer<number>(
      async (_s, reasons) => (runs.push(reasons), runs.length),
      (n) => published.push(n),
      (e) => assert.fail(String(e)),
      300,
      timers,
    );
    c.schedule('save');
    await advance(100);
    c.schedule('index');
    await advance(100);
    c.schedule('HEAD');
    await advance(299);
    assert.equal(runs.length, 0, 'still inside the quiet period');
    await advance(1);
    assert.deepEqual(runs, [['save', 'index', 'HEAD']]);
    assert.deepEqual(published, [1]);
  });

  it('aborts a stale run, never publishes it, and does not start git while the stale run is still going', async () => {
    const { timers, advance } = manualTimers();
    const gates = [deferred<string>(), deferred<string>()];
    let started = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const signals: AbortSignal[] = [];
    const published: string[] = [];
    const c = new Coalescer<string>(
      async (signal) => {
        signals.push(signal);
        const gate = gates[started++];
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        try {
          return await gate.promise;
        } finally {
          concurrent--;
        }
      },
      (r) => published.push(r),
      () => undefined,
      300,
      timers,
    );
    c.schedule('save');
    await advance(300);
    assert.equal(started, 1);
    c.schedule('HEAD');
    assert.equal(signals[0].aborted, true);
    await advance(300);
    assert.equal(started, 1, 'the second run waits for the first to finish');
    gates[0].resolve('stale');
    await advance(0);
    assert.equal(started, 2);
    gates[1].resolve('fresh');
    await advance(0);
    assert.deepEqual(published, ['fresh']);
    assert.equal(maxConcurrent, 1);
  });

  it('reports errors of the current run only', async () => {
    const { timers, advance } = manualTimers();
    const errors: unknown[] = [];
    const c = new Coalescer<number>(async () => { throw new Error('not a git repository'); }, () => undefined, (e) => errors.push(e), 10, timers);
    c.schedule('open');
    await advance(10);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /not a git repository/);
    c.dispose();
    c.schedule('later');
    await advance(10);
    assert.equal(errors.length, 1, 'nothing runs after dispose');
  });
});
