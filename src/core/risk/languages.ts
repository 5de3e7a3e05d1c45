/**
 * The programming languages the rules read, and how each marks comments, strings and blocks.
 * Everything else in a change is judged by its path (docs, config, infrastructure…).
 */

export type LanguageId = 'js' | 'python' | 'go' | 'java' | 'kotlin' | 'ruby' | 'c' | 'config' | 'text';

/** How a guarded block ends: a matching `}`, a dedent, or a matching `end`. */
export type BlockStyle = 'brace' | 'indent' | 'ruby';

export interface Language {
  id: LanguageId;
  block: BlockStyle;
  lineComments: string[];
  blockComments: [string, string][];
  /** Quote characters of strings that end at the end of the line. */
  quotes: string[];
  /** Delimiters of strings that may span lines (template literals, raw strings, text blocks). */
  multilineStrings: string[];
}

const LANGUAGES: Record<LanguageId, Language> = {
  js: { id: 'js', block: 'brace', lineComments: ['//'], blockComments: [['/*', '*/']], quotes: ["'", '"'], multilineStrings: ['`'] },
  go: { id: 'go', block: 'brace', lineComments: ['//'], blockComments: [['/*', '*/']], quotes: ['"', "'"], multilineStrings: ['`'] },
  java: { id: 'java', block: 'brace', lineComments: ['//'], blockComments: [['/*', '*/']], quotes: ['"', "'"], multilineStrings: ['"""'] },
  kotlin: { id: 'kotlin', block: 'brace', lineComments: ['//'], blockComments: [['/*', '*/']], quotes: ['"', "'"], multilineStrings: ['"""'] },
  c: { id: 'c', block: 'brace', lineComments: ['//'], blockComments: [['/*', '*/']], quotes: ['"', "'"], multilineStrings: [] },
  // A triple-quoted string that opens a statement is a docstring: the scanner treats it as a comment.
  python: { id: 'python', block: 'indent', lineComments: ['#'], blockComments: [], quotes: ["'", '"'], multilineStrings: ['"""', "'''"] },
  ruby: { id: 'ruby', block: 'ruby', lineComments: ['#'], blockComments: [['=begin', '=end']], quotes: ["'", '"'], multilineStrings: [] },
  // Settings files (YAML, TOML, INI, .env, properties): `#` comments; values are not parsed.
  config: { id: 'config', block: 'indent', lineComments: ['#'], blockComments: [], quotes: [], multilineStrings: [] },
  // Anything else that is text (templates, stylesheets, scripts): read as is, no comment syntax assumed.
  text: { id: 'text', block: 'brace', lineComments: [], blockComments: [], quotes: [], multilineStrings: [] },
};

export const CONFIG_LANGUAGE = LANGUAGES.config;
export const TEXT_LANGUAGE = LANGUAGES.text;

// Maps, not objects: a file named `constructor` or `x.__proto__` finds nothing.
const BY_EXTENSION = new Map<string, LanguageId>(Object.entries({
  ts: 'js', tsx: 'js', mts: 'js', cts: 'js', js: 'js', jsx: 'js', mjs: 'js', cjs: 'js', vue: 'js', svelte: 'js',
  py: 'python', pyw: 'python',
  go: 'go',
  java: 'java', scala: 'java', groovy: 'java',
  kt: 'kotlin', kts: 'kotlin',
  rb: 'ruby', rake: 'ruby', gemspec: 'ruby', ru: 'ruby',
  c: 'c', h: 'c', cc: 'c', cpp: 'c', hpp: 'c', cs: 'c', rs: 'c', swift: 'c', php: 'c', dart: 'c',
} satisfies Record<string, LanguageId>));

const BY_NAME = new Map<string, LanguageId>([['Rakefile', 'ruby'], ['Guardfile', 'ruby']]);

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The language of a source file, or undefined when the path is not code the rules read. */
export function languageOf(path: string): Language | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const id = BY_NAME.get(name) ?? (dot > 0 ? BY_EXTENSION.get(name.slice(dot + 1).toLowerCase()) : undefined);
  return id ? LANGUAGES[id] : undefined;
}
