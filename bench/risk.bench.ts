/**
 * The risk classifier alone on a large change held in memory: 2,000 changed files (1,500 modified
 * TypeScript/Python/Go files and 500 new ones, about 100,000 added lines). Measures `assess` without
 * git, so a regression in the rules shows here even when git dominates the end-to-end benchmark.
 * `risk.parse_mb_per_s`: tree-sitter alone on every file of that change (warm, CPU time), and
 * `risk.parsed_files_per_assess`: how many of them the rules' lexical pre-pass sends to the parser.
 */
import type { ChangedFile, ChangeSet, RepoSearch } from '../src/core/change/types';
import { DEFAULT_POLICY } from '../src/core/policy/schema';
import { assess } from '../src/core/risk';
import { grammarOf, loadGrammars, parseStats, readSyntax } from '../src/core/risk/syntax';
import { cap, median, seeded } from './support';

const FILES = 2000;
const NEW_FILES = 500;
const RUNS = 5;

const { rand, pick } = seeded(7);
const NOUNS = ['order', 'user', 'invoice', 'cart', 'report', 'profile', 'item', 'account', 'message', 'session'];
const VERBS = ['load', 'save', 'validate', 'render', 'compute', 'fetch', 'format', 'parse'];

function tsBlock(i: number): string[] {
  const [v, n] = [pick(VERBS), pick(NOUNS)];
  return [
    `export async function ${v}${cap(n)}${i}(id: string): Promise<${cap(n)} | undefined> {`,
    `  const ${n} = await repository.find${cap(n)}(id); // look it up`,
    `  if (isEnabled('flag-${i % 40}')) {`,
    `    logger.info('${n} %s', id);`,
    '  }',
    `  return ${n};`,
    '}',
    '',
  ];
}
function pyBlock(i: number): string[] {
  const [v, n] = [pick(VERBS), pick(NOUNS)];
  return [`def ${v}_${n}_${i}(db, ${n}_id):`, `    """Load the ${n}."""`, `    row = db.get(${n}_id)`, `    if flags.is_enabled("flag_${i % 40}"):`, '        row.touch()', '    return row', ''];
}

function file(i: number): { before: string[]; after: string[]; path: string } {
  const py = i % 3 === 0;
  const path = py ? `app/mod${i}/service_${i}.py` : `src/mod${i}/service${i}.ts`;
  const block = py ? pyBlock : tsBlock;
  const before: string[] = [];
  for (let k = 0; k < 6; k++) before.push(...block(i * 100 + k));
  const after = [...before];
  for (let k = 6; k < 13; k++) after.splice(rand(after.length), 0, ...block(i * 100 + k));
  return { before, after, path };
}

function changed(i: number): ChangedFile {
  const isNew = i >= FILES - NEW_FILES;
  const { before, after, path } = file(i);
  // Positions of the inserted blocks are not tracked: every line past the original count is "added".
  const addedFrom = isNew ? 0 : before.length;
  const addedLines = after.slice(addedFrom).map((text, k) => ({ line: addedFrom + k + 1, text }));
  return {
    path, status: isNew ? 'untracked' : 'modified', binary: false, submodule: false,
    linesAdded: addedLines.length, linesDeleted: 0,
    ranges: [{ start: addedFrom + 1, end: after.length }],
    addedLines, removedLines: [], content: after.join('\n') + '\n',
  };
}

const change: ChangeSet = { root: '/bench', base: 'HEAD', headCommit: null, branch: 'main', files: Array.from({ length: FILES }, (_, i) => changed(i)) };
const addedTotal = change.files.reduce((s, f) => s + f.linesAdded, 0);

// A word index over the tree, built once: the search cost belongs to the change reader, not here.
const index = new Map<string, Set<string>>();
for (const f of change.files) for (const w of f.content!.match(/[\w$]+/g) ?? []) (index.get(w) ?? index.set(w, new Set()).get(w)!).add(f.path);
let lookups = 0;
const search: RepoSearch = {
  async referencesTo(terms) {
    lookups++;
    return new Map(terms.map((t) => [t, [...(index.get(t) ?? [])]]));
  },
};

async function main() {
  await assess(change, DEFAULT_POLICY, search); // warm-up: regex compilation, JIT
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await assess(change, DEFAULT_POLICY, search);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    times.push(performance.now() - t);
  }
  const parsedPerAssess = parseStats.files / (RUNS + 1);
  await parseThroughput();
  const wallMs = median(times);
  console.log(`BENCH risk_assess_files ${FILES} files`);
  console.log(`BENCH risk_assess_added_lines ${addedTotal} lines`);
  console.log(`BENCH risk_assess_median_ms ${wallMs.toFixed(1)} ms`);
  // CPU time is steadier than wall time on a shared machine.
  console.log(`BENCH risk_assess_median_cpu_ms ${median(cpu).toFixed(1)} ms`);
  console.log(`BENCH risk_assess_lines_per_ms ${(addedTotal / wallMs).toFixed(0)} lines/ms`);
  console.log(`BENCH risk_search_calls_per_assess ${lookups / (RUNS + 1)} calls`);
  console.log(`BENCH risk.parsed_files_per_assess ${parsedPerAssess} files`);
}

/** Every file of the change parsed once, after a warm-up: source megabytes per CPU second. */
async function parseThroughput(): Promise<void> {
  await loadGrammars(['typescript', 'python']);
  const sources = change.files.map((f) => ({ text: f.content!, grammar: grammarOf(f.path)!, lines: f.addedLines.map((l) => l.line) }));
  // The first parses of a grammar are slower: warm both grammars before measuring.
  for (const src of sources.slice(0, 50)) readSyntax(src.text, src.grammar, src.lines);
  let chars = 0;
  const c = process.cpuUsage();
  for (const src of sources) {
    readSyntax(src.text, src.grammar, src.lines);
    chars += src.text.length;
  }
  const used = process.cpuUsage(c);
  const seconds = (used.user + used.system) / 1e6;
  console.log(`BENCH risk.parse_mb_per_s ${(chars / 1e6 / seconds).toFixed(2)} MB/s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
