/**
 * Activation loads dist/extension.js only: it must stay small and free of npm packages and of the
 * engine (git, rules, planner, simulator), which live in dist/heavy.js behind src/extension/core.ts.
 * A wrong import anywhere in the light side fails here instead of silently costing activation time.
 */
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
/**
 * The light bundle is about 74 KB (lenses, status hover, Source Control view, code actions, the
 * repositories of a multi-root workspace, the rule catalogue's names for Problems: all the
 * extension's own code); the budget leaves room to grow, not to take in a library (zod alone is
 * several times the room left).
 */
const BUDGET_BYTES = 84 * 1024;
const HEAVY_ONLY = ['src/core/change/', 'src/core/risk/', 'src/core/plan/', 'src/core/sim/', 'src/core/policy/load', 'src/core/policy/file', 'src/protocol/', 'src/core/pipeline', 'src/extension/panel/'];

describe('the light bundle (dist/extension.js)', () => {
  let inputs: string[] = [];
  let bytes = 0;

  before(async function () {
    this.timeout(60_000);
    // The options of scripts/build.mjs for dist/extension.js.
    const out = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ['src/extension/extension.ts'],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      logLevel: 'silent',
      outfile: 'dist/extension.js',
    });
    inputs = Object.keys(out.metafile.inputs);
    bytes = out.outputFiles.find((f) => f.path.endsWith('extension.js'))?.contents.length ?? 0;
  });

  it('takes in no npm package', () => {
    assert.deepEqual(inputs.filter((i) => i.includes('node_modules')), []);
  });

  it('takes in none of the engine, which loads on first use', () => {
    assert.deepEqual(inputs.filter((i) => HEAVY_ONLY.some((h) => i.startsWith(h))), []);
  });

  it(`stays within ${BUDGET_BYTES / 1024} KiB`, () => {
    assert.ok(bytes > 0, 'no output');
    assert.ok(bytes <= BUDGET_BYTES, `dist/extension.js is ${bytes} bytes, over the ${BUDGET_BYTES}-byte budget`);
  });

  it('reaches dist/heavy.js only through src/extension/core.ts', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = path.join(root, 'src/extension');
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const doors = files.filter((f) => /(require|import)\([^)]*heavy\.js/.test(readFileSync(path.join(dir, f), 'utf8')));
    assert.deepEqual(doors, ['core.ts']);
  });
});
