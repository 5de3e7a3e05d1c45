/*
 * The tree-sitter runtime and grammars are WebAssembly. The runtime is started once per process and
 * a grammar is loaded the first time a file of its language needs parsing. In the bundles
 * (dist/cli.js, dist/extension.js, dist/heavy.js) the files sit beside the bundle, where the build
 * copies them; run from the sources (unit tests) they are read from the installed packages.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Language, Parser } from 'web-tree-sitter';
import type { GrammarId } from './grammars';

type TreeSitter = typeof import('web-tree-sitter');

const RUNTIME_WASM = 'tree-sitter.wasm';
const grammarFile = (id: GrammarId) => `tree-sitter-${id}.wasm`;

/** Where a WASM file is: beside the bundle, else in the package that ships it. */
function locate(name: string): string {
  const here = typeof __dirname === 'string' ? path.join(__dirname, name) : undefined;
  if (here && existsSync(here)) return here;
  // The runtime's WASM must be the one built with its JavaScript: both come from web-tree-sitter.
  const entry = name === RUNTIME_WASM ? 'web-tree-sitter' : '@vscode/tree-sitter-wasm/package.json';
  const sub = name === RUNTIME_WASM ? '' : 'wasm';
  try {
    return path.join(path.dirname(require.resolve(entry)), sub, name);
  } catch {
    return here ?? name;
  }
}

let runtime: Promise<TreeSitter> | undefined;
const languages = new Map<GrammarId, Promise<Language>>();
const parsers = new Map<GrammarId, Parser>();
const loaded = new Map<GrammarId, Language>();
let runtimeModule: TreeSitter | undefined;

/** The path of a WASM file that exists: a missing one would abort the runtime's start with an uncaught error. */
function present(name: string): string {
  const file = locate(name);
  if (!existsSync(file)) throw new Error(`${name} not found beside the bundle`);
  return file;
}

function start(): Promise<TreeSitter> {
  // `require`, not `import()`: the bundles are CommonJS, and the package's ES module build looks for its
  // files through `import.meta.url`, which a CommonJS bundle does not have.
  runtime ??= Promise.resolve().then(async () => {
    const ts = require('web-tree-sitter') as TreeSitter;
    const wasm = present(RUNTIME_WASM);
    await ts.Parser.init({ locateFile: () => wasm });
    runtimeModule = ts;
    return ts;
  });
  // A failed start is not cached: the next change retries and reports its own failure.
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

/** Loads the grammars of `ids` (each once per process). Rejects when the runtime or a grammar cannot load. */
export async function loadGrammars(ids: Iterable<GrammarId>): Promise<void> {
  const wanted = [...new Set(ids)].filter((id) => !loaded.has(id));
  if (!wanted.length) return;
  const ts = await start();
  await Promise.all(
    wanted.map((id) => {
      let p = languages.get(id);
      if (!p) {
        p = Promise.resolve().then(() => ts.Language.load(present(grammarFile(id))));
        languages.set(id, p);
        p.then((lang) => loaded.set(id, lang), () => languages.delete(id));
      }
      return p;
    }),
  );
}

/** The parser of a loaded grammar, made once and reused; undefined when the grammar is not loaded. */
export function parserFor(id: GrammarId): Parser | undefined {
  const known = parsers.get(id);
  if (known) return known;
  const lang = loaded.get(id);
  if (!lang || !runtimeModule) return undefined;
  const parser = new runtimeModule.Parser();
  parser.setLanguage(lang);
  parsers.set(id, parser);
  return parser;
}
