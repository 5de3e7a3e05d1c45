/**
 * `npm run eval:real -- [--mirrors DIR] [--labels DIR] [--repo OWNER/NAME] [--json]`
 *
 * Recreates every labelled commit as an uncommitted change, runs the built `analyze --json` on
 * it and compares the tier with the hand label. Commits whose mirror is missing or incomplete
 * are reported and skipped, never counted as passes; a failed `analyze` counts as wrong.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, isInputError } from '../../src/core/errors';
import { isTier, tierRank, TIERS, type Tier } from '../../src/core/tier';
import { loadLabelDir, type Label } from './labels';
import { findMirror, materialise, Unavailable } from './materialise';
import { formatConfusion, percent, score, type Outcome, type Score } from './score';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const ANALYZE_TIMEOUT_MS = 10 * 60 * 1000;

interface Options {
  mirrors: string;
  labels: string;
  repo?: string;
  json: boolean;
}

const USAGE = 'usage: npm run eval:real -- [--mirrors DIR] [--labels DIR] [--repo OWNER/NAME] [--json]';

function parseArgs(argv: string[]): Options {
  const opts: Options = { mirrors: '/work/.mirror', labels: path.join(ROOT, 'eval', 'real', 'labels'), json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new InputError(`${a}: expected a value. ${USAGE}`, { field: a });
      return v;
    };
    if (a === '--mirrors') opts.mirrors = value();
    else if (a === '--labels') opts.labels = value();
    else if (a === '--repo') opts.repo = value();
    else if (a === '--json') opts.json = true;
    else throw new InputError(`${a}: unknown argument. ${USAGE}`, { field: a });
  }
  if (!existsSync(opts.mirrors) || !statSync(opts.mirrors).isDirectory()) {
    throw new InputError(`--mirrors ${opts.mirrors}: expected a folder holding owner+name git directories`, { field: '--mirrors' });
  }
  return opts;
}

interface Finding {
  rule?: string;
  tier?: string;
  message?: string;
}
interface AnalyzeJson {
  tier?: string;
  files?: { path?: string; findings?: Finding[] }[];
}

/** The highest finding of the report, as `rule: message (path)`; the first one on a tie. */
function topReason(report: AnalyzeJson, tier: Tier): string {
  let best: { rank: number; text: string } | undefined;
  for (const f of report.files ?? []) {
    for (const finding of f.findings ?? []) {
      const rank = finding.tier && isTier(finding.tier) ? tierRank(finding.tier) : -1;
      if (!best || rank > best.rank) best = { rank, text: `${finding.rule ?? '?'}: ${finding.message ?? ''} (${f.path ?? '?'})` };
    }
  }
  return best?.text ?? (tier === 'ZERO' ? 'no findings' : 'no finding at that tier');
}

function analyze(dir: string): { tier?: Tier; reason: string } {
  const r = spawnSync(process.execPath, [CLI, 'analyze', '--repo', dir, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: ANALYZE_TIMEOUT_MS,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) return { reason: `analyze did not finish: ${r.error.message}` };
  if (r.status !== 0) return { reason: `analyze exited ${r.status}: ${(r.stderr || '').trim().split('\n')[0]}` };
  let report: AnalyzeJson;
  try {
    report = JSON.parse(r.stdout) as AnalyzeJson;
  } catch {
    return { reason: 'analyze printed no JSON document' };
  }
  if (!report.tier || !isTier(report.tier)) return { reason: `analyze printed tier "${report.tier}"` };
  return { tier: report.tier, reason: topReason(report, report.tier) };
}

interface Skipped {
  repo: string;
  commit: string;
  why: string;
}

function evaluate(labels: readonly Label[], mirrors: string, progress: (line: string) => void): { outcomes: Outcome[]; skipped: Skipped[] } {
  const outcomes: Outcome[] = [];
  const skipped: Skipped[] = [];
  const gitDirs = new Map<string, string | undefined>();
  labels.forEach((label, i) => {
    const short = label.commit.slice(0, 10);
    if (!gitDirs.has(label.repo)) gitDirs.set(label.repo, findMirror(mirrors, label.repo));
    const gitDir = gitDirs.get(label.repo);
    if (!gitDir) {
      skipped.push({ repo: label.repo, commit: label.commit, why: `no mirror at ${path.join(mirrors, label.repo.replace('/', '+'))}` });
      return;
    }
    let change;
    try {
      change = materialise(gitDir, label.commit);
    } catch (e) {
      if (!(e instanceof Unavailable)) throw e;
      skipped.push({ repo: label.repo, commit: label.commit, why: e.message });
      return;
    }
    try {
      const result = analyze(change.dir);
      outcomes.push({ repo: label.repo, commit: label.commit, language: label.language, label: label.tier, tool: result.tier, reason: result.reason });
      progress(`[${i + 1}/${labels.length}] ${label.repo} ${short} label ${label.tier} tool ${result.tier ?? 'FAILED'}`);
    } finally {
      change.remove();
    }
  });
  return { outcomes, skipped };
}

function report(s: Score, skipped: readonly Skipped[], labelled: number): string[] {
  const row = (o: Outcome) => `  ${o.repo} ${o.commit.slice(0, 10)}  label ${o.label}  tool ${o.tool ?? 'FAILED'}  ${o.reason}`;
  const lines = [
    `labelled ${labelled}, scored ${s.scored}, skipped ${skipped.length}`,
    `accuracy ${percent(s.accuracy)} (${s.correct}/${s.scored})`,
    `HIGH rated lower: ${s.highUnder.length}`,
    ...s.highUnder.map(row),
    '',
    'confusion (rows: label, columns: tool)',
    ...formatConfusion(s.confusion),
    '',
    'per language',
    ...Object.entries(s.perLanguage).map(([lang, l]) => `  ${lang.padEnd(11)} ${percent(l.accuracy)} (${l.correct}/${l.scored})`),
    '',
    `disagreements: ${s.disagreements.length}`,
    ...s.disagreements.map(row),
  ];
  if (s.failures.length > 0) lines.push('', `analyze failed on ${s.failures.length} (counted as wrong)`, ...s.failures.map(row));
  if (skipped.length > 0) lines.push('', `skipped (not counted): ${skipped.length}`, ...skipped.map((k) => `  ${k.repo} ${k.commit.slice(0, 10)}  ${k.why}`));
  return lines;
}

function main(): number {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run -s build first`);
  let labels = loadLabelDir(opts.labels);
  if (opts.repo) {
    labels = labels.filter((l) => l.repo === opts.repo);
    if (labels.length === 0) throw new InputError(`--repo ${opts.repo}: no labelled commit of that repository`, { field: '--repo' });
  }
  const progress = opts.json ? () => undefined : (line: string) => process.stderr.write(line + '\n');
  const { outcomes, skipped } = evaluate(labels, opts.mirrors, progress);
  const s = score(outcomes);
  if (opts.json) process.stdout.write(JSON.stringify({ labelled: labels.length, tiers: TIERS, ...s, skipped }, null, 2) + '\n');
  else process.stdout.write(report(s, skipped, labels.length).join('\n') + '\n');
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  process.stderr.write(`eval:real: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = isInputError(e) ? 2 : 1;
}
