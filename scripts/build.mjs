// Bundles one file per runtime: the extension host (node, `vscode` external),
// the CLI (node) and the webview (browser). `--watch` keeps rebuilding each bundle
// incrementally as its sources change (`npm run watch`, the F5 loop's pre-launch task).
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

// Libraries only some changes need (the SQL parsers, tree-sitter's runtime), each bundled into a file
// of its own beside the bundles and required from there the first time a change needs it: a
// command that never reads SQL or syntax (`--help`, `plan`, `simulate`) does not load their code.
const LAZY = {
  'libpg-query': 'lib-pg-query.js',
  'node-sql-parser/build/mysql.js': 'lib-sql-mysql.js',
  'node-sql-parser/build/sqlite.js': 'lib-sql-sqlite.js',
  'web-tree-sitter': 'lib-tree-sitter.js',
};
const lazyLibraries = {
  name: 'lazy-libraries',
  setup(b) {
    const filter = new RegExp(`^(?:${Object.keys(LAZY).map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: `./${LAZY[args.path]}`, external: true }));
  },
};
// `import()` of such a file becomes a `require` as for a bundled module, so its exports read the same.
const lazy = { plugins: [lazyLibraries], supported: { 'dynamic-import': false } };

const options = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  // What the extension loads on first use, apart so activation does not compile it (src/extension/heavy.ts).
  {
    ...common,
    entryPoints: ['src/extension/heavy.ts'],
    outfile: 'dist/heavy.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    ...lazy,
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    ...lazy,
  },
  ...Object.entries(LAZY).map(([pkg, file]) => ({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: '.', sourcefile: file },
    outfile: `dist/${file}`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  })),
  // Monte Carlo worker threads load this file from beside the CLI and extension bundles.
  {
    ...common,
    entryPoints: ['src/core/sim/mc-worker.ts'],
    outfile: 'dist/sim-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
];
if (existsSync('webview/main.ts')) {
  options.push({
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}
// The PostgreSQL parser is WebAssembly: the bundles load libpg-query.wasm from their own folder.
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/libpg-query/wasm/libpg-query.wasm', 'dist/libpg-query.wasm');
// So is tree-sitter: its runtime (built with web-tree-sitter's JavaScript) and the grammars VS Code
// ships, each loaded from beside the bundles the first time a file of its language is parsed.
copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
for (const grammar of ['typescript', 'tsx', 'javascript', 'python', 'go', 'java', 'ruby']) {
  copyFileSync(`node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-${grammar}.wasm`, `dist/tree-sitter-${grammar}.wasm`);
}
// The JSON Schema of `.rollout-lens.json` (VS Code's jsonValidation) is generated from the zod
// policy schema, never written by hand: bundle the loader in memory and ask it.
{
  const out = await esbuild.build({ entryPoints: ['src/core/policy/load.ts'], bundle: true, write: false, platform: 'node', format: 'cjs', logLevel: 'warning' });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, (await import('node:module')).createRequire(import.meta.url));
  mkdirSync('schemas', { recursive: true });
  writeFileSync('schemas/rollout-lens.schema.json', JSON.stringify(mod.exports.policyJsonSchema(), null, 2) + '\n');
}
if (watch) {
  // One line when a round of rebuilds starts and one when every bundle of it is done, so the
  // watch task's problem matcher (.vscode/tasks.json) knows when F5 may launch.
  let pending = 0;
  let errors = 0;
  const report = {
    name: 'report',
    setup(b) {
      b.onStart(() => {
        if (pending++ === 0) {
          errors = 0;
          console.log('[watch] build started');
        }
      });
      b.onEnd((r) => {
        errors += r.errors.length;
        if (--pending === 0) console.log(`[watch] build finished${errors ? ` with ${errors} error(s)` : ''}`);
      });
    },
  };
  const contexts = await Promise.all(options.map((o) => esbuild.context({ ...o, plugins: [report] })));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(options.map((o) => esbuild.build(o)));
}
