/**
 * The analysis (readChange + assess) on three repositories, each against its git floor:
 * - a large change: 2,000 changed TypeScript and Python files (about 100,000 added lines) and 500
 *   untracked files (`analyze.*`, with the process's peak memory);
 * - one minified 52 MB file changed on its only line (`analyze.minified_52mb_*`);
 * - 10,000 untracked files (`analyze.untracked_10k_*`).
 * The floor is what git alone needs for the same reading, output discarded: the commands the
 * analysis ran, each phase's commands in parallel as the reader runs them, plus one `git grep`
 * for a single word over the working tree, which reads every file the reference search reads.
 * No reader of these files can beat it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readChange, type RepoSearch } from '../src/core/change';
import { gitEnv, overrideArgs } from '../src/core/change/safety';
import { DEFAULT_POLICY } from '../src/core/policy/schema';
import { assess } from '../src/core/risk';
import { makeRepo } from '../test/fixtures/repo';
import { cap, median, seeded } from './support';

const CHANGED = 2000;
const UNTRACKED = 500;
const RUNS = 3;

// Seeded, so every run benchmarks the same repository.
const { rand, pick } = seeded(42);
const NOUNS = ['order', 'user', 'invoice', 'session', 'cart', 'payment', 'report', 'profile', 'token', 'item', 'account', 'message'];
const VERBS = ['load', 'save', 'validate', 'render', 'compute', 'fetch', 'update', 'remove', 'format', 'parse'];

function tsFunction(): string[] {
  const [v, n] = [pick(VERBS), pick(NOUNS)];
  return [
    `export async function ${v}${cap(n)}(id: string, opts: { retries?: number } = {}): Promise<${cap(n)} | undefined> {`,
    `  const ${n} = await repository.find${cap(n)}(id);`,
    `  if (!${n}) {`,
    `    logger.warn('${n} %s not found', id);`,
    `    return undefined;`,
    `  }`,
    `  for (let attempt = 0; attempt < (opts.retries ?? ${1 + rand(5)}); attempt++) {`,
    `    if (await ${v}Once(${n}, attempt)) break;`,
    `  }`,
    `  return ${n};`,
    `}`,
    '',
  ];
}

function pyFunction(): string[] {
  const [v, n] = [pick(VERBS), pick(NOUNS)];
  return [
    `def ${v}_${n}(session, ${n}_id, retries=${1 + rand(5)}):`,
    `    """${cap(v)} one ${n} and return it, or None when it does not exist."""`,
    `    ${n} = session.query(${cap(n)}).get(${n}_id)`,
    `    if ${n} is None:`,
    `        log.warning("${n} %s not found", ${n}_id)`,
    `        return None`,
    `    for attempt in range(retries):`,
    `        if _${v}_once(${n}, attempt):`,
    `            break`,
    `    return ${n}`,
    '',
    '',
  ];
}

function sourceFile(py: boolean, functions: number): string[] {
  const head = py
    ? ['import logging', 'from app.models import Order, User, Invoice, Session, Cart, Payment', '', 'log = logging.getLogger(__name__)', '', '']
    : ["import { logger } from '../log';", "import { repository } from '../db';", "import type { Order, User, Invoice, Session, Cart, Payment } from '../model';", ''];
  const lines = [...head];
  for (let i = 0; i < functions; i++) lines.push(...(py ? pyFunction() : tsFunction()));
  return lines;
}

function buildRepository() {
  const repo = makeRepo({}, 'rollout-lens-bench-');
  const paths = Array.from({ length: CHANGED }, (_, i) => `services/svc${i % 40}/${i % 3 === 0 ? `mod_${i}.py` : `module${i}.ts`}`);
  const before = paths.map((p) => sourceFile(p.endsWith('.py'), 5));
  const write = (rel: string, lines: string[]) => {
    mkdirSync(path.dirname(path.join(repo.dir, rel)), { recursive: true });
    writeFileSync(path.join(repo.dir, rel), lines.join('\n') + '\n');
  };
  paths.forEach((p, i) => write(p, before[i]));
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'baseline');

  // About 50 added lines per file: four new functions and a changed line.
  let added = 0;
  paths.forEach((p, i) => {
    const lines = [...before[i]];
    const py = p.endsWith('.py');
    lines[py ? 1 : 0] += ' // reviewed';
    for (let k = 0; k < 4; k++) {
      const fn = py ? pyFunction() : tsFunction();
      lines.splice(rand(lines.length), 0, ...fn);
      added += fn.length;
    }
    write(p, lines);
  });
  for (let i = 0; i < UNTRACKED; i++) write(i % 2 ? `services/new/feature${i}.ts` : `services/new/feature_${i}.py`, sourceFile(i % 2 === 0, 3));
  return { repo, added };
}

/** Runs one git command the way the reader does, output discarded. */
function gitAlone(cwd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', ...overrideArgs(), ...args], { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout?.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

/** git reading every file the search reads, once: one word, matched nowhere. */
const READ_ALL = ['grep', '--untracked', '-I', '-w', '-F', '-c', '-e', 'zq9xNotAWordAnywhere'];

interface Measured {
  wallMs: number;
  floorMs: number;
}

const collect = () => (globalThis as { gc?: () => void }).gc?.();

/** Analysis and floor alternate, so a shared machine's changing load weighs on both alike. */
async function measure(dir: string, label: string): Promise<Measured> {
  let calls: string[][] = [];
  let searched = false;
  const analyze = async () => {
    calls = [];
    const { change, search } = await readChange({ repo: dir, onGit: (args) => calls.push(args) });
    const recording: RepoSearch = {
      referencesTo: (terms) => {
        searched = true;
        return search.referencesTo(terms);
      },
    };
    await assess(change, DEFAULT_POLICY, recording);
    return change;
  };
  collect();
  const first = await analyze();
  const linesAdded = first.files.reduce((n, f) => n + f.linesAdded, 0);
  process.stderr.write(`analyze bench (${label}): read ${first.files.length} files, +${linesAdded} lines; git calls: ${calls.map((c) => c[0]).join(', ')}\n`);

  // The reader's phases: where the repository is; its config, HEAD and branch; the diff, the
  // untracked files and the search's file list; then the search's reading.
  const phases: string[][][] = [
    calls.slice(0, 1),
    calls.filter((c, i) => i > 0 && ['config', 'rev-parse', 'symbolic-ref', 'merge-base'].includes(c[0])),
    calls.filter((c) => c[0] === 'diff-index' || c[0] === 'ls-files'),
    searched ? [READ_ALL] : [],
  ];
  const gitFloor = async () => {
    for (const phase of phases) await Promise.all(phase.map((args) => gitAlone(dir, args)));
  };
  const wall: number[] = [];
  const floor: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    // Each run starts from a collected heap, untimed, as a fresh CLI process does: the peak RSS is
    // one analysis's, not the garbage of several runs V8 has not yet collected.
    collect();
    let t = performance.now();
    await analyze();
    wall.push(performance.now() - t);
    t = performance.now();
    await gitFloor();
    floor.push(performance.now() - t);
  }
  return { wallMs: median(wall), floorMs: median(floor) };
}

/** One changed line of 52 MB: a minified bundle rebuilt. */
function buildMinified() {
  const repo = makeRepo({}, 'rollout-lens-bench-min-');
  const bundle = (seed: number) => {
    const { rand: r } = seeded(seed);
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 52 * 1024 * 1024; i++) {
      const p = `function ${'f' + r(1e6).toString(36)}(a,b){return a.${pick(NOUNS)}+b[${r(100)}]||${r(1000)}};`;
      parts.push(p);
      size += p.length;
    }
    return parts.join('');
  };
  writeFileSync(path.join(repo.dir, 'app.min.js'), bundle(1));
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'bundle');
  writeFileSync(path.join(repo.dir, 'app.min.js'), bundle(2));
  return repo;
}

/** 10,000 new files nobody has added yet. */
function buildUntracked() {
  const repo = makeRepo({ commits: [{ 'README.md': 'bench\n' }] }, 'rollout-lens-bench-untracked-');
  mkdirSync(path.join(repo.dir, 'src/generated'), { recursive: true });
  for (let i = 0; i < 10_000; i++) {
    writeFileSync(path.join(repo.dir, `src/generated/part${i}.ts`), `export function part${i}(x: number): number {\n  return x + ${i};\n}\n`);
  }
  return repo;
}

function report(prefix: string, m: Measured) {
  console.log(`BENCH ${prefix}_ms ${m.wallMs.toFixed(0)} ms`);
  console.log(`BENCH ${prefix}_git_floor_ms ${m.floorMs.toFixed(0)} ms`);
  console.log(`BENCH ${prefix}_ratio_to_git ${(m.wallMs / m.floorMs).toFixed(2)} x`);
}

async function main() {
  const t0 = performance.now();
  const { repo, added } = buildRepository();
  process.stderr.write(`analyze bench: ${CHANGED} changed files (+${added} lines), ${UNTRACKED} untracked, built in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const large = await measure(repo.dir, 'large change');
  console.log(`BENCH analyze.wall_ms ${large.wallMs.toFixed(0)} ms`);
  console.log(`BENCH analyze.git_floor_ms ${large.floorMs.toFixed(0)} ms`);
  console.log(`BENCH analyze.ratio_to_git ${(large.wallMs / large.floorMs).toFixed(2)} x`);
  // Measured before the other shapes, which are not about memory.
  console.log(`BENCH analyze.peak_rss_mb ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  rmSync(repo.dir, { recursive: true, force: true });

  const minified = buildMinified();
  report('analyze.minified_52mb', await measure(minified.dir, 'minified 52 MB'));
  rmSync(minified.dir, { recursive: true, force: true });

  const untracked = buildUntracked();
  report('analyze.untracked_10k', await measure(untracked.dir, '10,000 untracked'));
  rmSync(untracked.dir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`analyze bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
