/**
 * Path globs of the policy file (`tiers[].glob`, `ignore[]`): `**` spans folders, `*` and `?` stay
 * inside one path segment, `{a,b}` picks alternatives. As in .gitignore, a pattern without a slash
 * matches a file name at any depth, and a trailing slash means "everything under this folder".
 *
 * A policy comes with the repository, so its globs are hostile input. A backtracking regular
 * expression takes exponential time on `*a*a*a…b`; here a glob compiles to an automaton that reads
 * each character of a path once, keeping the set of places the pattern can be (a Thompson NFA), with
 * the sets it meets cached as DFA states. Work per character is bounded by the automaton's size,
 * which the policy schema bounds through the glob's length.
 */

export type PathMatcher = (path: string) => boolean;

export class GlobError extends Error {}

// ---- parsing ---------------------------------------------------------------------------------

type Node =
  | { t: 'char'; c: string }
  | { t: 'one' } // `?`: one character of a segment
  | { t: 'star' } // `*`: any run of characters inside a segment
  | { t: 'any' } // trailing `**`: anything, across folders
  | { t: 'folders' } // `**/`: zero or more whole folders
  | { t: 'alt'; options: Node[][] };

function parse(glob: string): Node[] {
  const root: Node[] = [];
  // Open braces: the alternatives parsed so far and the one being filled.
  const open: { options: Node[][]; current: Node[] }[] = [];
  const out = () => (open.length ? open[open.length - 1].current : root);
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (!atStart || !atEnd) throw new GlobError(`"**" must be a whole path segment in "${glob}"`);
        if (glob[i + 2] === '/') {
          out().push({ t: 'folders' });
          i += 2;
        } else {
          out().push({ t: 'any' });
          i += 1;
        }
      } else out().push({ t: 'star' });
    } else if (ch === '?') out().push({ t: 'one' });
    else if (ch === '{') {
      open.push({ options: [], current: [] });
    } else if (ch === '}' && open.length) {
      const b = open.pop()!;
      out().push({ t: 'alt', options: [...b.options, b.current] });
    } else if (ch === ',' && open.length) {
      const b = open[open.length - 1];
      b.options.push(b.current);
      b.current = [];
    } else out().push({ t: 'char', c: ch });
  }
  if (open.length) throw new GlobError(`unclosed "{" in "${glob}"`);
  return root;
}

// ---- the automaton ---------------------------------------------------------------------------

/** NFA states: consuming ones (a character, a segment character, any character), splits, and the end. */
const CHAR = 0;
const SEGMENT = 1; // any character but "/"
const ANY = 2;
const SPLIT = 3;
const MATCH = 4;

class Nfa {
  readonly kind: number[] = [];
  readonly ch: string[] = [];
  /** Where a consuming state goes, or a split's targets. */
  readonly out: number[][] = [];

  add(kind: number, ch = '', out: number[] = []): number {
    this.kind.push(kind);
    this.ch.push(ch);
    this.out.push(out);
    return this.kind.length - 1;
  }

  get size(): number {
    return this.kind.length;
  }
}

/** Builds `nodes` so that it continues into state `next`; returns its first state. */
function build(nfa: Nfa, nodes: Node[], next: number): number {
  let at = next;
  for (let k = nodes.length - 1; k >= 0; k--) at = buildOne(nfa, nodes[k], at);
  return at;
}

function buildOne(nfa: Nfa, node: Node, next: number): number {
  switch (node.t) {
    case 'char':
      return nfa.add(CHAR, node.c, [next]);
    case 'one':
      return nfa.add(SEGMENT, '', [next]);
    case 'star':
    case 'any': {
      const loop = nfa.add(SPLIT);
      const step = nfa.add(node.t === 'star' ? SEGMENT : ANY, '', [loop]);
      nfa.out[loop].push(step, next);
      return loop;
    }
    case 'folders': {
      // (segment-characters* "/")*
      const loop = nfa.add(SPLIT);
      const inner = nfa.add(SPLIT);
      const step = nfa.add(SEGMENT, '', [inner]);
      const slash = nfa.add(CHAR, '/', [loop]);
      nfa.out[inner].push(step, slash);
      nfa.out[loop].push(inner, next);
      return loop;
    }
    case 'alt':
      return nfa.add(
        SPLIT,
        '',
        node.options.map((o) => build(nfa, o, next)),
      );
  }
}

/** Most cached DFA states per matcher; past it, sets are still computed, just not kept. */
const MAX_DFA_STATES = 2000;

interface DState {
  /** The consuming NFA states the pattern can be in (after following every split). */
  states: Int32Array;
  accepts: boolean;
  next: (DState | undefined)[];
}

/**
 * A compiled glob (or several: any of them). `steps` counts the NFA states visited and cache
 * look-ups, so tests can check that work grows linearly with the path.
 */
export class GlobAutomaton {
  private readonly nfa = new Nfa();
  private readonly start: DState;
  private readonly cache = new Map<string, DState>();
  /** Character → class: each literal character of the patterns has its own, "/" too, the rest share class 0. */
  private readonly classOf = new Map<string, number>();
  private readonly classChar: string[] = [''];
  /** The same for ASCII, as a table: most paths are ASCII, and this is the inner loop. */
  private readonly ascii = new Uint16Array(128);
  private readonly mark: Int32Array;
  private epoch = 0;
  steps = 0;

  constructor(patterns: Node[][]) {
    const end = this.nfa.add(MATCH);
    const starts = patterns.map((p) => build(this.nfa, p, end));
    const first = this.nfa.add(SPLIT, '', starts);
    this.mark = new Int32Array(this.nfa.size);
    for (let s = 0; s < this.nfa.size; s++) if (this.nfa.kind[s] === CHAR) this.classFor(this.nfa.ch[s]);
    this.classFor('/');
    this.start = this.state(this.closure([first])).d;
  }

  get nfaSize(): number {
    return this.nfa.size;
  }

  private classFor(c: string): number {
    let k = this.classOf.get(c);
    if (k === undefined) {
      k = this.classChar.length;
      this.classOf.set(c, k);
      this.classChar.push(c);
      if (c.charCodeAt(0) < 128) this.ascii[c.charCodeAt(0)] = k;
    }
    return k;
  }

  /** The consuming states reachable from `from` through splits, sorted, and whether the end is. */
  private closure(from: number[]): { states: Int32Array; accepts: boolean } {
    const epoch = ++this.epoch;
    const found: number[] = [];
    let accepts = false;
    const stack = [...from];
    while (stack.length) {
      const s = stack.pop()!;
      this.steps++;
      if (this.mark[s] === epoch) continue;
      this.mark[s] = epoch;
      const kind = this.nfa.kind[s];
      if (kind === SPLIT) for (const t of this.nfa.out[s]) stack.push(t);
      else if (kind === MATCH) accepts = true;
      else found.push(s);
    }
    found.sort((a, b) => a - b);
    return { states: Int32Array.from(found), accepts };
  }

  /** The DFA state for a set, from the cache when it is there (or added, while there is room). */
  private state(set: { states: Int32Array; accepts: boolean }): { d: DState; kept: boolean } {
    const key = `${set.accepts ? 'end:' : ''}${set.states.join(',')}`;
    const known = this.cache.get(key);
    if (known) return { d: known, kept: true };
    const d: DState = { states: set.states, accepts: set.accepts, next: [] };
    const kept = this.cache.size < MAX_DFA_STATES;
    if (kept) this.cache.set(key, d);
    return { d, kept };
  }

  private advance(d: DState, cls: number): DState {
    const c = this.classChar[cls];
    const targets: number[] = [];
    for (const s of d.states) {
      this.steps++;
      const kind = this.nfa.kind[s];
      const ok = kind === ANY || (kind === SEGMENT && c !== '/') || (kind === CHAR && cls !== 0 && this.nfa.ch[s] === c);
      if (ok) targets.push(this.nfa.out[s][0]);
    }
    const { d: next, kept } = this.state(this.closure(targets));
    // Only edges between kept states are remembered, so memory stays bounded by the cache.
    if (kept) d.next[cls] = next;
    return next;
  }

  /** Reads the path once, a UTF-16 unit at a time (as the patterns are read). */
  test(path: string): boolean {
    let d = this.start;
    for (let i = 0; i < path.length; i++) {
      if (d.states.length === 0) return false;
      const code = path.charCodeAt(i);
      const cls = code < 128 ? this.ascii[code] : (this.classOf.get(path[i]) ?? 0);
      this.steps++;
      d = d.next[cls] ?? this.advance(d, cls);
    }
    return d.accepts;
  }
}

/** The pattern a glob stands for, after the shorthands (`./`, a leading or trailing `/`, no slash = any depth). */
function normalize(glob: string): Node[] {
  let pattern = glob.trim().replace(/^\.\//, '');
  if (pattern.endsWith('/')) pattern += '**';
  const anyDepth = !pattern.replace(/\/\*\*$/, '').includes('/');
  const body = parse(pattern.replace(/^\//, ''));
  return anyDepth ? [{ t: 'folders' }, ...body] : body;
}

/** Compiles globs into one automaton (any of them); throws GlobError when one is malformed. */
export function compileAutomaton(globs: readonly string[]): GlobAutomaton {
  return new GlobAutomaton(globs.map(normalize));
}

/** Compiles a glob; throws GlobError (the caller names the policy field) when it is malformed. */
export function compileGlob(glob: string): PathMatcher {
  const a = compileAutomaton([glob]);
  return (path) => a.test(path);
}

/** One matcher for a list of globs (any of them). */
export function compileGlobs(globs: string[]): PathMatcher {
  const a = compileAutomaton(globs);
  return (path) => a.test(path);
}
