/**
 * Code read as syntax: the facts of changed lines (code, comment or string; the names written and
 * what each does; the enclosing statement, call, function, class and decorators) and the file's
 * imports, for the grammars VS Code ships. A file whose grammar is missing, whose parse fails or
 * which is larger than MAX_PARSE_BYTES gets a reason instead, and its rules read it line by line.
 */
import { factsOf } from './facts';
import type { GrammarId } from './grammars';
import { loadGrammars, parserFor } from './runtime';
import type { FileSyntax } from './types';

export { grammarOf, type GrammarId } from './grammars';
export { loadGrammars } from './runtime';
export type * from './types';

/** Above this size one side of a file is not parsed (a generated or vendored file), so a change's cost stays bounded. */
export const MAX_PARSE_BYTES = 1024 * 1024;

export type Parsed = FileSyntax | { unparsed: string };

/** Characters parsed so far in this process, for the benchmark. */
export const parseStats = { chars: 0, files: 0 };

/**
 * Parses `text` and gives the facts of `lines` (1-based). The grammar must have been loaded
 * (loadGrammars); parsing itself is synchronous.
 */
export function readSyntax(text: string, grammar: GrammarId, lines: Iterable<number>): Parsed {
  if (text.length > MAX_PARSE_BYTES) return { unparsed: `larger than ${MAX_PARSE_BYTES / 1024} KB, not parsed` };
  const parser = parserFor(grammar);
  if (!parser) return { unparsed: `the ${grammar} grammar could not be loaded` };
  let tree;
  try {
    tree = parser.parse(text);
  } catch (e) {
    return { unparsed: `the ${grammar} parser failed (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!tree) return { unparsed: `the ${grammar} parser gave no tree` };
  try {
    parseStats.chars += text.length;
    parseStats.files++;
    return factsOf(tree, grammar, lines);
  } finally {
    tree.delete();
  }
}

/** Loads grammars, saying which could not be loaded instead of failing the analysis. */
export async function tryLoadGrammars(ids: Iterable<GrammarId>): Promise<string | undefined> {
  try {
    await loadGrammars(ids);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
