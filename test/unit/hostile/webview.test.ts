import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomNonce, shellHtml } from '../../../src/extension/panel/html';
import { resolveFileInRepo } from '../../../src/extension/panel/repoFile';

describe('hostile: webview messages and the view shell', () => {
  describe('openFile opens only files inside the repository', () => {
    let scratch: string;
    let repo: string;
    let outside: string;

    beforeEach(() => {
      scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'rollout-lens-openfile-')));
      repo = path.join(scratch, 'repo');
      outside = path.join(scratch, 'secret.txt');
      mkdirSync(path.join(repo, 'src'), { recursive: true });
      writeFileSync(outside, 'not yours\n');
      writeFileSync(path.join(repo, 'src', 'pay.ts'), 'export {};\n');
      writeFileSync(path.join(repo, '..x.ts'), 'export {};\n');
    });
    afterEach(() => rmSync(scratch, { recursive: true, force: true }));

    const refusal = (file: string) => resolveFileInRepo(repo, file).then(
      (p) => assert.fail(`${file} was allowed as ${p}`),
      (e: Error) => e.message,
    );

    it('refuses an in-repository symlink to a file outside the repository', async () => {
      symlinkSync(outside, path.join(repo, 'src', 'innocent.ts'));
      assert.match(await refusal('src/innocent.ts'), /^src\/innocent\.ts: outside the repository/);
    });

    it('refuses a symlinked folder that leads outside the repository', async () => {
      symlinkSync(scratch, path.join(repo, 'up'));
      assert.match(await refusal('up/secret.txt'), /^up\/secret\.txt: outside the repository/);
    });

    it('opens a file whose name merely starts with two dots', async () => {
      assert.equal(await resolveFileInRepo(repo, '..x.ts'), path.join(repo, '..x.ts'));
    });

    it('still refuses ../ and absolute paths, and opens an ordinary file', async () => {
      assert.match(await refusal('../secret.txt'), /outside the repository/);
      assert.match(await refusal(outside), /outside the repository/);
      assert.match(await refusal('src/../../secret.txt'), /outside the repository/);
      assert.equal(await resolveFileInRepo(repo, 'src/pay.ts'), path.join(repo, 'src', 'pay.ts'));
    });

    it('opens a symlink that stays inside the repository, at its real path', async () => {
      symlinkSync('pay.ts', path.join(repo, 'src', 'alias.ts'));
      assert.equal(await resolveFileInRepo(repo, 'src/alias.ts'), path.join(repo, 'src', 'pay.ts'));
    });

    it('works when the repository root itself is reached through a symlink', async () => {
      const linkedRoot = path.join(scratch, 'linked-repo');
      symlinkSync(repo, linkedRoot);
      assert.equal(await resolveFileInRepo(linkedRoot, 'src/pay.ts'), path.join(repo, 'src', 'pay.ts'));
    });

    it('names a missing file or a folder instead of opening it', async () => {
      assert.match(await refusal('src/gone.ts'), /^src\/gone\.ts: no such file in the repository/);
      assert.match(await refusal('src'), /^src: not a regular file/);
    });
  });

  describe('the CSP nonce', () => {
    it('does not come from Math.random', () => {
      const random = Math.random;
      Math.random = () => 0;
      try {
        assert.notEqual(randomNonce(), randomNonce(), 'two nonces are equal when Math.random is constant');
      } finally {
        Math.random = random;
      }
    });

    it('carries at least 128 random bits in characters a CSP nonce allows, and lands in the CSP and the script tag', () => {
      const nonce = randomNonce();
      assert.match(nonce, /^[A-Za-z0-9+/_-]+=*$/);
      assert.ok(Buffer.from(nonce, 'base64').length >= 16, `${nonce} is shorter than 16 bytes`);
      const html = shellHtml({ cspSource: 'vscode-resource:', nonce, scriptUri: 'main.js', styleUri: 'main.css' });
      assert.ok(html.includes(`script-src 'nonce-${nonce}'`));
      assert.ok(html.includes(`<script nonce="${nonce}"`));
    });
  });
});
