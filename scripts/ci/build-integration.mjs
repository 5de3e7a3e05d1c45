// Bundles the integration layer for VS Code's extension host: out/integration/index.js (the
// mocha runner, mocha bundled in so it loads in any VS Code's Node) and one CommonJS file per
// suite under out/integration/suite/, `vscode` left to the host.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const out = path.join(root, 'out', 'integration');
// Suites by the extension's authors (suite/), the harness's own smoke checks (smoke/), the
// restricted-mode suite for an untrusted workspace (untrusted/) and the multi-root workspace suite
// (multiroot/), each of the last two in its own code-server launch.
const suiteRoots = ['test/integration/suite', 'test/integration/smoke', 'test/integration/untrusted', 'test/integration/multiroot'];

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(abs) : e.name.endsWith('.test.ts') ? [abs] : [];
  });
}

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', external: ['vscode'], logLevel: 'error' };
rmSync(out, { recursive: true, force: true });
const entries = Object.fromEntries(
  suiteRoots.flatMap((r) => testFiles(path.join(root, r)).map((f) => [path.join('suite', path.basename(r), path.relative(path.join(root, r), f)).replace(/\.ts$/, ''), f])),
);
await Promise.all([
  esbuild.build({ ...common, entryPoints: { index: path.join(root, 'test/integration/index.ts') }, outdir: out }),
  Object.keys(entries).length ? esbuild.build({ ...common, entryPoints: entries, outdir: out }) : Promise.resolve(),
]);
console.log(`integration bundle: ${Object.keys(entries).length} suite file(s) in ${path.relative(root, out)}`);
