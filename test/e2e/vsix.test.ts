/**
 * The packaged extension, not the source folder: build the VSIX the way it is published, check it
 * holds every file the extension loads (a file left out of the .vscodeignore allowlist fails
 * here), install it into a throwaway extensions dir with code-server's CLI, and use it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, type ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DROP_MIGRATION, makeRiskyRepo } from '../fixtures/risky-repo';
import type { FixtureRepo } from '../fixtures/repo';
import { screenshot } from '../integration/harness/browser';
import { installVsix } from '../integration/harness/codeServer';
import { REPO_ROOT } from '../integration/harness/install';
import { codeLenses, openFile, openWorkbench, runCommand, screenshotOnFailure, settle, waitFor, webview, type Session } from './workbench';
import { zipEntries } from './zipEntries';

interface Manifest {
  main: string;
  scripts?: Record<string, string>;
}

function packageVsix(outFile: string): void {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
  const opts: ExecFileSyncOptionsWithStringEncoding = { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' };
  try {
    if (manifest.scripts?.package) execFileSync('npm', ['run', '-s', 'package', '--', '--out', outFile], opts);
    else execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--out', outFile], opts);
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`packaging the VSIX failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
  }
}

/**
 * Files the built extension loads at run time: `main`, then every file under dist/, media/ and
 * schemas/ whose name appears in the manifest or in a bundle already counted (so the CLI, source
 * maps and build tools are left out, and a worker or wasm the extension loads is not).
 */
function runtimeFiles(manifest: Manifest): string[] {
  const walk = (dir: string): string[] =>
    existsSync(path.join(REPO_ROOT, dir))
      ? readdirSync(path.join(REPO_ROOT, dir)).flatMap((f) => {
          const rel = path.join(dir, f);
          return statSync(path.join(REPO_ROOT, rel)).isDirectory() ? walk(rel) : [rel];
        })
      : [];
  const candidates = ['dist', 'media', 'schemas'].flatMap(walk).filter((f) => !f.endsWith('.map'));
  const required = new Set<string>([path.normalize(manifest.main)]);
  // The manifest minus what only npm reads: `bin` names the CLI, which the editor never loads.
  const { bin: _bin, scripts: _scripts, devDependencies: _dev, ...forEditor } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const texts = [JSON.stringify(forEditor)];
  const read = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of required) {
      if (read.has(f) || !/\.(js|css|html)$/.test(f) || !existsSync(path.join(REPO_ROOT, f))) continue;
      read.add(f);
      texts.push(readFileSync(path.join(REPO_ROOT, f), 'utf8'));
    }
    for (const c of candidates) {
      if (!required.has(c) && texts.some((t) => t.includes(path.basename(c)))) {
        required.add(c);
        grew = true;
      }
    }
  }
  return [...required].sort();
}

describe('the packaged VSIX', function () {
  this.bail(true);
  let scratch: string;
  let vsix: string;
  let fixture: FixtureRepo | undefined;
  let session: Session | undefined;

  before(function () {
    this.timeout(120_000);
    scratch = mkdtempSync(path.join(tmpdir(), 'rollout-lens-vsix-'));
    vsix = path.join(scratch, 'rollout-lens.vsix');
    packageVsix(vsix);
  });
  afterEach(screenshotOnFailure(() => session?.page, 'vsix'));
  after(async () => {
    await session?.close();
    fixture?.cleanup();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('holds every file the extension loads at run time', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
    const inVsix = new Set(zipEntries(vsix).filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length)));
    const missing = runtimeFiles(manifest).filter((f) => !inVsix.has(f));
    assert.deepEqual(missing, [], `left out of the VSIX (add them to .vscodeignore's allowlist): ${missing.join(', ')}`);
    const stray = [...inVsix].filter((f) => /^(src|test|node_modules|webview)\//.test(f) || f.endsWith('.map'));
    assert.deepEqual(stray, [], 'sources, tests or source maps were packaged');
  });

  it('installs with code-server and shows the lens and the plan', async function () {
    this.timeout(180_000);
    const extensionsDir = path.join(scratch, 'extensions');
    const out = await installVsix(vsix, extensionsDir);
    assert.match(out, /successfully installed/i);
    fixture = makeRiskyRepo();
    session = await openWorkbench(fixture.dir, { extensionsDir });
    const page = session.page;
    await openFile(page, DROP_MIGRATION);
    await waitFor(codeLenses(page).filter({ hasText: /HIGH/ }).first(), 'a HIGH code lens from the installed VSIX', { timeout: 60_000 });
    await settle(page);
    await screenshot(page, 'vsix-01-lens');
    await runCommand(page, 'Generate Rollout Plan');
    await waitFor(webview(page).getByText('Deployment risk'), 'the plan\'s "Deployment risk" section in the webview', { timeout: 60_000 });
    await waitFor(webview(page).getByText(/Canary/).first(), 'a Canary stage in the plan');
    await settle(page);
    await screenshot(page, 'vsix-02-plan');
  });
});
