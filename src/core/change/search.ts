/**
 * RepoSearch over the working tree: tracked and untracked files (as `git ls-files` lists them,
 * .gitignore respected), binary files skipped, each file read once and at most MAX_CONTENT_BYTES
 * of it. Every term is looked for in one pass over each file, so the cost grows with the bytes
 * read, not with bytes × terms as one `git grep` with thousands of patterns does.
 *
 * A term matches where git grep -w -F would match it: the bytes of the term, neither preceded nor
 * followed by a word character (ASCII letter, digit or underscore).
 */
import { displayPath, joinPath, splitNul } from './bytes';
import { eachInSlices, isBinary, MAX_CONTENT_BYTES, normaliseEol, readHead, type Head } from './files';
import { runGit, type GitContext, type GitResult } from './git';
import type { PartlySearched, RepoSearch } from './types';

export const LIST_ARGS = ['ls-files', '--cached', '--others', '--exclude-standard', '-z'];

export interface SearchOptions {
  /** Bytes read of one file at most (MAX_CONTENT_BYTES unless set). */
  maxBytes?: number;
  /** Files already read with the same bound, by name (bytes as latin1); null: not a regular file. */
  known?: ReadonlyMap<string, Head | null>;
  /** LIST_ARGS as git answered them while the change was read: the first lookup lists nothing again. */
  listing?: GitResult;
}

export function createRepoSearch(ctx: GitContext, opts: SearchOptions = {}): RepoSearch {
  const maxBytes = opts.maxBytes ?? MAX_CONTENT_BYTES;
  const partly = new Map<string, PartlySearched>();
  const known = maxBytes === MAX_CONTENT_BYTES ? opts.known : undefined;
  let listing = opts.listing;
  return {
    async referencesTo(terms: string[]): Promise<Map<string, string[]>> {
      const wanted = [...new Set(terms)].filter((t) => t !== '' && !/[\n\0]/.test(t));
      // Most new names are mentioned in one file only (their own): a set only for a second one.
      const found: (string | Set<string> | undefined)[] = new Array(wanted.length);
      if (wanted.length) {
        const matcher = compileTerms(wanted);
        const listed = listing ?? (await runGit(ctx, LIST_ARGS));
        listing = undefined;
        const names = splitNul(listed.stdout);
        // One buffer for every file: each is searched before the next is read.
        let scratch: Buffer | undefined;
        await eachInSlices(names, (name, i) => {
          // A file in conflict is listed once per stage, its entries one after another.
          if (i > 0 && name.equals(names[i - 1])) return;
          const cached = known?.get(name.toString('latin1'));
          const head = cached !== undefined ? cached : readHead(joinPath(ctx.cwd, name), maxBytes, (scratch ??= Buffer.allocUnsafe(maxBytes)));
          if (!head || isBinary(head.bytes)) return;
          const hits = matcher(head.bytes);
          if (!hits.length && head.size <= head.bytes.length) return;
          const shown = displayPath(name);
          for (const id of hits) {
            const seen = found[id];
            if (seen === undefined) found[id] = shown;
            else if (typeof seen === 'string') found[id] = new Set([seen, shown]);
            else seen.add(shown);
          }
          if (head.size > head.bytes.length) partly.set(shown, { path: shown, size: head.size, searchedBytes: head.bytes.length });
        });
      }
      const byTerm = new Map(wanted.map((t, i) => [t, found[i]]));
      return new Map(terms.map((t) => [t, pathsOf(byTerm.get(t))]));
    },
    async read(paths: readonly string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      await eachInSlices([...new Set(paths)], (path) => {
        const cached = known?.get(Buffer.from(path, 'utf8').toString('latin1'));
        const head = cached !== undefined ? cached : readHead(joinPath(ctx.cwd, Buffer.from(path, 'utf8')), maxBytes);
        if (head && !isBinary(head.bytes)) out.set(path, normaliseEol(head.bytes.toString('utf8')));
      });
      return out;
    },
    partlySearched: () => [...partly.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

/** The files that mention one term, sorted. */
function pathsOf(found: string | Set<string> | undefined): string[] {
  if (found === undefined) return [];
  if (typeof found === 'string') return [found];
  return [...found].sort();
}

const WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  WORD[c] = /[A-Za-z0-9_]/.test(ch) ? 1 : 0;
}

/**
 * A matcher for many terms at once: a byte trie walked from every position that does not follow
 * a word character. Returns the ids (indexes into `terms`) of the terms found as whole words.
 */
export function compileTerms(terms: readonly string[]): (bytes: Uint8Array) => number[] {
  const encoded = terms.map(termBytes);
  const edges = new EdgeTable(encoded.reduce((n, b) => n + b.length, 0));
  const termAt = new Int32Array(edges.capacity + 1).fill(-1);
  let nodes = 1;
  encoded.forEach((bytes, id) => {
    let node = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = typeof bytes === 'string' ? bytes.charCodeAt(i) : bytes[i];
      let next = edges.get(node, b);
      if (next < 0) {
        next = nodes++;
        edges.set(node, b, next);
      }
      node = next;
    }
    termAt[node] = id;
  });
  // The first step is the hot one: a table instead of a lookup.
  const first = new Int32Array(256);
  for (let b = 0; b < 256; b++) first[b] = edges.get(0, b);
  const seen = new Int32Array(terms.length);
  let stamp = 0;

  return (bytes) => {
    stamp++;
    const hits: number[] = [];
    const n = bytes.length;
    for (let p = 0; p < n; p++) {
      if (p > 0 && WORD[bytes[p - 1]]) continue;
      let node = first[bytes[p]];
      let q = p + 1;
      while (node >= 0) {
        const id = termAt[node];
        if (id >= 0 && seen[id] !== stamp && (q === n || !WORD[bytes[q]])) {
          seen[id] = stamp;
          hits.push(id);
        }
        if (q === n) break;
        node = edges.get(node, bytes[q++]);
      }
    }
    return hits;
  };
}

/** A term's UTF-8 bytes: an all-ASCII term is its own bytes, read with charCodeAt. */
function termBytes(term: string): string | Buffer {
  for (let i = 0; i < term.length; i++) if (term.charCodeAt(i) > 0x7f) return Buffer.from(term, 'utf8');
  return term;
}

/**
 * The trie's edges (node, byte) → node in one open-addressed table of typed arrays: thousands of
 * terms make hundreds of thousands of edges, which a Map holds and finds several times slower.
 */
class EdgeTable {
  readonly capacity: number;
  private readonly mask: number;
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly byte: Uint8Array;

  /** Room for `edges` edges at most half full. */
  constructor(edges: number) {
    let size = 16;
    while (size < edges * 2) size *= 2;
    this.capacity = edges;
    this.mask = size - 1;
    this.from = new Int32Array(size).fill(-1);
    this.to = new Int32Array(size);
    this.byte = new Uint8Array(size);
  }

  get(node: number, b: number): number {
    for (let i = this.slot(node, b); ; i = (i + 1) & this.mask) {
      const f = this.from[i];
      if (f < 0) return -1;
      if (f === node && this.byte[i] === b) return this.to[i];
    }
  }

  set(node: number, b: number, next: number): void {
    let i = this.slot(node, b);
    while (this.from[i] >= 0) i = (i + 1) & this.mask;
    this.from[i] = node;
    this.byte[i] = b;
    this.to[i] = next;
  }

  private slot(node: number, b: number): number {
    return (Math.imul(node, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0 & this.mask;
  }
}
