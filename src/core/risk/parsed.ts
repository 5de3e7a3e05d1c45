/**
 * Which changed files are read as syntax, and their parses. A cheap lexical pass decides: a file is
 * parsed only when one of its changed lines, read as text, hits an auth or payment word (or sits in
 * a function whose name does, or calls a method on a `session`), because that is where syntax
 * changes the answer: it takes away a word in a comment, a string or a DTO field, and tells a web
 * session from a database one. Every other file costs nothing more than before.
 */
import { extensionOf } from './languages';
import type { FileContext, PreparedFile } from './file';
import { scanLines } from './scan';
import { grammarOf, readSyntax, tryLoadGrammars, type GrammarId, type LineSyntax, type Parsed } from './syntax';
import { oldText } from './syntax/old';
import type { FindingFacts } from './types';

export interface LineReader {
  /** The syntax of a changed line, or undefined when that side is read as text. */
  at(line: number, side: 'added' | 'removed'): LineSyntax | undefined;
  /** What a finding on that line was judged from; undefined when no rule asked for that side. */
  facts(line: number, side: 'added' | 'removed'): FindingFacts | undefined;
}

const SENSITIVE = new Set(['auth', 'payment']);
const MAY_BE_SESSION = /\bsession\./i;

function wantsSyntax(p: PreparedFile, ctx: FileContext): { added: boolean; removed: boolean } {
  const lang = p.lang!;
  // A `session` the text rules took for a database's (`request.session.flush()`) may be the web session's.
  const hits = (code: string) => code !== '' && (ctx.rules.match(code, lang.id).some((h) => SENSITIVE.has(h.rule)) || MAY_BE_SESSION.test(code));
  const added =
    p.file.addedLines.some((l) => hits(p.scanned[l.line - 1]?.code ?? l.text)) ||
    p.functions.some((fn) => {
      const hit = ctx.rules.contextOf(fn.name, 'function');
      return !!hit && SENSITIVE.has(hit.rule) && p.file.addedLines.some((l) => l.line >= fn.start && l.line <= fn.end);
    });
  const removed = p.file.removedLines.length > 0 && scanLines(p.file.removedLines.map((l) => l.text), lang).some((s) => hits(s.code));
  return { added, removed };
}

function reader(added: Parsed | string | undefined, removed: Parsed | string | undefined): LineReader {
  const side = (s: 'added' | 'removed') => (s === 'added' ? added : removed);
  return {
    at(line, s) {
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
      return parsed.lines.get(line)?.error ? { read: 'lines', reason: 'a syntax error covers the line: read as text' } : { read: 'syntax' };
    },
  };
}

/** The line readers of the files a rule needs parsed, by path. */
export async function readChangedSyntax(prepared: readonly PreparedFile[], ctx: FileContext): Promise<Map<string, LineReader>> {
  const out = new Map<string, LineReader>();
  const todo: { p: PreparedFile; grammar: GrammarId; added: boolean; removed: boolean }[] = [];
  for (const p of prepared) {
    if (p.kind !== 'code' || !p.lang || p.migration || p.file.binary || p.file.submodule) continue;
    const want = wantsSyntax(p, ctx);
    if (!want.added && !want.removed) continue;
    const grammar = grammarOf(p.file.path);
    if (!grammar) {
      const why = `no grammar for .${extensionOf(p.file.path) || p.file.path.slice(p.file.path.lastIndexOf('/') + 1)} files: read line by line`;
      out.set(p.file.path, reader(why, why));
      continue;
    }
    todo.push({ p, grammar, ...want });
  }
  if (!todo.length) return out;
  const failed = await tryLoadGrammars(todo.map((t) => t.grammar));
  for (const { p, grammar, added, removed } of todo) {
    const { file } = p;
    if (failed) {
      const why = `the ${grammar} grammar could not be loaded (${failed}): read line by line`;
      out.set(file.path, reader(why, why));
      continue;
    }
    const addedSide = !added
      ? undefined
      : file.content === undefined || file.note !== undefined
        ? 'read in part: its lines are read as text'
        : readSyntax(file.content, grammar, file.addedLines.map((l) => l.line));
    let removedSide: Parsed | string | undefined;
    if (removed) {
      const old = oldText(file);
      removedSide = old === undefined ? 'the old version is not known whole: its lines are read as text' : readSyntax(old, grammar, file.removedLines.map((l) => l.line));
    }
    out.set(file.path, reader(addedSide, removedSide));
  }
  return out;
}
