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
import { eachInSlices, isBinary, MAX_CONTENT_BYTES, readHead, type Head } from './files';
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
 * A matcher for many (distinct) terms at once. Returns the ids (indexes into `terms`) of the terms
 * found as whole words.
 *
 * A term that starts with a word character can only match where a run of word characters starts,
 * and that run is then exactly the term's own first run (the term's next byte, if any, is not a
 * word character). So the text is read once, run by run: each run is looked up in a hash table of
 * those first runs, and only the terms filed under it are compared byte by byte. The few terms that
 * start with any other byte (`$x`, a non-ASCII letter) are found with a byte trie walked from every
 * position that does not follow a word character.
 */
export function compileTerms(terms: readonly string[]): (bytes: Uint8Array) => number[] {
  const encoded = terms.map((t) => Buffer.from(t, 'utf8'));
  const byRun = new RunTable(terms.length);
  const others: number[] = [];
  encoded.forEach((bytes, id) => {
    if (!WORD[bytes[0]]) {
      others.push(id);
      return;
    }
    let k = 1;
    while (k < bytes.length && WORD[bytes[k]]) k++;
    byRun.add(bytes, k, id, k === bytes.length);
  });
  const walk = others.length ? trieMatcher(others.map((id) => encoded[id]), others) : undefined;
  const seen = new Int32Array(terms.length);
  let stamp = 0;

  return (bytes) => {
    stamp++;
    const hits: number[] = [];
    const report = (id: number) => {
      if (seen[id] !== stamp) {
        seen[id] = stamp;
        hits.push(id);
      }
    };
    const n = bytes.length;
    let p = 0;
    while (p < n) {
      if (!WORD[bytes[p]]) {
        p++;
        continue;
      }
      // A run of word characters from p to q, and its hash.
      let h = FNV_OFFSET;
      let q = p;
      while (q < n && WORD[bytes[q]]) h = Math.imul(h ^ bytes[q++], FNV_PRIME);
      const entry = byRun.find(h, bytes, p, q - p);
      if (entry >= 0) {
        const whole = byRun.whole[entry];
        if (whole >= 0) report(whole);
        const longer = byRun.longer[entry];
        if (longer) {
          for (const id of longer) {
            const t = encoded[id];
            const end = p + t.length;
            if (end > n || (end < n && WORD[bytes[end]])) continue;
            let same = true;
            for (let i = q - p; i < t.length && same; i++) same = bytes[p + i] === t[i];
            if (same) report(id);
          }
        }
      }
      p = q;
    }
    if (walk) walk(bytes, report);
    return hits;
  };
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * The terms by their first run of word characters: an open-addressed table of hashes, each slot
 * an entry with the term that is that run alone (`whole`) and the terms that go on past it (`longer`).
 */
class RunTable {
  private readonly mask: number;
  private readonly hashes: Int32Array;
  /** Entry index + 1 by slot; 0: empty. */
  private readonly slots: Int32Array;
  private readonly runs: Buffer[] = [];
  readonly whole: number[] = [];
  readonly longer: (number[] | undefined)[] = [];

  constructor(terms: number) {
    let size = 16;
    while (size < terms * 2) size *= 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.slots = new Int32Array(size);
  }

  add(term: Buffer, runLength: number, id: number, whole: boolean): void {
    let h = FNV_OFFSET;
    for (let i = 0; i < runLength; i++) h = Math.imul(h ^ term[i], FNV_PRIME);
    let entry = this.find(h, term, 0, runLength);
    if (entry < 0) {
      entry = this.runs.length;
      this.runs.push(term.subarray(0, runLength));
      this.whole.push(-1);
      this.longer.push(undefined);
      let i = h & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.hashes[i] = h;
      this.slots[i] = entry + 1;
    }
    if (whole) this.whole[entry] = id;
    else (this.longer[entry] ??= []).push(id);
  }

  /** The entry of the run `bytes[from, from + length)` with hash `h`, or -1. */
  find(h: number, bytes: Uint8Array, from: number, length: number): number {
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i];
      if (slot === 0) return -1;
      if (this.hashes[i] !== h) continue;
      const run = this.runs[slot - 1];
      if (run.length !== length) continue;
      let k = 0;
      while (k < length && run[k] === bytes[from + k]) k++;
      if (k === length) return slot - 1;
    }
  }
}

/**
 * A byte trie of `encoded` terms (reported by `ids`), walked from every position that does not
 * follow a word character.
 */
function trieMatcher(encoded: readonly Uint8Array[], ids: readonly number[]): (bytes: Uint8Array, report: (id: number) => void) => void {
  const edges = new EdgeTable(encoded.reduce((n, b) => n + b.length, 0));
  const termAt = new Int32Array(edges.capacity + 1).fill(-1);
  let nodes = 1;
  encoded.forEach((bytes, k) => {
    let node = 0;
    for (let i = 0; i < bytes.length; i++) {
      let next = edges.get(node, bytes[i]);
      if (next < 0) {
        next = nodes++;
        edges.set(node, bytes[i], next);
      }
      node = next;
    }
    termAt[node] = ids[k];
  });
  // The first step is the hot one: a table instead of a lookup.
  const first = new Int32Array(256);
  for (let b = 0; b < 256; b++) first[b] = edges.get(0, b);
  return (bytes, report) => {
    const n = bytes.length;
    for (let p = 0; p < n; p++) {
      if (p > 0 && WORD[bytes[p - 1]]) continue;
      let node = first[bytes[p]];
      let q = p + 1;
      while (node >= 0) {
        const id = termAt[node];
        if (id >= 0 && (q === n || !WORD[bytes[q]])) report(id);
        if (q === n) break;
        node = edges.get(node, bytes[q++]);
      }
    }
  };
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
