/**
 * RepoSearch over the working tree with `git grep`: tracked and untracked files, .gitignore
 * respected, binary files skipped. All terms go to one grep (patterns on stdin, so no
 * command-line limit), and `-o` reports which term matched in which file.
 */
import { runGit, type GitContext } from './git';
import type { RepoSearch } from './types';

export const GREP_ARGS = ['grep', '--untracked', '-I', '-w', '-F', '-o', '-z', '--full-name', '--no-line-number', '--no-column', '--no-color', '--no-textconv', '-f', '-'];

export function createRepoSearch(ctx: GitContext): RepoSearch {
  return {
    async referencesTo(terms: string[]): Promise<Map<string, string[]>> {
      const found = new Map<string, Set<string>>();
      const wanted = [...new Set(terms)].filter((t) => t !== '' && !/[\n\0]/.test(t));
      for (const group of nonOverlappingGroups(wanted)) await grepGroup(ctx, group, found);
      return new Map(terms.map((t) => [t, [...(found.get(t) ?? [])].sort()]));
    },
  };
}

async function grepGroup(ctx: GitContext, terms: string[], found: Map<string, Set<string>>): Promise<void> {
  for (const t of terms) found.set(t, new Set());
  // Exit 1 means no file matched.
  const r = await runGit(ctx, GREP_ARGS, { input: terms.join('\n') + '\n', okCodes: [1] });
  // Records are `path\0match\n`; a path may hold a newline, a match never does.
  const out = r.stdout.toString('utf8');
  let at = 0;
  while (at < out.length) {
    const nul = out.indexOf('\0', at);
    if (nul === -1) break;
    const nl = out.indexOf('\n', nul + 1);
    const end = nl === -1 ? out.length : nl;
    found.get(out.slice(nul + 1, end))?.add(out.slice(at, nul));
    at = end + 1;
  }
}

/**
 * `grep -o` reports matches that do not overlap, so a term can hide inside another's match
 * ("a.b" hides "b" in "a.b"). Terms that could hide one another go to separate greps; plain
 * identifiers never can (a word match of one cannot sit inside a word match of another), so
 * the usual list of names is one grep.
 */
export function nonOverlappingGroups(terms: string[]): string[][] {
  const conflicts = conflictPairs(terms);
  const groups: Set<string>[] = [];
  for (const term of terms) {
    const mine = conflicts.get(term);
    const group = mine ? groups.find((g) => ![...mine].some((other) => g.has(other))) : groups[0];
    if (group) group.add(term);
    else groups.push(new Set([term]));
  }
  return groups.map((g) => [...g]);
}

/**
 * The pairs that can overlap. A covered or shared stretch is bounded by non-word characters, so
 * it holds whole words of both terms: only terms sharing a word are compared, plus the rare terms
 * that begin or end with punctuation (their shared stretch may hold no word at all).
 */
function conflictPairs(terms: string[]): Map<string, Set<string>> {
  const byWord = new Map<string, string[]>();
  const edgy: string[] = [];
  for (const t of terms) {
    for (const w of new Set(t.match(/\w+/g) ?? [])) {
      const bucket = byWord.get(w);
      if (bucket) bucket.push(t);
      else byWord.set(w, [t]);
    }
    if (!isWordChar(t[0]) || !isWordChar(t[t.length - 1])) edgy.push(t);
  }
  const conflicts = new Map<string, Set<string>>();
  const check = (a: string, b: string) => {
    if (a === b || !canOverlap(a, b)) return;
    for (const [x, y] of [[a, b], [b, a]]) conflicts.set(x, (conflicts.get(x) ?? new Set()).add(y));
  };
  for (const bucket of byWord.values()) for (let i = 0; i < bucket.length; i++) for (let j = i + 1; j < bucket.length; j++) check(bucket[i], bucket[j]);
  for (const e of edgy) for (const t of terms) check(e, t);
  return conflicts;
}

const PLAIN_WORD = /^\w+$/;

/** git grep -w's word characters: ASCII letters, digits and underscore. */
function isWordChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const k = c.charCodeAt(0);
  return (k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k === 95;
}

/**
 * Whether a word match of one term can cover a word match of the other. Only where the covered
 * term would itself be word-bounded: "new/feature1" covers "feature1" (after a slash), but not
 * "new/feature10"'s "new/feature1" (followed by a digit).
 */
export function canOverlap(a: string, b: string): boolean {
  if (PLAIN_WORD.test(a) && PLAIN_WORD.test(b)) return false;
  return covers(a, b) || covers(b, a) || sharesEdge(a, b) || sharesEdge(b, a);
}

/** `inner` occurs in `outer` with a non-word character (or `outer`'s own edge) on both sides. */
function covers(outer: string, inner: string): boolean {
  if (inner.length >= outer.length) return false;
  for (let i = outer.indexOf(inner); i !== -1; i = outer.indexOf(inner, i + 1)) {
    const end = i + inner.length;
    if ((i === 0 || !isWordChar(outer[i - 1])) && (end === outer.length || !isWordChar(outer[end]))) return true;
  }
  return false;
}

/** A proper suffix of `a` is a proper prefix of `b`, and both matches would be word-bounded. */
function sharesEdge(a: string, b: string): boolean {
  for (let n = 1; n < Math.min(a.length, b.length); n++) {
    const i = a.length - n;
    if (isWordChar(a[i - 1]) || isWordChar(b[n]) || a[i] !== b[0]) continue;
    if (a.endsWith(b.slice(0, n))) return true;
  }
  return false;
}
