/**
 * A large change is judged on two threads: this one and a judge thread, which prepares, parses and
 * judges a share of the change's code files while this thread does the rest. The answers are the
 * ones a single thread gives: the judge thread runs the same functions on the same files, with what
 * the whole change decides (the reference search, the writing helpers, moved code, settings) sent
 * to it once this thread knows it.
 *
 * Files travel as a few strings and typed arrays each, not as objects per line, so sending them
 * costs about a copy of their text. The thread is started on the first large change and kept for
 * later ones (the editor analyses again on every save); it never keeps the process alive. If it
 * cannot start, fails or stops, this thread judges its share itself.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChangedFile, ChangedLine } from '../change/types';
import type { Policy } from '../policy/schema';
import type { FunctionSpan } from './functions';
import type { MovedLines } from './moves';
import type { WritingHelper } from './rules/write-through';
import type { Finding, Signal } from './types';

/** A change with fewer changed lines than this in the files a judge thread could take is judged here alone. */
export const PARALLEL_MIN_LINES = 20_000;
/** The judge thread's share of those lines: it starts later than this thread, which also runs the search. */
const SHARE = 0.45;

/** A changed file as it is sent: its lines as one text and their numbers. */
export interface WireFile {
  path: string;
  oldPath?: string;
  status: ChangedFile['status'];
  linesAdded: number;
  linesDeleted: number;
  content: string;
  /** start, end of each range. */
  ranges: Int32Array;
  added: Int32Array;
  addedText: string;
  removed: Int32Array;
  /** Each removed line's `after`, -1 where it has none. */
  removedAfter: Int32Array;
  removedText: string;
}

function joinLines(lines: readonly ChangedLine[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) out += i ? `\n${lines[i].text}` : lines[i].text;
  return out;
}

export function encodeFile(f: ChangedFile): WireFile {
  const ranges = new Int32Array(f.ranges.length * 2);
  f.ranges.forEach((r, i) => {
    ranges[2 * i] = r.start;
    ranges[2 * i + 1] = r.end;
  });
  return {
    path: f.path,
    ...(f.oldPath !== undefined ? { oldPath: f.oldPath } : {}),
    status: f.status,
    linesAdded: f.linesAdded,
    linesDeleted: f.linesDeleted,
    content: f.content ?? '',
    ranges,
    added: Int32Array.from(f.addedLines, (l) => l.line),
    addedText: joinLines(f.addedLines),
    removed: Int32Array.from(f.removedLines, (l) => l.line),
    removedAfter: Int32Array.from(f.removedLines, (l) => l.after ?? -1),
    removedText: joinLines(f.removedLines),
  };
}

export function decodeFile(w: WireFile): ChangedFile {
  const addedTexts = w.added.length ? w.addedText.split('\n') : [];
  const removedTexts = w.removed.length ? w.removedText.split('\n') : [];
  const ranges: ChangedFile['ranges'] = [];
  for (let i = 0; i < w.ranges.length; i += 2) ranges.push({ start: w.ranges[i], end: w.ranges[i + 1] });
  return {
    path: w.path,
    ...(w.oldPath !== undefined ? { oldPath: w.oldPath } : {}),
    status: w.status,
    binary: false,
    submodule: false,
    linesAdded: w.linesAdded,
    linesDeleted: w.linesDeleted,
    ranges,
    addedLines: Array.from(w.added, (line, i) => ({ line, text: addedTexts[i] })),
    removedLines: Array.from(w.removed, (line, i) => {
      const after = w.removedAfter[i];
      return after >= 0 ? { line, text: removedTexts[i], after } : { line, text: removedTexts[i] };
    }),
    content: w.content,
  };
}

/** What the whole change decided, for the files of the judge thread's share. */
export interface JudgeContext {
  settingNames: string[];
  settingDefinitions: Map<string, Map<number, string>>;
  writingHelpers: Map<string, WritingHelper>;
  moved: Map<string, MovedLines>;
  /** New files something wires in. */
  integrated: string[];
  /** Each file's new exports nothing calls. */
  unused: Map<string, FunctionSpan[]>;
}

/** A file judged on the judge thread; undefined findings: it is not one to judge there (a migration, a manifest). */
export interface Judged {
  path: string;
  findings?: Finding[];
  signals?: Signal[];
}

export type WorkerRequest =
  | { id: number; type: 'prepare'; policy: Policy; files: WireFile[] }
  | { id: number; type: 'judge'; context: JudgeContext }
  | { id: number; type: 'drop' };

export type WorkerReply = { id: number; judged: Judged[] } | { id: number; error: string };

/** Files that can be judged on another thread: read whole as text, in a language the rules read, and no migration. */
export function shareable(f: ChangedFile, eligible: (f: ChangedFile) => boolean): boolean {
  return !f.binary && !f.submodule && f.content !== undefined && f.note === undefined && f.status !== 'deleted' && eligible(f);
}

/** The judge thread's share of `files` (those `eligible` says it may take), or none when the change is small. */
export function chooseShare(files: readonly ChangedFile[], eligible: (f: ChangedFile) => boolean, minLines = PARALLEL_MIN_LINES): Set<string> | undefined {
  if (availableParallelism() < 2 || !judgeScript()) return undefined;
  const candidates = files.filter((f) => shareable(f, eligible));
  const weight = (f: ChangedFile) => f.addedLines.length + f.removedLines.length + 1;
  const total = candidates.reduce((n, f) => n + weight(f), 0);
  if (total < minLines) return undefined;
  // Every other file by weight, so each thread gets files of every size and folder.
  const share = new Set<string>();
  let taken = 0;
  let seen = 0;
  for (const f of candidates) {
    seen += weight(f);
    if (taken < seen * SHARE) {
      share.add(f.path);
      taken += weight(f);
    }
  }
  return share.size ? share : undefined;
}

interface WorkerScript {
  file: string;
  /** TypeScript source: the thread registers tsx before loading it (tests, benchmarks). */
  fromSource: boolean;
}

/** `judge-worker.js` beside the bundle (dist/), or the TypeScript source when running under tsx. */
function judgeScript(): WorkerScript | undefined {
  if (typeof __dirname !== 'string') return undefined;
  const bundled = path.join(__dirname, 'judge-worker.js');
  if (existsSync(bundled)) return { file: bundled, fromSource: false };
  const source = path.join(__dirname, 'judge-worker.ts');
  if (__filename.endsWith('.ts') && existsSync(source)) return { file: source, fromSource: true };
  return undefined;
}

interface Judge {
  worker: Worker;
  pending: Map<number, { resolve: (j: Judged[]) => void; reject: (e: Error) => void }>;
}

let judge: Judge | undefined;
/** Set once the thread failed to start or stopped: this process then judges on one thread. */
let failed = false;
let nextId = 1;

function judgeThread(): Judge | undefined {
  if (judge) return judge;
  const script = judgeScript();
  if (failed || !script) return undefined;
  let worker: Worker;
  try {
    worker = script.fromSource ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script.file)});`, { eval: true }) : new Worker(script.file);
  } catch {
    failed = true;
    return undefined;
  }
  const own: Judge = { worker, pending: new Map() };
  const stop = (e: Error) => {
    failed = true;
    if (judge === own) judge = undefined;
    for (const p of own.pending.values()) p.reject(e);
    own.pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = own.pending.get(reply.id);
    if (!p) return;
    own.pending.delete(reply.id);
    if (!own.pending.size) worker.unref();
    if ('judged' in reply) p.resolve(reply.judged);
    else p.reject(new Error(reply.error));
  });
  worker.on('error', stop);
  worker.on('exit', (code) => stop(new Error(`the judge thread stopped (exit ${code})`)));
  worker.unref();
  judge = own;
  return own;
}

/** One change's share on the judge thread: prepared as soon as it is sent, judged once the context is known. */
export interface RemoteShare {
  /** The judged files, by path; rejects when the thread failed (the caller then judges them itself). */
  judge(context: JudgeContext): Promise<Map<string, Judged>>;
  /** Lets go of the share without judging it (the assessment failed or was cancelled). */
  drop(): void;
}

export function sendShare(policy: Policy, files: readonly ChangedFile[]): RemoteShare | undefined {
  const j = judgeThread();
  if (!j) return undefined;
  const id = nextId++;
  try {
    j.worker.postMessage({ id, type: 'prepare', policy, files: files.map(encodeFile) } satisfies WorkerRequest);
  } catch {
    return undefined;
  }
  let done = false;
  return {
    judge(context) {
      done = true;
      return new Promise<Judged[]>((resolve, reject) => {
        j.pending.set(id, { resolve, reject });
        j.worker.ref();
        try {
          j.worker.postMessage({ id, type: 'judge', context } satisfies WorkerRequest);
        } catch (e) {
          j.pending.delete(id);
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }).then((list) => new Map(list.map((x) => [x.path, x])));
    },
    drop() {
      if (done) return;
      done = true;
      try {
        j.worker.postMessage({ id, type: 'drop' } satisfies WorkerRequest);
      } catch {
        // the thread is gone: nothing is held there
      }
    },
  };
}
