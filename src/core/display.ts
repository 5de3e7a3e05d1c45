/**
 * How text that comes from a repository or a file (paths, flag names, messages that quote them) is
 * written in each output. A terminal must never receive a control character from data (an ESC or
 * a CR can repaint what was printed before it), and Markdown must never let data start a line, a
 * list item, a comment or HTML. JSON needs nothing: the serializer escapes it exactly.
 */

/** C0 and C1 controls, DEL, the Unicode line separators and the bidirectional overrides that reorder what a terminal shows. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Text for a terminal: every control character shown escaped (`\x1b`, `\r`, `\n`), everything else as is. */
export function forTerminal(text: string): string {
  return text.replace(CONTROL, visible);
}

/**
 * Text inside a Markdown paragraph, list item or table cell: control characters shown escaped (so
 * the text stays on its line), and every character that could open markup — emphasis, a link, HTML
 * or a comment, an entity, a mention, math — backslash-escaped so it reads as itself. A pair of
 * backticks the text already holds (`fetch`) stays a code span, where nothing is markup.
 */
export function forMarkdown(text: string): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(/`([^`]+)`/g)) {
    out += escapeMarkup(text.slice(at, m.index)) + markdownCode(m[1]);
    at = m.index + m[0].length;
  }
  return out + escapeMarkup(text.slice(at));
}

function escapeMarkup(text: string): string {
  return text.replace(/[\\`*_[\]<&~$@]/g, (c) => `\\${c}`).replace(CONTROL, visible);
}

/** Text as a Markdown code span (a path, a metric or flag name): shown verbatim, on one line, whatever backticks it holds. */
export function markdownCode(text: string): string {
  const body = text.replace(CONTROL, visible);
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A copy of `value` with every string (object keys too) passed through `escape`, for a printer that writes all of it to one output. */
export function mapStrings<T>(value: T, escape: (text: string) => string): T {
  return mapValue(value, escape) as T;
}

function mapValue(value: unknown, escape: (text: string) => string): unknown {
  if (typeof value === 'string') return escape(value);
  if (Array.isArray(value)) return value.map((v) => mapValue(v, escape));
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[escape(k)] = mapValue(v, escape);
    return out;
  }
  return value;
}
