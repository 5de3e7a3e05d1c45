/**
 * Which changed lines are read as syntax, and the parses of their files. A cheap lexical pass
 * decides: a line is parsed only when, read as text, it hits an auth or payment word in a place
 * where syntax may take the word away (a string, an error or log message, a registration, a
 * declaration of data, a key or a value handed on under one, a setting read from the environment,
 * code outside any function or in one short enough to be an accessor), or calls a method on a
 * request's `session`. A file with no such line is not
 * parsed, and costs nothing more than before.
 */
import { extensionOf } from './languages';
import type { FileContext, PreparedFile } from './file';
import { innermostFunctionByLine, type FunctionSpan } from './functions';
import { isImportLine } from './lines';
import { usesDataEcosystem } from './rules/data-writes';
import { scanLines } from './scan';
import { grammarOf, MAX_PARSE_BYTES, readSyntax, tryLoadGrammars, type GrammarId, type LineSyntax, type Parsed } from './syntax';
import { oldText } from './syntax/old';
import type { FindingFacts } from './types';

export interface LineReader {
  /** The syntax of a changed line, or undefined when that side is read as text. */
  at(line: number, side: 'added' | 'removed'): LineSyntax | undefined;
  /** What a finding on that line was judged from; undefined when no rule asked for that side. */
  facts(line: number, side: 'added' | 'removed'): FindingFacts | undefined;
}

const SENSITIVE = new Set(['auth', 'payment']);

/*
 * What the lexical pass reads as "syntax may change this hit". Each test errs towards parsing: a
 * line it calls certain keeps today's answer, which the parse would give too.
 */
// The text rules take `session.flush()` for a database's session; on a request it is the web session's.
const MAY_BE_SESSION = /\b(?:request|req|flask)\s*\.\s*session\s*\./;
const CRYPTO_ID = /\bcrypto\s*\.\s*(?:randomUUID|getRandomValues|randomInt)\b/;
// Errors, logs and registrations: their arguments are text or names handed over.
const MESSAGE_OR_REGISTRATION =
  /\b(?:raise|throw|panic|fail|abort|assert|Errorf|Sprintf|Printf|Println|Fprintf|printf|sprintf|puts|print|warn|warning|log|logger|logging|console|slog|error|info|debug|trace|fatal|use|Use|middleware|add_middleware|before_action|skip_before_action|prepend_before_action|after_action|around_action|before_filter|addFilter\w*|addInterceptors?|UseInterceptors|With|Handler)\b|\w(?:Error|Exception)\b/;
// Declarations of types, and names of data: a class line, a key (`{ sessionId: … }`, `f(charge=…)`), a Ruby symbol.
const DECLARES = /^\s*(?:export\s+)?(?:default\s+)?(?:(?:public|private|protected|internal|abstract|final|sealed|static|data|open)\s+)*(?:class|interface|struct|type|record|enum|module|trait|object)\b/;
const KEY = /[{(,]\s*([\w$]+)\s*(?:[:=](?![=:>])|\?:)|(?:^|[^:\w]):([A-Za-z_]\w*)/g;
// A value handed on under a key, and a setting read from the environment: `"password": c.Password`,
// `apiKey: env('KEY'),`, `password=settings.DB_PASSWORD,`, `process.env.STRIPE_SECRET_KEY`.
const PASSED_KEY = /(?:[{(,]|^)\s*(?:[\w$]+|"[^"]*"|'[^']*')\s*:(?![:=])/g;
const KEYWORD_ARGUMENT_LINE = /^\s*\w+\s*=(?![=>]).*,\s*$/;
const FROM_ENVIRONMENT = /\b(?:process|meta)\s*\.\s*env\b/;
// What a key's entry holds: up to the next separator.
const ENTRY_END = /[,;)}\]]/;

/**
 * Whether the sensitive word may be a value handed on: it sits in a key or its value
 * (`apiKey: env('KEY')`), a keyword argument line or a setting read from the environment. A word
 * elsewhere on the line, such as the name of the function whose typed parameters look like keys
 * (`loadSession(id: string)`), is not.
 */
function mayBePassed(code: string, sensitive: (code: string) => boolean): boolean {
  if (KEYWORD_ARGUMENT_LINE.test(code) || FROM_ENVIRONMENT.test(code)) return true;
  for (const m of code.matchAll(PASSED_KEY)) {
    const rest = code.slice(m.index + m[0].length);
    const end = rest.search(ENTRY_END);
    if (sensitive(code.slice(m.index, m.index + m[0].length + (end < 0 ? rest.length : end)))) return true;
  }
  return false;
}
// The one line of an accessor's body: `return this.x;`, `self._x`, `@x`, `this.x = x`.
const ACCESSOR_BODY = /^\s*(?:return\s+)?(?:(?:this|self)\s*\.\s*|@)?[\w$.]+\s*(?:=\s*[\w$]+\s*)?;?\s*$/;
const ONE_LINE_ACCESSOR = /\{\s*return\s+[\w$.]+;?\s*\}\s*$/;
// Outside functions, a declaration of data: a field or property (`chargeOffReason?: string;`,
// `session_id = Column(…)`), a Go struct field, a Java field.
const FIELD_LIKE = [
  /^\s*(?:(?:public|private|protected|readonly|static|final|declare|override|abstract|transient|volatile)\s+)*[\w$]+[?!]?\s*(?::|=(?!=))/,
  /^\s*[A-Za-z_]\w*\s+[\w.*[\]]+(?:\s+`[^`]*`)?\s*$/,
  /^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|protected|static|final|transient|volatile)\s+)+[\w<>[\],.?\s]+\s+\w+\s*(?:=.*)?;\s*$/,
];

/** A function this short may be an accessor: its name is context only when it is not. */
const SHORT_FUNCTION = 3;

/** Whether a short function's body looks like an accessor's, read as text. */
function mayBeAccessor(p: PreparedFile, fn: FunctionSpan): boolean {
  if (fn.end - fn.start >= SHORT_FUNCTION) return false;
  if (fn.start === fn.end) return ONE_LINE_ACCESSOR.test(p.scanned[fn.start - 1]?.bare ?? '');
  const body = p.scanned.slice(fn.start, fn.end).map((l) => l.bare).filter((b) => b.trim() !== '' && !/^\s*(?:\}|end)\s*$/.test(b));
  return body.length === 1 && ACCESSOR_BODY.test(body[0]);
}

/** Whether a key or symbol of the line names something sensitive (`{ sessionId: … }`, `:charge_off_reason`). */
function keyHits(bare: string, sensitive: (code: string) => boolean): boolean {
  for (const m of bare.matchAll(KEY)) if (sensitive(m[1] ?? m[2] ?? '')) return true;
  return false;
}

/** Names of a line outside comments and strings, all acting: exact where the hit was only inside a string. */
function textNames(bare: string): LineSyntax {
  const names = (bare.replace(STRING_BODY, '""').match(IDENTIFIER) ?? []).map((text) => ({ text, role: 'code' as const }));
  return { line: 0, kind: 'code', names, strings: [], decorators: [], error: false };
}
const STRING_BODY = /(["'`])(?:\\.|(?!\1)[^\\])*\1/g;
const IDENTIFIER = /[A-Za-z_$][\w$]*[?!]?/g;

/** The changed lines of each side whose auth or payment answer syntax may change. */
function linesToParse(p: PreparedFile, ctx: FileContext): { added: number[]; removed: number[]; textOnly: Map<number, LineSyntax>; removedTextOnly: Map<number, LineSyntax> } {
  const textOnly = new Map<number, LineSyntax>();
  const removedTextOnly = new Map<number, LineSyntax>();
  const { file } = p;
  const parseable = grammarOf(file.path) !== undefined && file.content !== undefined && file.note === undefined && file.content.length <= MAX_PARSE_BYTES;
  const lang = p.lang!;
  const sensitive = (code: string) => code !== '' && ctx.rules.match(code, lang.id).some((h) => SENSITIVE.has(h.rule));
  const accessors = new Map<number, boolean>();
  let fnIndex: Int32Array | undefined;
  const fnAt = () => (fnIndex ??= innermostFunctionByLine(p.functions, p.lines.length));
  // A file that will not be parsed needs no finer look: its sensitive lines are read as text, and say why.
  const uncertain = (code: string, bare: string, inFunction: boolean, hit = sensitive(code)) =>
    !parseable ? hit :
    MAY_BE_SESSION.test(code) ||
    (hit && ((!inFunction && FIELD_LIKE.some((re) => re.test(code))) || MESSAGE_OR_REGISTRATION.test(code) || DECLARES.test(code) || keyHits(bare, sensitive) || CRYPTO_ID.test(code) || mayBePassed(code, sensitive)));
  // A file that uses an ORM or holds SQL writes: every changed line needs its statement, to see whether it reaches a write.
  const writes = parseable && usesDataEcosystem(file.path, lang.id, file.content!);
  const added: number[] = [];
  for (const l of p.file.addedLines) {
    const scanned = p.scanned[l.line - 1] ?? { code: l.text, bare: l.text };
    if (scanned.code === '' || isImportLine(scanned.code, lang.id)) continue;
    if (writes) {
      added.push(l.line);
      continue;
    }
    const hit = sensitive(scanned.code);
    // A word only inside a string: the text says as much as a parse would (for a file that would be parsed).
    if (parseable && hit && !sensitive(scanned.bare) && !MAY_BE_SESSION.test(scanned.bare)) {
      textOnly.set(l.line, textNames(scanned.bare));
      continue;
    }
    if (!parseable) {
      if (hit) added.push(l.line);
      continue;
    }
    if (!hit && !MAY_BE_SESSION.test(scanned.code) && !p.functions.length) continue;
    const i = p.functions.length ? fnAt()[l.line] : -1;
    const fn = i >= 0 ? p.functions[i] : undefined;
    let accessor = false;
    if (fn) accessor = accessors.get(i) ?? accessors.set(i, mayBeAccessor(p, fn)).get(i)!;
    const fnHit = fn && accessor ? ctx.rules.contextOf(fn.name, 'function') : undefined;
    if (uncertain(scanned.code, scanned.bare, !!fn && !accessor, hit) || (fnHit && SENSITIVE.has(fnHit.rule))) added.push(l.line);
  }
  // The old version's functions are not known: every sensitive removed line is read as syntax.
  const removed: number[] = [];
  if (p.file.removedLines.length) {
    const scanned = scanLines(p.file.removedLines.map((l) => l.text), lang);
    p.file.removedLines.forEach((l, i) => {
      // As for added lines: a word only inside a string needs no parse to be read as text.
      if (parseable && !writes && sensitive(scanned[i].code) && !sensitive(scanned[i].bare) && !MAY_BE_SESSION.test(scanned[i].bare)) {
        removedTextOnly.set(l.line, textNames(scanned[i].bare));
        return;
      }
      if (!isImportLine(scanned[i].code, lang.id) && ((writes && scanned[i].code !== '') || uncertain(scanned[i].code, scanned[i].bare, false))) removed.push(l.line);
    });
  }
  return { added, removed, textOnly, removedTextOnly };
}

function reader(added: Parsed | string | undefined, removed: Parsed | string | undefined, textOnly?: Map<number, LineSyntax>, removedTextOnly?: Map<number, LineSyntax>): LineReader {
  const side = (s: 'added' | 'removed') => (s === 'added' ? added : removed);
  return {
    at(line, s) {
      if (s === 'added' && textOnly?.has(line)) return textOnly.get(line);
      if (s === 'removed' && removedTextOnly?.has(line)) return removedTextOnly.get(line);
      const parsed = side(s);
      if (parsed === undefined || typeof parsed === 'string' || 'unparsed' in parsed) return undefined;
      const facts = parsed.lines.get(line);
      return facts && !facts.error ? facts : undefined;
    },
    facts(line, s) {
      const parsed = side(s);
      if (parsed === undefined) return undefined;
      if (typeof parsed === 'string') return { read: 'lines', reason: parsed };
      if ('unparsed' in parsed) return { read: 'lines', reason: `${parsed.unparsed}: read line by line` };
      const facts = parsed.lines.get(line);
      if (!facts) return undefined;
      return facts.error ? { read: 'lines', reason: 'a syntax error covers the line: read as text' } : { read: 'syntax' };
    },
  };
}

/** The line readers of the files a rule needs parsed, by path. */
export async function readChangedSyntax(prepared: readonly PreparedFile[], ctx: FileContext): Promise<Map<string, LineReader>> {
  const out = new Map<string, LineReader>();
  const todo: { p: PreparedFile; grammar: GrammarId; added: number[]; removed: number[]; textOnly: Map<number, LineSyntax>; removedTextOnly: Map<number, LineSyntax> }[] = [];
  for (const p of prepared) {
    if (p.kind !== 'code' || !p.lang || p.migration || p.file.binary || p.file.submodule) continue;
    const want = linesToParse(p, ctx);
    if (!want.added.length && !want.removed.length) {
      if (want.textOnly.size || want.removedTextOnly.size) out.set(p.file.path, reader(undefined, undefined, want.textOnly, want.removedTextOnly));
      continue;
    }
    const grammar = grammarOf(p.file.path);
    const content = p.file.content;
    const why = !grammar
      ? `no grammar for .${extensionOf(p.file.path) || p.file.path.slice(p.file.path.lastIndexOf('/') + 1)} files: read line by line`
      : content === undefined || p.file.note !== undefined
        ? 'read in part: its lines are read as text'
        : content.length > MAX_PARSE_BYTES
          ? `larger than ${MAX_PARSE_BYTES / 1024} KB, not parsed: read line by line`
          : undefined;
    if (!grammar || why) {
      out.set(p.file.path, reader(why, why));
      continue;
    }
    todo.push({ p, grammar, ...want });
  }
  if (!todo.length) return out;
  const failed = await tryLoadGrammars(todo.map((t) => t.grammar));
  for (const { p, grammar, added, removed, textOnly, removedTextOnly } of todo) {
    const { file } = p;
    if (failed) {
      const why = `the ${grammar} grammar could not be loaded (${failed}): read line by line`;
      out.set(file.path, reader(why, why));
      continue;
    }
    const addedSide = !added.length
      ? undefined
      : file.content === undefined || file.note !== undefined
        ? 'read in part: its lines are read as text'
        : readSyntax(file.content, grammar, added);
    let removedSide: Parsed | string | undefined;
    if (removed.length) {
      const old = oldText(file);
      removedSide = old === undefined ? 'the old version is not known whole: its lines are read as text' : readSyntax(old, grammar, removed);
    }
    out.set(file.path, reader(addedSide, removedSide, textOnly, removedTextOnly));
  }
  return out;
}
