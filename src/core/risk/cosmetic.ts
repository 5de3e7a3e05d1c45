/**
 * Changes that do not reach the running program: a statement re-wrapped over other lines (the same
 * tokens in the same order), imports only moved or reordered, and TypeScript `type` and `interface`
 * declarations, which the compiler erases.
 */
import type { ChangedLine } from '../change/types';
import type { Language } from './languages';
import type { ScannedLine } from './scan';

/** Files whose `type` and `interface` declarations are TypeScript's, erased at run time. */
const TYPESCRIPT = /\.(?:ts|tsx|mts|cts)$/;
const TYPE_DECL = /^\s*(?:export\s+)?(?:declare\s+)?(?:interface\s+[A-Za-z_$][\w$]*\b|type\s+[A-Za-z_$][\w$]*\s*(?:<.*>)?\s*=)/;
/** A line that leaves the declaration open: it ends in an operator, or the next one starts with one. */
const OPEN_END = /(?:[=&|,(<:?]|=>)\s*$/;
const CONTINUES = /^\s*(?:[&|.?:]|=>)/;

export interface TypeSpan {
  start: number;
  end: number;
}

/** The `type` and `interface` declarations of a TypeScript file's new version: 1-based, inclusive. */
export function typeDeclarations(path: string, scanned: readonly ScannedLine[]): TypeSpan[] {
  if (!TYPESCRIPT.test(path)) return [];
  const spans: TypeSpan[] = [];
  for (let n = 0; n < scanned.length; n++) {
    if (!TYPE_DECL.test(scanned[n].bare)) continue;
    const isInterface = /^\s*(?:export\s+)?(?:declare\s+)?interface\b/.test(scanned[n].bare);
    let depth = 0;
    let opened = false;
    let end = -1;
    for (let m = n; m < scanned.length; m++) {
      const bare = scanned[m].bare;
      for (const ch of bare) {
        if (ch === '{' || ch === '(' || ch === '[') {
          depth++;
          if (ch === '{') opened = true;
        } else if (ch === '}' || ch === ')' || ch === ']') depth--;
      }
      if (depth < 0) break;
      if (depth > 0 || bare.trim() === '') continue;
      if (isInterface) {
        if (opened) {
          end = m;
          break;
        }
        continue;
      }
      let next = m + 1;
      while (next < scanned.length && scanned[next].bare.trim() === '') next++;
      if (/;\s*$/.test(bare) || (!OPEN_END.test(bare) && !(next < scanned.length && CONTINUES.test(scanned[next].bare)))) {
        end = m;
        break;
      }
    }
    if (end < 0) continue;
    spans.push({ start: n + 1, end: end + 1 });
    n = end;
  }
  return spans;
}

/** The span holding new-version line `line`, or undefined. */
export function spanAt(spans: readonly TypeSpan[], line: number): TypeSpan | undefined {
  return spans.find((s) => line >= s.start && line <= s.end);
}

/**
 * Whether a removed line sat inside one of the new version's type declarations: the lines on both
 * sides of its place belong to the same declaration, or it is a declaration's old first line, just
 * above the new one.
 */
export function removedInside(spans: readonly TypeSpan[], l: ChangedLine, code: string): boolean {
  if (l.after === undefined) return false;
  const s = spanAt(spans, l.after);
  if (s) return l.after + 1 <= s.end;
  return TYPE_DECL.test(code) && spanAt(spans, l.after + 1)?.start === l.after + 1;
}

const TOKEN = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|[\w$]+|\S/g;
/** Statements a line break ends in JavaScript and Go (automatic semicolons): their wrapping is not cosmetic. */
const BREAK_ENDS = /(?:^|[^\w$.])(?:return|throw|break|continue|yield|async)\s*$|(?:\+\+|--)\s*$/;

const WRAPPABLE = new Set(['js', 'go', 'java', 'c']);

/** The lines `pick` chooses, and the others. */
function split(lines: readonly string[], pick: (line: string) => boolean): [string[], string[]] {
  const yes: string[] = [];
  const no: string[] = [];
  for (const l of lines) (pick(l) ? yes : no).push(l);
  return [yes, no];
}

function tokens(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) for (const m of l.matchAll(TOKEN)) out.push(m[0]);
  return out;
}

/**
 * True when the added and removed code lines are the same program: the same imports in any order,
 * and the other lines the same tokens in the same order, however they are wrapped. Only for brace
 * languages whose line breaks and indentation carry no meaning (Kotlin's do: a line that starts
 * with `+` is a statement of its own).
 */
const SPACE = /\s/;

/** How many characters of `texts` are not white space (as `\s` reads it). */
function nonSpaceLength(texts: readonly string[]): number {
  let n = 0;
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 32 || (c >= 9 && c <= 13)) continue;
      if (c < 128 || !SPACE.test(t[i])) n++;
    }
  }
  return n;
}

export function sameTokens(added: readonly string[], removed: readonly string[], lang: Language, isImport: (code: string) => boolean): boolean {
  if (!WRAPPABLE.has(lang.id)) return false;
  const [importsAdded, codeAdded] = split(added, isImport);
  const [importsRemoved, codeRemoved] = split(removed, isImport);
  if (importsAdded.length !== importsRemoved.length) return false;
  // Every character but whitespace belongs to a token: the same tokens leave the same text once
  // whitespace is taken out, which most edits fail at once, before anything is tokenized.
  // Counting those characters first spares building the texts for the many edits that differ in length.
  if (nonSpaceLength(codeAdded) !== nonSpaceLength(codeRemoved)) return false;
  if (codeAdded.join('').replace(/\s+/g, '') !== codeRemoved.join('').replace(/\s+/g, '')) return false;
  const sortedAdded = importsAdded.map((s) => s.replace(/\s+/g, ' ').trim()).sort();
  const sortedRemoved = importsRemoved.map((s) => s.replace(/\s+/g, ' ').trim()).sort();
  if (sortedAdded.some((s, i) => s !== sortedRemoved[i])) return false;
  if ([...codeAdded, ...codeRemoved].some((c) => BREAK_ENDS.test(c))) return false;
  const a = tokens(codeAdded);
  const r = tokens(codeRemoved);
  return a.length === r.length && a.every((t, i) => t === r[i]);
}
