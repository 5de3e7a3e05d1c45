/**
 * An error caused by what the user gave us (a file, a flag, a config field).
 * The CLI prints `message` as one line and exits 2; the extension shows it as is.
 * The message always names where (file, line or field) and what was expected.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly where?: { file?: string; line?: number; field?: string },
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** `file:line: message` — the shape compilers use, so editors and terminals can link it. */
export function locate(file: string | undefined, line: number | undefined, message: string): string {
  if (!file) return message;
  return line !== undefined ? `${file}:${line}: ${message}` : `${file}: ${message}`;
}
