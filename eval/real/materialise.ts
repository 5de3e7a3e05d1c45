/**
 * Recreates a labelled commit as the uncommitted change a user would analyse: a throwaway
 * repository outside the project whose HEAD is the commit's parent and whose index and working
 * tree equal the commit. Objects are borrowed from the mirror (git alternates), never copied,
 * and nothing is written to the mirror.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const MAX_BUFFER = 1 << 30;

/** Git with no user or system configuration, so a developer's hooks or settings cannot change the result. */
function git(args: string[], opts: { cwd?: string; input?: string } = {}): string {
  return execFileSync('git', args, {
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
}

/** The git directory of `owner/name` under the mirrors folder (`owner+name/repo` or `owner+name` itself), or undefined. */
export function findMirror(mirrors: string, repo: string): string | undefined {
  const base = path.join(mirrors, repo.replace('/', '+'));
  for (const candidate of [path.join(base, 'repo'), base]) {
    if (!existsSync(candidate)) continue;
    try {
      const dir = git(['rev-parse', '--absolute-git-dir'], { cwd: candidate }).trim();
      if (dir) return dir;
    } catch {
      // not a git directory: try the next shape
    }
  }
  return undefined;
}

export class Unavailable extends Error {}

interface TreeEntry {
  mode: string;
  type: string;
  id: string;
}

function listTree(gitDir: string, rev: string): Map<string, TreeEntry> {
  const out = git(['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', rev]);
  const entries = new Map<string, TreeEntry>();
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, id] = rec.slice(0, tab).split(' ');
    entries.set(rec.slice(tab + 1), { mode, type, id });
  }
  return entries;
}

/** Blob ids the mirror lacks (snapshots leave out their largest files). */
function missingBlobs(gitDir: string, ids: Iterable<string>): Set<string> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const out = git(['--git-dir', gitDir, 'cat-file', '--batch-check=%(objectname)'], { input: unique.join('\n') + '\n' });
  return new Set(out.split('\n').filter((l) => l.endsWith(' missing')).map((l) => l.split(' ')[0]));
}

/** A sparse-checkout pattern that matches exactly this path. */
function exactPattern(p: string): string {
  return '!/' + p.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`);
}

export interface Materialised {
  dir: string;
  parent: string;
  /** Paths of unchanged files the mirror lacks: left out of the working tree (skip-worktree). */
  leftOut: string[];
  remove(): void;
}

/** Builds the throwaway repository for `commit`; throws Unavailable when the mirror cannot recreate it. */
export function materialise(gitDir: string, commit: string): Materialised {
  let parents: string[];
  try {
    parents = git(['--git-dir', gitDir, 'rev-list', '--parents', '-n', '1', `${commit}^{commit}`]).trim().split(' ').slice(1);
  } catch {
    throw new Unavailable(`the mirror has no commit ${commit}`);
  }
  if (parents.length !== 1) throw new Unavailable(`commit ${commit} has ${parents.length} parents; expected one`);
  const parent = parents[0];

  const before = listTree(gitDir, parent);
  const after = listTree(gitDir, commit);
  const blobs = (m: Map<string, TreeEntry>) => [...m.values()].filter((e) => e.type === 'blob').map((e) => e.id);
  const missing = missingBlobs(gitDir, [...blobs(before), ...blobs(after)]);
  const leftOut = new Set<string>();
  for (const [p, e] of [...before, ...after]) {
    if (e.type !== 'blob' || !missing.has(e.id)) continue;
    if (before.get(p)?.id !== after.get(p)?.id) throw new Unavailable(`the mirror lacks ${p}, which the commit changes`);
    leftOut.add(p);
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-eval-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    git(['init', '-q', '--template=', dir]);
    const ownGit = path.join(dir, '.git');
    writeFileSync(path.join(ownGit, 'objects', 'info', 'alternates'), path.join(gitDir, 'objects') + '\n');
    git(['update-ref', '--no-deref', 'HEAD', parent], { cwd: dir });
    if (leftOut.size > 0) {
      git(['config', 'core.sparseCheckout', 'true'], { cwd: dir });
      mkdirSync(path.join(ownGit, 'info'), { recursive: true });
      writeFileSync(path.join(ownGit, 'info', 'sparse-checkout'), ['/*', ...[...leftOut].map(exactPattern)].join('\n') + '\n');
    }
    git(['read-tree', '--reset', '-u', parent], { cwd: dir });
    git(['read-tree', '-m', '-u', parent, commit], { cwd: dir });
    const staged = git(['write-tree', '--missing-ok'], { cwd: dir }).trim();
    const wanted = git(['--git-dir', gitDir, 'rev-parse', `${commit}^{tree}`]).trim();
    if (staged !== wanted) throw new Unavailable(`the staged tree ${staged} is not the commit's tree ${wanted}`);
  } catch (e) {
    remove();
    if (e instanceof Unavailable) throw e;
    const stderr = (e as { stderr?: string }).stderr?.trim().split('\n')[0];
    throw new Unavailable(`could not recreate the change: ${stderr || (e as Error).message}`);
  }
  return { dir, parent, leftOut: [...leftOut], remove };
}
