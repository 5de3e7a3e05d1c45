/**
 * The change reader on a large change: a repository with 2,000 changed TypeScript and Python
 * files (about 100,000 added lines) and 500 untracked files. Measures the whole analysis
 * (readChange + assess), the git commands it runs when run alone with no parsing (the floor no
 * reader can beat), their ratio, and the process's peak memory.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readChange, type RepoSearch } from '../src/core/change';
import { gitEnv, overrideArgs } from '../src/core/change/safety';
import { GREP_ARGS, nonOverlappingGroups } from '../src/core/change/search';
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
function gitAlone(cwd: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', ...overrideArgs(), ...args], { cwd, env: gitEnv(), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'ignore'] });
    child.stdout?.on('data', () => undefined);
    if (input !== undefined) child.stdin?.end(input);
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

async function main() {
  const t0 = performance.now();
  const { repo, added } = buildRepository();
  process.stderr.write(`analyze bench: ${CHANGED} changed files (+${added} lines), ${UNTRACKED} untracked, built in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  let withAssess = true;
  // The git commands one analysis ran, grouped as the reader runs them (each group in parallel).
  let calls: { args: string[]; input?: string }[] = [];
  const analyze = async () => {
    calls = [];
    const { change, search } = await readChange({ repo: repo.dir, onGit: (args) => calls.push({ args }) });
    const recording: RepoSearch = {
      referencesTo: (terms) => {
        calls.push({ args: ['grep'], input: terms.join('\n') });
        return search.referencesTo(terms);
      },
    };
    if (withAssess) {
      try {
        await assess(change, DEFAULT_POLICY, recording);
      } catch (e) {
        if (!/not built yet/.test(String(e))) throw e;
        withAssess = false;
        process.stderr.write('analyze bench: the risk engine is not built yet; measuring readChange alone\n');
      }
    }
    return change;
  };

  const first = await analyze();
  const linesAdded = first.files.reduce((n, f) => n + f.linesAdded, 0);
  process.stderr.write(`analyze bench: read ${first.files.length} files, +${linesAdded} lines; git calls: ${calls.map((c) => c.args[0]).join(', ')}\n`);


  // The same git commands, alone: the reader's phases, each phase's commands in parallel.
  // One grep per group of terms, as the search splits them.
  const grepInputs = calls
    .filter((c) => c.args[0] === 'grep' && c.input !== undefined)
    .flatMap((c) => nonOverlappingGroups([...new Set((c.input ?? '').split('\n'))].filter(Boolean)))
    .map((group) => group.join('\n') + '\n');
  const byName = (name: string) => calls.filter((c) => c.args[0] === name);
  const gitFloor = async () => {
    await gitAlone(repo.dir, byName('rev-parse')[0].args);
    await Promise.all([...byName('config'), ...byName('rev-parse').slice(1), ...byName('symbolic-ref')].map((c) => gitAlone(repo.dir, c.args)));
    await Promise.all([...byName('diff-index'), ...byName('ls-files')].map((c) => gitAlone(repo.dir, c.args)));
    for (const input of grepInputs) await gitAlone(repo.dir, GREP_ARGS, input);
  };
  // Analysis and floor alternate, so a shared machine's changing load weighs on both alike.
  const wall: number[] = [];
  const floor: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    let t = performance.now();
    await analyze();
    wall.push(performance.now() - t);
    t = performance.now();
    await gitFloor();
    floor.push(performance.now() - t);
  }

  const wallMs = median(wall);
  const floorMs = median(floor);
  console.log(`BENCH analyze.wall_ms ${wallMs.toFixed(0)} ms`);
  console.log(`BENCH analyze.git_floor_ms ${floorMs.toFixed(0)} ms`);
  console.log(`BENCH analyze.ratio_to_git ${(wallMs / floorMs).toFixed(2)} x`);
  console.log(`BENCH analyze.peak_rss_mb ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  rmSync(repo.dir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`analyze bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
