import { InputError, locate } from './errors';

/**
 * JSON.parse for a file the user gave: a leading byte order mark is skipped (editors on Windows write
 * one), and a syntax error becomes an InputError naming the file, the line and column, what went wrong
 * and what the file should have held. The message never quotes the file's text: the file may not be
 * what it claims to be (a key, a password file), and errors end up in logs and status bars.
 */
export function parseJsonText(text: string, file: string, expected: string): unknown {
  const body = stripBom(text);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    const { offset, problem } = jsonSyntaxError(body);
    if (offset >= body.length) throw new InputError(locate(file, undefined, `not valid JSON: ${problem} (expected ${expected})`), { file });
    const before = body.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    throw new InputError(locate(file, line, `not valid JSON: ${problem} at column ${column} (expected ${expected})`), { file, line });
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const WS = new Set([' ', '\t', '\n', '\r']);

/**
 * Where and why `text` is not JSON, in words that describe the grammar rather than the text. Only
 * called once JSON.parse has refused the text; iterative, so deep nesting cannot overflow the stack.
 */
export function jsonSyntaxError(text: string): { offset: number; problem: string } {
  let i = 0;
  const stack: ('{' | '[')[] = [];
  const fail = (problem: string) => ({ offset: i, problem });
  const skip = () => {
    while (i < text.length && WS.has(text[i])) i++;
  };
  const end = () => i >= text.length;
  // After a value: what the enclosing container allows next.
  let state: 'value' | 'after' | 'key' | 'keyOrClose' | 'valueOrClose' = 'value';
  for (;;) {
    skip();
    if (state === 'after') {
      const top = stack[stack.length - 1];
      if (top === undefined) return end() ? { offset: i, problem: 'unexpected end of the file' } : fail('unexpected text after the JSON value');
      if (end()) return fail(`the file ends inside ${top === '{' ? 'an object' : 'an array'}`);
      const c = text[i];
      if (c === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        i++;
        stack.pop();
      } else return fail(top === '{' ? `expected "," or "}" after a property value` : `expected "," or "]" after an array element`);
      continue;
    }
    if (end()) return fail('the file ends where a value was expected');
    const c = text[i];
    if (state === 'key' || state === 'keyOrClose') {
      if (state === 'keyOrClose' && c === '}') {
        i++;
        stack.pop();
        state = 'after';
        continue;
      }
      if (c !== '"') return fail(state === 'key' && c === '}' ? 'a comma before "}" (trailing commas are not JSON)' : 'expected a property name in double quotes');
      const s = scanString();
      if (s) return s;
      skip();
      if (text[i] !== ':') return fail('expected ":" after a property name');
      i++;
      state = 'value';
      continue;
    }
    if (state === 'valueOrClose' && c === ']') {
      i++;
      stack.pop();
      state = 'after';
      continue;
    }
    if (c === '{') {
      i++;
      stack.push('{');
      state = 'keyOrClose';
    } else if (c === '[') {
      i++;
      stack.push('[');
      state = 'valueOrClose';
    } else if (c === '"') {
      const s = scanString();
      if (s) return s;
      state = 'after';
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const n = scanNumber();
      if (n) return n;
      state = 'after';
    } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
      i += 4;
      state = 'after';
    } else if (text.startsWith('false', i)) {
      i += 5;
      state = 'after';
    } else if (c === ']' && stack[stack.length - 1] === '[') {
      return fail('a comma before "]" (trailing commas are not JSON)');
    } else return fail('unexpected character where a value was expected');
  }

  function scanString(): { offset: number; problem: string } | undefined {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return fail('a control character (such as a line break) inside a string');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('a bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return fail('a bad escape in a string');
      } else i++;
    }
    return fail('a string that is never closed');
  }

  function scanNumber(): { offset: number; problem: string } | undefined {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('a malformed number');
    i += m[0].length;
    const next = text[i];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) return fail('a malformed number');
    return undefined;
  }
}
