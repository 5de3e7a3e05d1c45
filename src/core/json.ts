import { InputError, locate } from './errors';

/**
 * JSON.parse for a file the user gave: a syntax error becomes an InputError naming the file, the
 * line when the parser gives a position, what went wrong and what the file should have held.
 */
export function parseJsonText(text: string, file: string, expected: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new InputError(locate(file, line, `not valid JSON: ${msg} (expected ${expected})`), { file, line });
  }
}
