/**
 * Where a block that starts on a given line ends: the body of an `if` guarded by a feature flag, or of a
 * function. Braces for C-like languages, indentation for Python, `if … end` for Ruby. Reads the
 * scanned lines, so braces and keywords inside strings and comments do not count.
 */
import type { Language } from './languages';
import { indentOf, type ScannedLine } from './scan';

/** How far a brace block's opening `{` may trail the end of its header's parentheses (return types, `throws`). */
const MAX_HEADER_LINES = 6;
/** How many lines a header's parentheses may span (a parameter list one per line). */
const MAX_SIGNATURE_LINES = 64;

/**
 * The last line (0-based, inclusive) of the block whose header is on line `start`, reading the header
 * from column `fromColumn` of the scanned `bare` text. A header with no block (a one-line `if`) ends
 * on its own line. `stopAtElse`: for Ruby, an `else`/`elsif` ends the guarded branch.
 */
export function blockEnd(lines: readonly string[], scanned: readonly ScannedLine[], start: number, lang: Language, fromColumn = 0, stopAtElse = false): number {
  switch (lang.block) {
    case 'brace':
      return braceEnd(scanned, start, fromColumn);
    case 'indent':
      return indentEnd(lines, scanned, start);
    case 'ruby':
      return rubyEnd(scanned, start, stopAtElse);
  }
}

const [OPEN_PAREN, CLOSE_PAREN, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE, SEMICOLON] = [...'()[]{};'].map((c) => c.charCodeAt(0));

/** What follows a closing brace that was part of a function's header, not its body. */
const HEADER_GOES_ON = /^\s*(?:=>|\{|\||&)/;

function braceEnd(scanned: readonly ScannedLine[], start: number, fromColumn: number): number {
  let depth = 0;
  let opened = false;
  let parens = 0;
  // Where the header's parentheses last closed: the trailing lines are counted from there.
  let closedAt = start;
  for (let n = start; n < scanned.length; n++) {
    const text = n === start ? scanned[n].bare.slice(fromColumn) : scanned[n].bare;
    // By code unit: every character looked for is ASCII, so no surrogate pair can be one.
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === OPEN_PAREN || ch === OPEN_BRACKET) parens++;
      else if (ch === CLOSE_PAREN || ch === CLOSE_BRACKET) parens--;
      else if (ch === OPEN_BRACE) {
        // Braces inside the header's parentheses are parameter types or object patterns, not the body.
        if (opened || parens <= 0) {
          depth++;
          opened = true;
        }
      } else if (ch === CLOSE_BRACE && (opened || parens <= 0)) {
        depth--;
        if (opened && depth <= 0) {
          // A type literal in the header (`(c): c is { env: E } => {`, `func f() struct{ a int } {`): the body follows.
          if (!HEADER_GOES_ON.test(text.slice(i + 1))) return n;
          opened = false;
          depth = 0;
        }
      } else if (ch === SEMICOLON && !opened && parens <= 0) return n;
    }
    if (!opened && parens > 0 && n - start >= MAX_SIGNATURE_LINES) return start;
    if (!opened && parens <= 0 && n - closedAt >= MAX_HEADER_LINES) return start;
    if (parens > 0) closedAt = n + 1;
    // A one-line statement without braces (`if (on) doIt()`) ends its line once the condition closed.
    // An arrow whose expression body starts on the next line (`… => ` then `  Number(…);`) goes on.
    if (!opened && parens <= 0 && n === start && /\)\s*\S/.test(text) && !/(?:[{(,&|]|=>?)\s*$/.test(text)) return n;
  }
  return opened ? scanned.length - 1 : start;
}

function indentEnd(lines: readonly string[], scanned: readonly ScannedLine[], start: number): number {
  const head = scanned[start].bare;
  // `if on: do_it()` keeps its body on the header line.
  const colon = head.lastIndexOf(':');
  if (colon >= 0 && head.slice(colon + 1).trim() !== '') return start;
  const base = indentOf(lines[start]);
  let end = start;
  let headerOpen = !/:\s*$/.test(head);
  for (let n = start + 1; n < lines.length; n++) {
    if (scanned[n].code === '') continue;
    if (headerOpen) {
      // A header continued on the next lines ends with the colon.
      end = n;
      if (/:\s*$/.test(scanned[n].bare)) headerOpen = false;
      continue;
    }
    if (indentOf(lines[n]) <= base) break;
    end = n;
  }
  return end;
}

const RUBY_OPENER = /^\s*(?:if|unless|while|until|case|def|class|module|begin|for)\b|\bdo(?:\s*\|[^|]*\|)?\s*$|=\s*(?:if|unless|case|begin)\b/;

function rubyEnd(scanned: readonly ScannedLine[], start: number, stopAtElse: boolean): number {
  let depth = 0;
  for (let n = start; n < scanned.length; n++) {
    const code = scanned[n].bare;
    if (n > start && stopAtElse && depth === 1 && /^\s*(?:else|elsif)\b/.test(code)) return n - 1;
    if (RUBY_OPENER.test(code)) depth++;
    const ends = code.match(/(?:^|[\s;])end\b(?![?!])/g);
    if (ends) depth -= ends.length;
    if (depth <= 0) return n;
  }
  return scanned.length - 1;
}

const RUBY_BRANCH = /^\s*(?:else|elsif|rescue|ensure|when|in)\b/;

/**
 * The last line (0-based, inclusive) of the block that encloses line `after` and continues past it:
 * what an early `return` on line `after` skips. Ends before the enclosing `}` or `end`, before a dedent
 * below `indentLine`'s indentation, or before a sibling `else`/`rescue` branch in Ruby. `after` itself
 * when nothing follows in the block.
 */
export function enclosingEnd(lines: readonly string[], scanned: readonly ScannedLine[], after: number, indentLine: number, lang: Language): number {
  let end = after;
  if (lang.block === 'indent') {
    const base = indentOf(lines[indentLine]);
    for (let n = after + 1; n < lines.length; n++) {
      if (scanned[n].code === '') continue;
      if (indentOf(lines[n]) < base) break;
      end = n;
    }
    return end;
  }
  let depth = 0;
  for (let n = after + 1; n < scanned.length; n++) {
    const code = scanned[n].bare;
    if (lang.block === 'ruby') {
      if (depth === 0 && RUBY_BRANCH.test(code)) break;
      if (RUBY_OPENER.test(code)) depth++;
      const ends = code.match(/(?:^|[\s;])end\b(?![?!])/g);
      if (ends) depth -= ends.length;
      if (depth < 0) break;
    } else {
      for (const ch of code) {
        if (ch === '{') depth++;
        else if (ch === '}') depth--;
        if (depth < 0) break;
      }
      if (depth < 0) break;
    }
    if (scanned[n].code !== '') end = n;
  }
  return end;
}

/**
 * The `else` branch that follows an `if` block whose header is on line `ifLine` and whose branch ends
 * on line `ifEnd` (0-based): the line holding `else` and the last line of its branch, or undefined.
 * `else if` chains are not followed: their conditions are the code's own, not the flag's.
 */
export function elseBranch(lines: readonly string[], scanned: readonly ScannedLine[], ifLine: number, ifEnd: number, lang: Language): { line: number; end: number } | undefined {
  let at = -1;
  let column = 0;
  const same = scanned[ifEnd].bare.search(/\}\s*else\b/);
  if (lang.block === 'brace' && same >= 0 && ifEnd > ifLine) {
    at = ifEnd;
    column = scanned[ifEnd].bare.indexOf('else', same);
  } else {
    for (let n = ifEnd + 1; n < scanned.length; n++) {
      if (scanned[n].code === '') continue;
      if (/^\s*(?:\}\s*)?else\b/.test(scanned[n].code)) at = n;
      break;
    }
    if (at >= 0) column = scanned[at].bare.indexOf('else');
  }
  if (at < 0 || /^\s*if\b/.test(scanned[at].bare.slice(column + 4))) return undefined;
  if (lang.block === 'indent' && indentOf(lines[at]) !== indentOf(lines[ifLine])) return undefined;
  if (lang.block === 'ruby') return { line: at, end: Math.max(at, rubyEnd(scanned, ifLine, false) - 1) };
  const end = blockEnd(lines, scanned, at, lang, column);
  return end > at ? { line: at, end } : undefined;
}
