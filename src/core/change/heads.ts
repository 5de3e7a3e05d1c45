/**
 * Reads the heads of many working-tree files on two threads: this one and a reader thread, each
 * claiming the next file from one shared counter. This thread never waits for the reader: one that
 * is slow to start, busy or gone only means this thread reads more (once every file is claimed, the
 * batches still arriving are taken, and what the reader claimed but has not sent is read here
 * again rather than waited for). Opening and reading thousands
 * of small files is mostly system calls, which the reader thread makes while this one turns the
 * files already read into text.
 *
 * The reader thread is started once, on first use, and kept for later reads (the editor reads the
 * change again on every save); it never keeps the process alive. It opens files exactly as
 * readHead does: no-follow, non-blocking, regular files only, at most `limit` bytes of each.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { readFlags } from '../files';
import { eachInSlices, readHead, type Head } from './files';

/** Fewer files than this are read on this thread alone: starting the reader would cost more. */
export const PARALLEL_MIN_FILES = 1000;

/** What the reader thread is asked: read files `names[ends[i-1]..ends[i]]` under `root`, claimed through `counter`. */
interface ReadJob {
  id: number;
  /** The root with its trailing slash, as bytes. */
  root: Uint8Array;
  names: Uint8Array;
  ends: Int32Array;
  counter: Int32Array;
  limit: number;
  flags: number;
}

/** Files the reader thread read: file `index[k]` is `arena[start[k], start[k] + length[k])`, of `size[k]` bytes; size -1: not read. */
interface ReadBatch {
  id: number;
  index: Int32Array;
  start: Float64Array;
  length: Float64Array;
  size: Float64Array;
  arena: ArrayBuffer;
}

/**
 * The reader thread's code, run from its source text: it uses nothing of this module, only its
 * own variables and `require` (and no named inner functions, which a bundler may wrap in helpers).
 */
function readerThread(): void {
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const fs = require('node:fs') as typeof import('node:fs');
  // Files are read into an arena of 1 MB, and sent on once less than 64 KB of it is left.
  const ARENA_BYTES = 1 << 20;
  const ARENA_SLACK = 64 << 10;
  parentPort?.on('message', (job: ReadJob) => {
    const n = job.ends.length;
    const rootLength = job.root.length;
    let path = Buffer.allocUnsafe(4096);
    const arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
    let used = 0;
    let count = 0;
    let index = new Int32Array(256);
    let start = new Float64Array(256);
    let length = new Float64Array(256);
    let size = new Float64Array(256);
    for (;;) {
      const i = Atomics.add(job.counter, 0, 1);
      const last = i >= n;
      if (!last) {
        const from = i === 0 ? 0 : job.ends[i - 1];
        const nameLength = job.ends[i] - from;
        if (path.length < rootLength + nameLength) path = Buffer.allocUnsafe(2 * (rootLength + nameLength));
        path.set(job.root, 0);
        path.set(job.names.subarray(from, job.ends[i]), rootLength);
        let fd = -1;
        let got = 0;
        let total = -1;
        try {
          fd = fs.openSync(path.subarray(0, rootLength + nameLength), job.flags);
          const st = fs.fstatSync(fd);
          if (st.isFile()) {
            const want = Math.min(job.limit, st.size);
            if (used + want <= arena.length) {
              while (got < want) {
                const r = fs.readSync(fd, arena, used + got, want - got, got);
                if (r === 0) break;
                got += r;
              }
              total = st.size;
            } else {
              // Larger than the room left: handed back unread, for the other thread to read.
              total = -2;
            }
          }
        } catch {
          total = -1;
        } finally {
          if (fd >= 0) fs.closeSync(fd);
        }
        index[count] = i;
        start[count] = used;
        length[count] = total >= 0 ? got : 0;
        size[count] = total;
        count++;
        if (total >= 0) used += got;
      }
      if (count > 0 && (last || count === index.length || used > arena.length - ARENA_SLACK)) {
        // What was read goes in a copy of its own size; the arena is filled again.
        const sent = new ArrayBuffer(used);
        new Uint8Array(sent).set(arena.subarray(0, used));
        const batch: ReadBatch = { id: job.id, index: index.subarray(0, count), start: start.subarray(0, count), length: length.subarray(0, count), size: size.subarray(0, count), arena: sent };
        parentPort?.postMessage(batch, [sent, index.buffer, start.buffer, length.buffer, size.buffer]);
        if (last) break;
        used = 0;
        count = 0;
        index = new Int32Array(256);
        start = new Float64Array(256);
        length = new Float64Array(256);
        size = new Float64Array(256);
      }
      if (last) break;
    }
  });
}

type BatchHandler = (batch: ReadBatch) => void;

interface Reader {
  worker: Worker;
  /** Reads in flight, by id: each takes the batches of its files. */
  jobs: Map<number, BatchHandler>;
}

let reader: Reader | undefined;
/** Set once the thread failed: this process then reads on one thread only. */
let failed = false;
let nextJob = 1;

function readerOf(): Reader | undefined {
  if (reader) return reader;
  if (failed || availableParallelism() < 2) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(`(${readerThread.toString()})()`, { eval: true });
  } catch {
    failed = true;
    return undefined;
  }
  const own: Reader = { worker, jobs: new Map() };
  worker.on('message', (batch: ReadBatch) => own.jobs.get(batch.id)?.(batch));
  // Files it had claimed are read by the main thread at the end of each read.
  const gone = () => {
    if (reader === own) reader = undefined;
    own.jobs.clear();
  };
  worker.on('error', () => {
    failed = true;
    gone();
  });
  worker.on('exit', gone);
  // Last: a listener added later would hold the process open again.
  worker.unref();
  reader = own;
  return own;
}

/** How many entries of `flags` are set. */
function count(flags: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < flags.length; i++) k += flags[i];
  return k;
}

/**
 * Calls `fn` with each file's head (undefined: not a regular file, or not readable) and returns
 * the results in the order of `names`. `names` are relative to `root`, as bytes; `threads` 1 reads
 * them all on this thread.
 */
export async function eachHead<R>(root: string, names: readonly Buffer[], limit: number, threads: 1 | 2, fn: (name: Buffer, head: Head | undefined, index: number) => R): Promise<R[]> {
  const prefix = Buffer.from(root.endsWith('/') ? root : root + '/', 'utf8');
  const pathOf = (name: Buffer) => Buffer.concat([prefix, name]);
  const own = threads === 2 && names.length >= PARALLEL_MIN_FILES ? readerOf() : undefined;
  if (!own) return eachInSlices(names, (name, i) => fn(name, readHead(pathOf(name), limit), i));

  const n = names.length;
  const out = new Array<R>(n);
  const done = new Uint8Array(n);
  const ends = new Int32Array(n);
  let total = 0;
  names.forEach((name, i) => (ends[i] = total += name.length));
  const packed = Buffer.allocUnsafe(total);
  names.forEach((name, i) => packed.set(name, ends[i] - name.length));
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const id = nextJob++;

  const settle = (i: number, head: Head | undefined) => {
    out[i] = fn(names[i], head, i);
    done[i] = 1;
  };
  const readHere = (i: number) => settle(i, readHead(pathOf(names[i]), limit));
  // A failure of `fn` on a batch is this read's, reported where the read is awaited, not the thread's.
  let failure: { error: unknown } | undefined;
  own.jobs.set(id, (b) => {
    const arena = Buffer.from(b.arena);
    try {
      for (let k = 0; k < b.index.length && !failure; k++) {
        const i = b.index[k];
        if (done[i]) continue;
        // Handed back unread (no room in its arena): read here.
        if (b.size[k] === -2) readHere(i);
        else settle(i, b.size[k] < 0 ? undefined : { bytes: arena.subarray(b.start[k], b.start[k] + b.length[k]), size: b.size[k] });
      }
    } catch (error) {
      failure = { error };
    }
  });
  try {
    const job: ReadJob = { id, root: prefix, names: packed, ends, counter, limit, flags: readFlags(false) };
    own.worker.postMessage(job);
    await eachInSlices(names, () => {
      const i = failure ? n : Atomics.add(counter, 0, 1);
      if (i < n) readHere(i);
    });
    // Batches the reader has already sent are taken first (they arrive between turns of the event
    // loop, and while this thread was busy it may have read most of the files): the turns go on
    // while each brings some. What the reader claimed and has still not handed over is then read
    // here rather than waited for: on a busy machine the reader may not run again soon.
    for (let missing = n - count(done), before = missing + 1; missing > 0 && missing < before && !failure; before = missing, missing = n - count(done)) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < n && !failure; i++) if (!done[i]) readHere(i);
    if (failure) throw failure.error;
  } finally {
    own.jobs.delete(id);
  }
  return out;
}
