/**
 * RepoSearch over the working tree with `git grep`: tracked and untracked files, .gitignore
 * respected, binary files skipped. All terms go to one grep (patterns on stdin, so no
 * command-line limit), and `-o` reports which term matched in which file.
 */
import { runGit, type GitContext } from './git';
import type { RepoSearch } from './types';

const GREP = ['grep', '--untracked', '-I', '-w', '-F', '-o', '-z', '--full-name', '--no-line-number', '--no-column', '--no-color', '--no-textconv', '-f', '-'];

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
  const r = await runGit(ctx, GREP, { input: terms.join('\n') + '\n', okCodes: [1] });
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
  const groups: string[][] = [];
  for (const term of terms) {
    const group = groups.find((g) => g.every((other) => !canOverlap(term, other)));
    if (group) group.push(term);
    else groups.push([term]);
  }
  return groups;
}

const WORD = /^\w+$/;

function canOverlap(a: string, b: string): boolean {
  if (WORD.test(a) && WORD.test(b)) return false;
  if (a.includes(b) || b.includes(a)) return true;
  return sharesEdge(a, b) || sharesEdge(b, a);
}

/** Whether a proper suffix of `a` is a proper prefix of `b`. */
function sharesEdge(a: string, b: string): boolean {
  for (let n = 1; n < Math.min(a.length, b.length); n++) if (a.endsWith(b.slice(0, n))) return true;
  return false;
}
