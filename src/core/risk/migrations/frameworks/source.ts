import { quoteOf, type Judgement, type Verdict } from '../judgement';
import { LineIndex } from '../line-index';

/*
 * A small reader for migration files written as code (Ruby, Python, JavaScript/TypeScript).
 * It is not a full parser: it knows where strings and comments are, so that calls are found
 * only in code, their arguments split only at real commas, and SQL inside strings is handed
 * to the PostgreSQL parser with the line it starts on.
 */

export type Lang = 'ruby' | 'python' | 'js';

export interface Literal {
  /** Span of the literal in the source, delimiters included (for a heredoc: its `<<~SQL` marker). */
  start: number;
  end: number;
  /** Where the string's own text begins: the SQL in it starts on this index's line. */
  contentStart: number;
  value: string;
}

export interface Arg {
  start: number;
  end: number;
  /** `name` of `name=value` (Python), `name: value` (Ruby, JS objects) or `:name => value`. */
  key?: string;
  /** Where the value begins (after the key). */
  valueStart: number;
}

export interface Call {
  name: string;
  start: number;
  end: number;
  line: number;
  endLine: number;
  args: Arg[];
}

export class Source extends LineIndex {
  /** The text with comments and string contents blanked, newlines kept: searches here never match inside them. */
  readonly code: string;
  readonly literals: Literal[] = [];

  constructor(
    text: string,
    readonly lang: Lang,
  ) {
    super(text);
    this.code = mask(text, lang, this.literals);
  }

  private readonly named = new Map<string, Set<string>>();

  /**
   * The names the calls matching `callee` give (`nameOf` reads one from a call): the tables a
   * migration creates, say. Worked out once per pattern for this text.
   */
  namesOf(callee: RegExp, nameOf: (call: Call) => string): Set<string> {
    let out = this.named.get(callee.source);
    if (!out) {
      out = new Set(this.calls(callee).map(nameOf));
      this.named.set(callee.source, out);
    }
    return out;
  }


  /** Index of the bracket that closes the one at `open`, or the end of the text. */
  closing(open: number): number {
    let depth = 0;
    for (let i = open; i < this.code.length; i++) {
      const c = this.code[i]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        depth--;
        if (depth === 0) return i;
      }
    }
    return this.code.length;
  }

  /**
   * Calls whose callee matches `callee` (a global regex over the masked code; group 1, or the
   * whole match, is the name). Arguments in parentheses, or — for Ruby — up to the end of the line.
   */
  calls(callee: RegExp): Call[] {
    const out: Call[] = [];
    for (const m of this.code.matchAll(callee)) {
      const name = m.slice(1).find((g) => g !== undefined) ?? m[0];
      let i = m.index + m[0].length;
      while (this.code[i] === ' ' || this.code[i] === '\t') i++;
      let argsStart: number;
      let argsEnd: number;
      let end: number;
      if (this.code[i] === '(') {
        argsStart = i + 1;
        argsEnd = this.closing(i);
        end = argsEnd + 1;
      } else if (this.lang === 'ruby') {
        argsStart = i;
        argsEnd = this.rubyLineEnd(i);
        // `create_table :users do |t|`: the block is not an argument.
        const block = /\s+do(\s*\|[^|]*\|)?\s*$/.exec(this.code.slice(argsStart, argsEnd));
        if (block) argsEnd = argsStart + block.index;
        end = argsEnd;
      } else continue;
      // `knex.schema.dropTable(…)`: a match on `.dropTable` starts the statement at its receiver.
      let start = m.index;
      if (this.code[start] === '.') while (start > 0 && /[\w.$]/.test(this.code[start - 1]!)) start--;
      out.push({ name, start, end, line: this.lineAt(start), endLine: this.lineAt(Math.max(start, end - 1)), args: this.splitArgs(argsStart, argsEnd) });
    }
    return out;
  }

  /** Arguments between two indexes, split at commas that are not nested in brackets. */
  splitArgs(from: number, to: number): Arg[] {
    const args: Arg[] = [];
    let depth = 0;
    let start = from;
    const push = (end: number): void => {
      const raw = this.code.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      const s = start + lead;
      const e = start + raw.trimEnd().length;
      if (e <= s) return;
      const body = this.code.slice(s, e);
      const key = /^(\w+)\s*=(?![=>])/.exec(body) ?? /^(\w+):\s/.exec(body) ?? /^:(\w+)\s*=>/.exec(body) ?? /^['"](\w+)['"]\s*:/.exec(this.text.slice(s, e));
      args.push({ start: s, end: e, key: key?.[1], valueStart: key ? s + key[0].length + (this.code.slice(s + key[0].length, e).length - this.code.slice(s + key[0].length, e).trimStart().length) : s });
    };
    for (let i = from; i < to; i++) {
      const c = this.code[i]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      else if (c === ',' && depth === 0) {
        push(i);
        start = i + 1;
      }
    }
    push(to);
    return args;
  }

  /** A Ruby call without parentheses ends at the line break, unless the line ends with a comma or an open bracket. */
  private rubyLineEnd(from: number): number {
    let depth = 0;
    for (let i = from; i < this.code.length; i++) {
      const c = this.code[i]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      else if (c === '\n' && depth <= 0 && !/,\s*$/.test(this.code.slice(from, i))) return i;
    }
    return this.code.length;
  }

  /** The text of an argument, as written. */
  raw(a: Arg | undefined): string {
    return a ? this.text.slice(a.valueStart, a.end).trim() : '';
  }

  /** A string literal, Ruby symbol or bare identifier argument as a plain name. */
  name(a: Arg | undefined): string {
    if (!a) return '';
    const lit = this.literalAt(a.valueStart);
    if (lit) return lit.value;
    return this.raw(a).replace(/^:/, '');
  }

  /** The string literal starting at `index`, if any. */
  literalAt(index: number): Literal | undefined {
    return this.literals.find((l) => l.start === index);
  }

  /** All string literals inside a span, joined (for `"a" "b"` or `'a' + 'b'`), with the index the first one's text starts at. */
  stringIn(from: number, to: number): { value: string; contentStart: number } | undefined {
    const parts = this.literals.filter((l) => l.start >= from && l.end <= to);
    if (!parts.length) return undefined;
    return { value: parts.map((p) => p.value).join(''), contentStart: parts[0]!.contentStart };
  }

  /** `{ key: value, … }` properties of the object literal in an argument (JavaScript). */
  props(a: Arg | undefined): Map<string, Arg> {
    const out = new Map<string, Arg>();
    if (!a) return out;
    const open = this.code.indexOf('{', a.valueStart);
    if (open < 0 || open >= a.end) return out;
    for (const p of this.splitArgs(open + 1, this.closing(open))) if (p.key) out.set(p.key, p);
    return out;
  }

  /** Keyword argument by name. */
  kw(call: Call, key: string): Arg | undefined {
    return call.args.find((a) => a.key === key);
  }

  /** Positional (non-keyword) arguments. */
  positional(call: Call): Arg[] {
    return call.args.filter((a) => a.key === undefined);
  }

  /** Places a verdict on a call: its lines and its text, quoted. */
  judge(call: Pick<Call, 'start' | 'end' | 'line' | 'endLine'>, v: Verdict): Judgement {
    return { ...v, line: call.line, endLine: call.endLine, quote: quoteOf(this.text.slice(call.start, call.end)) };
  }

  /** Whether an index lies inside one of the spans. */
  static within(index: number, spans: Array<[number, number]>): boolean {
    return spans.some(([s, e]) => index >= s && index < e);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

function unescape(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c);
}

/** Blanks comments and string contents (keeping newlines) and records each string literal. */
function mask(text: string, lang: Lang, literals: Literal[]): string {
  const out = text.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const heredocs: Array<{ id: string; start: number; end: number }> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '\n' && heredocs.length) {
      // Ruby heredoc bodies start on the line after their marker.
      let bodyStart = i + 1;
      for (const h of heredocs.splice(0)) {
        const term = new RegExp(`^[ \\t]*${h.id}[ \\t]*$`, 'm');
        const rest = text.slice(bodyStart);
        const m = term.exec(rest);
        const bodyEnd = m ? bodyStart + m.index : text.length;
        const after = m ? bodyEnd + m[0].length : text.length;
        literals.push({ start: h.start, end: h.end, contentStart: bodyStart, value: text.slice(bodyStart, bodyEnd) });
        blank(bodyStart, after);
        bodyStart = Math.min(text.length, after + 1);
      }
      i = bodyStart;
      continue;
    }
    const lineComment = lang === 'js' ? c === '/' && next === '/' : c === '#';
    if (lineComment) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      blank(i, end);
      i = end;
      continue;
    }
    if (lang === 'js' && c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      blank(i, end);
      i = end;
      continue;
    }
    if (lang === 'ruby' && c === '=' && text.startsWith('=begin', i) && (i === 0 || text[i - 1] === '\n')) {
      const close = text.indexOf('\n=end', i);
      const end = close < 0 ? text.length : close + 5;
      blank(i, end);
      i = end;
      continue;
    }
    if (lang === 'ruby' && c === '<' && next === '<') {
      const h = /^<<([~-]?)(['"]?)([A-Za-z_]\w*)\2/.exec(text.slice(i, i + 80));
      if (h) {
        heredocs.push({ id: h[3]!, start: i, end: i + h[0].length });
        i += h[0].length;
        continue;
      }
    }
    if (c === '"' || c === "'" || (lang === 'js' && c === '`')) {
      let prefixStart = i;
      if (lang === 'python') while (prefixStart > 0 && /[rRbBuUfF]/.test(text[prefixStart - 1]!) && prefixStart > i - 2) prefixStart--;
      const rawString = lang === 'python' && /[rR]/.test(text.slice(prefixStart, i));
      const triple = lang === 'python' && text.startsWith(c.repeat(3), i);
      const delim = triple ? c.repeat(3) : c;
      const contentStart = i + delim.length;
      let j = contentStart;
      while (j < text.length && !text.startsWith(delim, j)) {
        if (text[j] === '\\' && !rawString) {
          j += 2;
          continue;
        }
        if (c === '`' && text.startsWith('${', j)) {
          let depth = 0;
          let k = j + 1;
          for (; k < text.length; k++) {
            if (text[k] === '{') depth++;
            else if (text[k] === '}' && --depth === 0) break;
          }
          j = k + 1;
          continue;
        }
        if (!triple && c !== '`' && text[j] === '\n' && lang !== 'ruby') break;
        j++;
      }
      const end = Math.min(text.length, j + delim.length);
      const body = text.slice(contentStart, Math.min(j, text.length));
      // An interpolation stands for one value: the SQL around it still parses with a placeholder.
      const value = c === '`' ? body.replace(/\$\{[^}]*\}/g, 'param') : body;
      literals.push({ start: prefixStart, end, contentStart, value: rawString ? value : unescape(value) });
      blank(contentStart, Math.min(j, text.length));
      i = end;
      continue;
    }
    i++;
  }
  return out.join('');
}
