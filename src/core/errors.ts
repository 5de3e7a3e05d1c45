/**
 * An error caused by what the user gave us (a file, a setting, a field of the policy).
 * The message says what is wrong and what was expected. With `where.file` it is complete (it
 * names the file, line or field itself); with only `where.field` it leaves the field out, and
 * each surface names the field in its own words (`describeInput`): the CLI as its flag, the
 * editor as its setting or control. The CLI prints one line and exits 2.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly where?: { file?: string; line?: number; field?: InputField | (string & {}) },
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** The inputs a surface hands to core by name, apart from policy fields (`holidays.0`, `gates.error_rate`…). */
export type InputField =
  | 'repo'
  | 'base'
  | 'tier'
  | 'start'
  | 'trace'
  | 'scenario'
  | 'fault'
  | 'prometheus'
  | 'from'
  | 'to'
  | 'step'
  | 'export'
  | 'export.name'
  | 'export.namespace'
  | 'export.deployment'
  | 'export.port';

/** The error as one line on a surface that calls the fields `names` (unnamed fields as they are). */
export function describeInput(e: InputError, names: Partial<Record<InputField, string>>): string {
  const field = e.where?.field;
  if (e.where?.file || !field) return e.message;
  return `${names[field as InputField] ?? field}: ${e.message}`;
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** `file:line: message` — the shape compilers use, so editors and terminals can link it. */
export function locate(file: string | undefined, line: number | undefined, message: string): string {
  if (!file) return message;
  return line !== undefined ? `${file}:${line}: ${message}` : `${file}: ${message}`;
}
