/**
 * Separates code from comments, line by line, so that rules see only code and a change to a comment
 * is recognised as cosmetic. Strings are kept in `code` (SQL and flag names live in strings) and
 * blanked in `bare`, which is what brace counting reads. A JavaScript regular-expression literal
 * (`/^\/(signin|signup)/`) is a string too: kept in `code`, blanked in `bare`.
 */
import type { Language } from './languages';

export interface ScannedLine {
  /** The line without comments; string literals kept. Empty when the line is blank or only a comment. */
  code: string;
  /** The line without comments and with string contents removed (quotes kept). */
  bare: string;
}

const NON_BLANK = /\S/;

type State = { kind: 'none' } | { kind: 'comment'; end: string } | { kind: 'string'; end: string; docstring: boolean };

interface Syntax {
  multi: string[];
  /** Jumps straight to the next character that may open a comment or a string. */
  special?: RegExp;
}

const syntaxes = new WeakMap<Language, Syntax>();

/** What scanning needs of a language, worked out once per language. */
function syntaxOf(lang: Language): Syntax {
  const known = syntaxes.get(lang);
  if (known) return known;
  const starters = new Set<string>();
  for (const c of lang.lineComments) starters.add(c[0]);
  for (const [open] of lang.blockComments) starters.add(open[0]);
  for (const q of lang.quotes) starters.add(q[0]);
  for (const q of lang.multilineStrings) starters.add(q[0]);
  const syntax: Syntax = {
    multi: [...lang.multilineStrings].sort((a, b) => b.length - a.length),
    special: starters.size ? new RegExp(`[${[...starters].map((c) => `\\${c}`).join('')}]`, 'g') : undefined,
  };
  syntaxes.set(lang, syntax);
  return syntax;
}

/** NON_BLANK.test without the regex for ASCII whitespace, the usual case. */
function nonBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    // Other scripts have spaces of their own: the regex knows them.
    return c < 128 || NON_BLANK.test(text.slice(i));
  }
  return false;
}

/** Scans consecutive lines of one file (or one run of removed lines) in order. */
export function scanLines(lines: readonly string[], lang: Language): ScannedLine[] {
  const out: ScannedLine[] = new Array(lines.length);
  let state: State = { kind: 'none' };
  const { multi, special } = syntaxOf(lang);
  /** The code of the last line that had any, for a `/` that opens a line. */
  let lastCode = '';

  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let code = '';
    let bare = '';
    let i = 0;
    if (lang.id === 'ruby') {
      if (state.kind === 'comment') {
        if (line.startsWith('=end')) state = { kind: 'none' };
        out[n] = { code: '', bare: '' };
        continue;
      }
      if (line.startsWith('=begin')) {
        state = { kind: 'comment', end: '=end' };
        out[n] = { code: '', bare: '' };
        continue;
      }
    }
    if (state.kind === 'comment') {
      const end = line.indexOf(state.end);
      if (end < 0) {
        out[n] = { code: '', bare: '' };
        continue;
      }
      i = end + state.end.length;
      state = { kind: 'none' };
    } else if (state.kind === 'string') {
      const end = line.indexOf(state.end);
      const stop = end < 0 ? line.length : end + state.end.length;
      if (!state.docstring) {
        code += line.slice(0, stop);
        bare += end < 0 ? '' : state.end;
      }
      if (end < 0) {
        out[n] = { code, bare };
        continue;
      }
      i = stop;
      state = { kind: 'none' };
    }
    if (i === 0 && state.kind === 'none' && (!special || line.search(special) < 0)) {
      out[n] = nonBlank(line) ? { code: line, bare: line } : { code: '', bare: line };
      continue;
    }
    scan: while (i < line.length) {
      let next = line.length;
      if (special) {
        special.lastIndex = i;
        const m = special.exec(line);
        if (m) next = m.index;
      }
      if (next > i) {
        const segment = line.slice(i, next);
        code += segment;
        bare += segment;
        i = next;
        if (i >= line.length) break;
      }
      const ch = line[i];
      for (const c of lang.lineComments) if (line.startsWith(c, i)) break scan;
      for (const [open, close] of lang.blockComments) {
        if (lang.id !== 'ruby' && line.startsWith(open, i)) {
          const end = line.indexOf(close, i + open.length);
          if (end < 0) {
            state = { kind: 'comment', end: close };
            break scan;
          }
          i = end + close.length;
          code += ' ';
          bare += ' ';
          continue scan;
        }
      }
      for (const q of multi) {
        if (line.startsWith(q, i)) {
          const docstring = lang.id === 'python' && code.trim() === '' && q.length === 3;
          const end = line.indexOf(q, i + q.length);
          const stop = end < 0 ? line.length : end + q.length;
          if (!docstring) {
            code += line.slice(i, stop);
            bare += q + (end < 0 ? '' : q);
          }
          if (end < 0) {
            state = { kind: 'string', end: q, docstring };
            break scan;
          }
          i = stop;
          continue scan;
        }
      }
      if (ch === '/' && lang.id === 'js') {
        const end = regexEnd(line, i, nonBlank(code) ? code : lastCode);
        if (end > 0) {
          code += line.slice(i, end);
          bare += '""';
          i = end;
          continue;
        }
      }
      if (lang.quotes.includes(ch)) {
        let j = i + 1;
        while (j < line.length && line[j] !== ch) j += line[j] === '\\' ? 2 : 1;
        const stop = Math.min(line.length, j + 1);
        code += line.slice(i, stop);
        bare += ch + ch;
        i = stop;
        continue;
      }
      code += ch;
      bare += ch;
      i++;
    }
    out[n] = { code: nonBlank(code) ? code : '', bare };
    if (out[n].code) lastCode = code;
  }
  return out;
}

// Words after which a `/` opens a regular expression rather than dividing.
const BEFORE_REGEX_WORD = /(?:^|[^\w$.])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|instanceof|yield|await)$/;

/**
 * Where the regular-expression literal that starts at `line[i]` (a `/`) ends, or 0 when that `/` is
 * no regular expression: one divides after a value (a name, a number, `)`, `]`, `}`), closes a tag
 * after `<` (`</a>`), or is not closed on its line.
 */
function regexEnd(line: string, i: number, before: string): number {
  const prev = before.trimEnd();
  const last = prev[prev.length - 1];
  if (last !== undefined && (/[\w$)\]}<'"`]/.test(last) && !BEFORE_REGEX_WORD.test(prev))) return 0;
  let inClass = false;
  for (let j = i + 1; j < line.length; j++) {
    const c = line[j];
    if (c === '\\') j++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '/') {
      if (j === i + 1) return 0;
      let k = j + 1;
      while (k < line.length && /[a-z]/i.test(line[k])) k++;
      return k;
    }
  }
  return 0;
}

/** Leading whitespace width, tabs counting as 4 (only comparisons within one file matter). */
export function indentOf(line: string): number {
  let w = 0;
  for (const ch of line) {
    if (ch === ' ') w++;
    else if (ch === '\t') w += 4;
    else break;
  }
  return w;
}
