// Checks a code-server install under the Node that will run it: every native module it built
// loads, and the modules the server and its extension host require resolve. Prints one line per
// problem and exits 1 if there is any. Usage: node verify-code-server.cjs <install folder>
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: node verify-code-server.cjs <install folder>\n');
  process.exit(2);
}
const codeServer = path.join(root, 'node_modules', 'code-server');
const vscode = path.join(codeServer, 'lib', 'vscode');

/** Packages with native parts that the server or the extension host loads on Linux. */
const REQUIRED = [
  [codeServer, 'argon2'],
  [vscode, '@vscode/spdlog'],
  [vscode, '@vscode/sqlite3'],
  [vscode, '@vscode/native-watchdog'],
  [vscode, 'kerberos'],
  [vscode, 'node-pty'],
  [vscode, '@parcel/watcher'],
];

/** Every `build/Release/*.node` under a node_modules folder (the modules node-gyp built here). */
function builtAddons(dir) {
  const out = [];
  const walk = (d, depth) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.isSymbolicLink() && e.name !== 'obj.target' && depth < 12) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.node') && path.basename(path.dirname(p)) === 'Release' && path.basename(path.dirname(path.dirname(p))) === 'build') out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

const problems = [];
for (const dir of [codeServer, vscode]) if (!existsSync(dir) || !statSync(dir).isDirectory()) problems.push(`missing folder ${dir}`);
if (!problems.length) {
  for (const [from, name] of REQUIRED) {
    try {
      require(require.resolve(name, { paths: [from] }));
    } catch (e) {
      problems.push(`${name} (from ${path.relative(root, from)}) does not load under Node ${process.version}: ${String(e.message).split('\n')[0]}`);
    }
  }
  const addons = [...builtAddons(path.join(codeServer, 'node_modules')), ...builtAddons(path.join(vscode, 'node_modules'))];
  if (addons.length === 0) problems.push('no native module was built (expected build/Release/*.node files)');
  for (const file of addons) {
    try {
      process.dlopen({ exports: {} }, file);
    } catch (e) {
      // A module for another platform (a Windows-only part) is built as an empty stub: it loads
      // but registers nothing. A truncated or wrong-ABI file fails before that.
      if (/did not self-register/.test(String(e.message))) continue;
      problems.push(`${path.relative(root, file)} does not load under Node ${process.version}: ${String(e.message).split('\n')[0]}`);
    }
  }
  if (!problems.length) process.stdout.write(`${REQUIRED.length} packages and ${addons.length} built native modules load under Node ${process.version}\n`);
}
for (const p of problems) process.stderr.write(`${p}\n`);
process.exit(problems.length ? 1 : 0);
