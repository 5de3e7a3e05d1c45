/**
 * Writes through a helper: a repository or CRUD function of the project (`async def
 * update_wallet(…)` in `crud.py` running an UPDATE, a `saveOrder` calling `prisma.order.update`)
 * writes to the database, so a changed call to it is a data write, and so is a changed line whose
 * value such a call depends on in the same function: a variable it assigns that the call takes or
 * that a condition around the call tests.
 *
 * The helpers are the functions called in the functions the change edits, looked up by name with
 * the repository search, and their definitions read from the files found (unchanged ones are the
 * same at the base). The cost is bounded: so many names, so many files read, so long a body.
 */
import { findFunctions, type FunctionSpan } from '../functions';
import { languageOf, type Language } from '../languages';
import { scanLines, type ScannedLine } from '../scan';
import { ecosystemsOf, sqlWrite } from './data-writes';

/** Names looked up per change at most, and files read for their definitions. */
export const MAX_HELPER_NAMES = 64;
export const MAX_HELPER_FILES = 48;
/** A function longer than this is not read for its calls, nor a helper body for its writes. */
const MAX_FUNCTION_LINES = 200;

/** A helper of the repository that writes, by name. */
export interface WritingHelper {
  name: string;
  path: string;
  /** The write its body makes, as written (`UPDATE wallets SET`, `.update(`). */
  term: string;
}

// Words followed by `(` that are no call of a project function.
const NOT_HELPERS = new Set([
  'if', 'elif', 'else', 'for', 'while', 'switch', 'catch', 'return', 'await', 'yield', 'function', 'def', 'func', 'fun', 'new', 'typeof', 'super', 'this', 'self', 'print', 'len', 'str', 'int', 'float',
  'bool', 'dict', 'list', 'set', 'tuple', 'isinstance', 'range', 'enumerate', 'zip', 'map', 'filter', 'sorted', 'min', 'max', 'sum', 'any', 'all', 'getattr', 'setattr', 'hasattr', 'make', 'append',
  'require', 'import', 'with', 'assert', 'not', 'and', 'or', 'in', 'is', 'lambda', 'raise', 'throw', 'puts', 'p', 'fmt', 'String', 'Number', 'Boolean', 'Array', 'Object', 'JSON', 'Promise', 'Error',
  // Methods of maps, lists, strings and promises: `request.GET.get("user")` calls no `get` of the project.
  'get', 'has', 'keys', 'values', 'items', 'join', 'split', 'format', 'first', 'last', 'then', 'next', 'call', 'apply', 'bind', 'equals', 'contains', 'size', 'copy',
  'strip', 'lower', 'upper', 'replace', 'startswith', 'endswith', 'encode', 'decode', 'toString', 'valueOf', 'push', 'pop', 'slice', 'trim', 'includes', 'indexOf',
]);

/** The names a function's lines call, by their last identifier (`crud.update_wallet(` → update_wallet). */
export function callsIn(scanned: readonly ScannedLine[], start: number, end: number): Set<string> {
  const out = new Set<string>();
  for (let n = start; n <= end && n <= scanned.length; n++) {
    const bare = scanned[n - 1].bare;
    // A call needs its parenthesis: most lines are passed over without a look back.
    for (let at = bare.indexOf('('); at >= 0; at = bare.indexOf('(', at + 1)) {
      const name = calledBefore(bare, at);
      if (name !== undefined && !NOT_HELPERS.has(name) && name.length > 2) out.add(name);
    }
  }
  return out;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
/** `[\w$]`, as a character code. */
const isIdent = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

/**
 * The name called by the parenthesis at `paren`, read backwards: `name(`, `name?(`, `a.b . name (`.
 * The chain of receivers must not follow a word character or a dot (`x..y(`, `foo?.bar(` call no
 * name of their own), unless a space separates one of its links from what comes before.
 */
function calledBefore(text: string, paren: number): string | undefined {
  let j = paren - 1;
  while (j >= 0 && isSpace(text.charCodeAt(j))) j--;
  const nameEnd = j + 1;
  if (j >= 0 && (text[j] === '?' || text[j] === '!')) j--;
  let i = j;
  while (i >= 0 && isIdent(text.charCodeAt(i))) i--;
  const nameStart = i + 1;
  if (nameStart > j || !isNameStart(text.charCodeAt(nameStart))) return undefined;
  const name = text.slice(nameStart, nameEnd);
  // Where the chain may start: before a link with nothing of a word or a dot before it.
  let linkStart = nameStart;
  for (;;) {
    const before = linkStart - 1;
    if (before < 0) return name;
    const c = text.charCodeAt(before);
    if (isSpace(c)) return name;
    if (c !== 46 /* . */ && !isIdent(c)) return name;
    if (c !== 46) return undefined;
    let k = before - 1;
    while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
    let r = k;
    while (r >= 0 && isIdent(text.charCodeAt(r))) r--;
    if (r === k) return undefined;
    linkStart = r + 1;
  }
}

/** The innermost function of `spans` around line `line` (1-based). */
export function functionAt(spans: readonly FunctionSpan[], line: number): FunctionSpan | undefined {
  let best: FunctionSpan | undefined;
  for (const f of spans) if (f.start <= line && line <= f.end && (!best || f.start >= best.start)) best = f;
  return best;
}

/** Adds the names called in the functions around the changed lines of one file to `into`, under the bound; false once it is reached. */
export function helperCandidates(file: { functions: readonly FunctionSpan[]; scanned: readonly ScannedLine[]; changed: readonly number[] }, into: Set<string>): boolean {
  const seen = new Set<FunctionSpan>();
  for (const line of file.changed) {
    if (into.size >= MAX_HELPER_NAMES) return false;
    const fn = functionAt(file.functions, line);
    if (!fn || seen.has(fn) || fn.end - fn.start > MAX_FUNCTION_LINES) continue;
    seen.add(fn);
    for (const name of callsIn(file.scanned, fn.start, fn.end)) {
      if (into.size >= MAX_HELPER_NAMES) return false;
      if (name !== fn.name) into.add(name);
    }
  }
  return into.size < MAX_HELPER_NAMES;
}

/** The write a function body makes, if any: an ORM write of an ecosystem its file uses, or SQL that writes. */
function bodyWrite(path: string, lang: Language, content: string, lines: readonly string[], scanned: readonly ScannedLine[], fn: FunctionSpan): string | undefined {
  const body = scanned.slice(fn.start, fn.end);
  const bare = body.map((l) => l.bare).join('\n');
  for (const e of ecosystemsOf(path, lang.id, content)) {
    const m = e.writes?.exec(bare);
    if (m) return m[0].replace(/\s+/g, ' ').trim();
  }
  // A string standing alone on its lines (a `"""` query passed on the next line) reads as a docstring to the scanner: the lines as written say.
  return sqlWrite(body.map((l) => l.code).join('\n')) ?? sqlWrite(lines.slice(fn.start, fn.end).join('\n'));
}

/**
 * The helpers among `names` that write, from the files the search found naming them (`texts`,
 * by path). A name defined more than once counts when one of its definitions writes.
 */
export function writingHelpers(names: ReadonlySet<string>, texts: ReadonlyMap<string, string>): Map<string, WritingHelper> {
  const out = new Map<string, WritingHelper>();
  for (const [path, content] of texts) {
    const lang = languageOf(path);
    if (!lang) continue;
    const lines = content.split('\n');
    const scanned = scanLines(lines, lang);
    for (const fn of findFunctions(lines, scanned, lang)) {
      if (!names.has(fn.name) || out.has(fn.name) || fn.end - fn.start > MAX_FUNCTION_LINES) continue;
      const term = bodyWrite(path, lang, content, lines, scanned, fn);
      if (term) out.set(fn.name, { name: fn.name, path, term });
    }
  }
  return out;
}

/** The files to read for the helpers' definitions: code files the search found naming them, those naming the most first. */
export function helperFiles(names: ReadonlySet<string>, refs: ReadonlyMap<string, readonly string[]>, isCode: (path: string) => boolean): string[] {
  const count = new Map<string, number>();
  for (const name of names) for (const p of refs.get(name) ?? []) if (isCode(p)) count.set(p, (count.get(p) ?? 0) + 1);
  return [...count]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_HELPER_FILES)
    .map(([p]) => p);
}

const ASSIGNED = /^\s*(?:(?:const|let|var|val|final)\s+)?(?:[\w$<>[\],\s]+\s+)?([A-Za-z_$][\w$]*)\s*(?::\s*[\w$.[\]<>| ]+)?\s*(?::=|=(?!=))/;
const GUARD = /^\s*(?:\}\s*)?(?:if|elif|elsif|else\s+if|unless|when|case|switch|while)\b/;

const indent = (s: string) => /^\s*/.exec(s)![0].length;

function mentions(code: string, name: string): boolean {
  return new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(code);
}

/** A call to a writing helper on a line: the helper, and where its argument list opens. */
export interface HelperCall {
  helper: WritingHelper;
  open: number;
}

/** The first call to a writing helper on each line of a file, by 1-based line: read once per file. */
export function helperCalls(scanned: readonly ScannedLine[], helpers: ReadonlyMap<string, WritingHelper>): Map<number, HelperCall> {
  const out = new Map<number, HelperCall>();
  scanned.forEach((l, n) => {
    const bare = l.bare;
    for (let at = bare.indexOf('('); at >= 0; at = bare.indexOf('(', at + 1)) {
      const name = calledBefore(bare, at);
      const h = name === undefined ? undefined : helpers.get(name);
      if (h) {
        out.set(n + 1, { helper: h, open: at });
        break;
      }
    }
  });
  return out;
}

/** Whether the argument list a call opens on line `from` (at `open`) is still open when line `to` starts. */
function openUntil(scanned: readonly ScannedLine[], from: number, open: number, to: number): boolean {
  let depth = 0;
  for (let n = from; n < to; n++) {
    const bare = scanned[n - 1].bare;
    for (let i = n === from ? open : 0; i < bare.length; i++) {
      const c = bare[i];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
    }
    if (depth <= 0) return false;
  }
  return true;
}

/** Whether line `g` (1-based) opens a block that holds line `h`, by indentation. */
function encloses(lines: readonly ScannedLine[], g: number, h: number): boolean {
  const at = indent(lines[g - 1].code);
  for (let n = g + 1; n <= h; n++) if (lines[n - 1].code.trim() && indent(lines[n - 1].code) <= at) return false;
  return true;
}

export interface ThroughHit {
  helper: WritingHelper;
  /** The call's line (1-based), when it is not the changed line itself. */
  via?: number;
}

/**
 * The helper write a changed line of the new side reaches: a call to a writing helper on it; one
 * whose arguments it is (a call opened on an earlier line of its statement `span`, or of its
 * function when the statement is unknown, and not closed yet); one in the block of the condition
 * it is; or, for a variable it assigns, one further down the same function that takes the
 * variable or that a condition testing the variable encloses.
 */
export function writeThrough(o: { scanned: readonly ScannedLine[]; functions: readonly FunctionSpan[]; calls: ReadonlyMap<number, HelperCall>; line: number; span?: { start: number; end: number } }): ThroughHit | undefined {
  const { scanned, calls, line } = o;
  if (!calls.size || line > scanned.length) return undefined;
  const own = calls.get(line);
  if (own) return { helper: own.helper };
  const fn = functionAt(o.functions, line);
  if (!fn || fn.end - fn.start > MAX_FUNCTION_LINES) return undefined;
  // The statement's start when parsed, else the function's: a call opened above and still open.
  const span = o.span && o.span.end - o.span.start < MAX_FUNCTION_LINES ? o.span : { start: fn.start, end: line };
  for (let n = Math.max(span.start, fn.start); n < line; n++) {
    const c = calls.get(n);
    if (c && openUntil(scanned, n, c.open, line)) return { helper: c.helper, via: n };
  }
  // A condition whose block holds the call (its statement, read by indentation when not parsed).
  if (GUARD.test(scanned[line - 1].bare)) {
    for (let n = line + 1; n <= fn.end && encloses(scanned, line, n); n++) {
      const c = calls.get(n);
      if (c) return { helper: c.helper, via: n };
    }
  }
  const assigned = ASSIGNED.exec(scanned[line - 1].bare)?.[1];
  if (!assigned) return undefined;
  for (let n = Math.max(line, o.span?.end ?? line) + 1; n <= fn.end; n++) {
    const h = calls.get(n)?.helper;
    if (!h) continue;
    if (mentions(scanned[n - 1].bare, assigned)) return { helper: h, via: n };
    for (let g = n - 1; g > line; g--) {
      if (GUARD.test(scanned[g - 1].bare) && mentions(scanned[g - 1].bare, assigned) && encloses(scanned, g, n)) return { helper: h, via: n };
    }
  }
  return undefined;
}
