import type { GrammarId } from './grammars';

/**
 * What a name does where it is written. Only `code` acts: it is called, read, assigned or declared
 * as something that runs. `shape` declares data (a field, a column, a trivial accessor, a class
 * name); `message` is formatted into text (an error or log message, a string interpolation);
 * `named` is handed over by name to be registered (`app.use(csrfProtection)`); `passed` hands a
 * value on as it is: the key of an object literal, map entry or keyword argument, a plain name or
 * field read written under such a key (`{ apiKey: cfg.apiKey }`, `"password": c.Password`), and a
 * setting read from the environment (`process.env.STRIPE_SECRET_KEY`); `import` wires modules.
 */
export type Role = 'code' | 'shape' | 'message' | 'named' | 'passed' | 'import';

export interface Name {
  text: string;
  role: Role;
  /** When this name is the last one of a call's receiver (`crypto` in `crypto.randomUUID()`): the method called on it. */
  calls?: string;
}

/** A call: its callee's last name and the names of its receiver chain (`db.session.add` → add, [db, session]). */
export interface Call {
  callee: string;
  receiver: string[];
}

export interface Span {
  name: string;
  /** 1-based, inclusive. */
  start: number;
  end: number;
}

export interface FunctionFacts extends Span {
  /** Its body only returns or stores a field (`getX() { return this.x }`, `def x?; @x; end`): a shape of data. */
  accessor: boolean;
}

export interface LineSyntax {
  line: number;
  /** What the line holds outside comments and strings: `code` when anything, else `string`, `comment` or `blank`. */
  kind: 'code' | 'comment' | 'string' | 'blank';
  /** The names written on the line outside comments and strings, in order, with their roles. */
  names: Name[];
  /** String literals the line is part of, as written (a literal over several lines on each of them). */
  strings: string[];
  /** The statement the line's first token belongs to (the outermost below a block): its node type and lines. */
  statement?: { type: string; start: number; end: number };
  /** The outermost call that starts on the line, else the innermost one the line sits in. */
  call?: Call;
  function?: FunctionFacts;
  class?: Span;
  /** Decorators or annotations of the enclosing function or class, without `@` and arguments. */
  decorators: string[];
  /** Set when a syntax error covers part of the line: the parser guessed, so the line is read as text. */
  error: boolean;
}

export interface Import {
  /** The module as written: `crypto`, `node:crypto`, `hashlib`, `crypto/rand`, `java.security.MessageDigest`. */
  module: string;
  /** The names it binds in the file (aliases as written). */
  names: string[];
  line: number;
}

export interface FileSyntax {
  grammar: GrammarId;
  imports: Import[];
  /** The facts of each line asked for, by 1-based line number. */
  lines: Map<number, LineSyntax>;
}
