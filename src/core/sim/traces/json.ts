/** What the JSON trace formats share: turning zod issues into located messages. */
import type { z } from 'zod';
import { InputError, locate } from '../../errors';

/** `data.result[0].values[3][1]`: the path as a person would type it into jq. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(document)';
}

/** Reads zod's first complaint as `file: field <path>: <what was expected>`. */
export function fieldError(where: string, error: z.ZodError): InputError {
  const issue = error.issues[0];
  const field = fieldPath(issue.path);
  const what = issue.message.replace(/^Invalid input: /, '');
  return new InputError(locate(where, undefined, `field ${field}: ${what}`), { file: where, field });
}

export function fieldFail(where: string, field: string, what: string): never {
  throw new InputError(locate(where, undefined, `field ${field}: ${what}`), { file: where, field });
}

