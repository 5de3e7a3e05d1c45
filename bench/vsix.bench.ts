/**
 * Packages the extension as a VSIX (production build, `vsce package --no-dependencies`) into a
 * temporary folder and reports its size and what it holds:
 *   vsix.kb     size of the package, the tree-sitter grammars included (target ≤ 6,144 KB)
 *   vsix.files  files inside it
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const out = mkdtempSync(path.join(tmpdir(), 'rollout-lens-vsix-'));
const vsix = path.join(out, 'rollout-lens.vsix');
try {
  execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: 'inherit' });
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  // The flags of `npm run package`: the manifest names no repository for vsce to rewrite README links against.
  const flags = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];
  execFileSync(process.execPath, [vsce, 'package', ...flags, '--out', vsix], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const required of ['dist/extension.js', 'dist/heavy.js', 'dist/sim-worker.js', 'dist/lib-pg-query.js', 'dist/lib-sql-mysql.js', 'dist/lib-sql-sqlite.js', 'dist/lib-tree-sitter.js', 'dist/webview.js', 'dist/libpg-query.wasm', 'dist/tree-sitter.wasm', 'dist/tree-sitter-typescript.wasm', 'dist/tree-sitter-ruby.wasm', 'media/icon.png', 'media/webview.css', 'schemas/rollout-lens.schema.json']) {
    if (!listing.includes(required)) throw new Error(`the VSIX lacks ${required}`);
  }
  console.log(`BENCH vsix.kb ${(statSync(vsix).size / 1024).toFixed(0)} KB`);
  console.log(`BENCH vsix.files ${listing.length} files`);
} finally {
  rmSync(out, { recursive: true, force: true });
  // Leave a development build behind, as `npm run build` would.
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
