/**
 * Number parsing for trace values. The fast path reads plain decimals straight from bytes; anything
 * else (exponents, more than 15 digits, spaces, quotes, NaN/Inf spellings) falls back to the text path,
 * which is the definition of what a value may be. The two must agree wherever the fast path answers.
 */

const POW10 = new Float64Array(23).map((_, i) => 10 ** i);

/**
 * `[+-]digits[.digits]` with at most 15 significant digits: the mantissa and 10^k are then exact doubles,
 * so one division is correctly rounded and equals `Number(text)`. Returns NaN when it cannot decide.
 */
export function fastNumber(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = b[i];
  if (first === 45) {
    negative = true;
    i++;
  } else if (first === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let dot = false;
  for (; i < end; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) fraction++;
    } else if (c === 46 && !dot) dot = true;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const v = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  return negative ? -v : v;
}

/** A cell that holds no number: left blank, or text that is not a number at all. */
export type NotANumber = 'empty' | 'invalid';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAN = /^[+-]?nan$/i;
const INF = /^([+-]?)inf(?:inity)?$/i;

/**
 * What a value cell means. NaN and ±Infinity are returned as such (the caller drops and reports them);
 * they are spelled the ways exporters write them: `NaN`, `nan`, `+Inf`, `-Infinity`, …
 */
export function parseNumberText(raw: string): number | NotANumber {
  // Most values are bare decimals: read them before trimming and unquoting copy the text.
  if (DECIMAL.test(raw)) return Number(raw);
  const text = unquote(raw.trim());
  if (text === '') return 'empty';
  if (DECIMAL.test(text)) return Number(text);
  if (NAN.test(text)) return NaN;
  const inf = INF.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return 'invalid';
}

/** Spreadsheet exports quote every cell; a quoted cell means the same as a bare one. */
export function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).trim() : text;
}
