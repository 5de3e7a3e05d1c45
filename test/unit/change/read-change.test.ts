import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readChange, type ChangedFile, type ChangeSet } from '../../../src/core/change';
import { MAX_CONTENT_BYTES } from '../../../src/core/change/files';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

const repos: FixtureRepo[] = [];
function repo(spec: Parameters<typeof makeRepo>[0]): FixtureRepo {
  const r = makeRepo(spec);
  repos.push(r);
  return r;
}
after(() => repos.forEach((r) => r.cleanup()));

function file(change: ChangeSet, p: string): ChangedFile {
  const f = change.files.find((x) => x.path === p);
  assert.ok(f, `${p} not in ${JSON.stringify(change.files.map((x) => x.path))}`);
  return f;
}

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

describe('readChange: the working tree against HEAD', () => {
  it('reports staged, unstaged and untracked files together, with their status, counts and line numbers', async () => {
    const r = repo({
      commits: [{ 'src/app.ts': lines(10), 'src/keep.ts': 'same\n', '.gitignore': 'build/\n*.log\n' }],
      staged: { 'src/new.ts': 'export const a = 1;\nexport const b = 2;\n' },
      unstaged: { 'src/app.ts': lines(10).replace('line 3\n', 'line three\n').replace('line 10\n', 'line 10\nline 11\nline 12\n') },
    });
    r.write({ 'notes.md': '# notes\n\nhello\n', 'build/out.js': 'ignored\n', 'debug.log': 'ignored\n' });
    const { change } = await readChange({ repo: r.dir });

    assert.deepEqual(change.files.map((f) => [f.path, f.status]), [
      ['notes.md', 'untracked'],
      ['src/app.ts', 'modified'],
      ['src/new.ts', 'added'],
    ]);
    const app = file(change, 'src/app.ts');
    assert.equal(app.linesAdded, 3);
    assert.equal(app.linesDeleted, 1);
    assert.deepEqual(app.ranges, [{ start: 3, end: 3 }, { start: 11, end: 12 }]);
    assert.deepEqual(app.addedLines, [{ line: 3, text: 'line three' }, { line: 11, text: 'line 11' }, { line: 12, text: 'line 12' }]);
    assert.deepEqual(app.removedLines, [{ line: 3, text: 'line 3', after: 2 }]);
    assert.equal(app.content?.split('\n')[10], 'line 11');

    const added = file(change, 'src/new.ts');
    assert.deepEqual(added.ranges, [{ start: 1, end: 2 }]);
    assert.equal(added.linesAdded, 2);

    const notes = file(change, 'notes.md');
    assert.equal(notes.linesAdded, 3);
    assert.deepEqual(notes.ranges, [{ start: 1, end: 3 }]);
    assert.deepEqual(notes.addedLines[2], { line: 3, text: 'hello' });
    assert.equal(notes.content, '# notes\n\nhello\n');

    assert.equal(change.base, 'HEAD');
    assert.equal(change.branch, 'main');
    assert.match(change.headCommit ?? '', /^[0-9a-f]{40}$/);
    assert.equal(change.root, realpathSync(r.dir));
  });

  it('gives a clean tree no files', async () => {
    const r = repo({ commits: [{ 'a.txt': 'a\n' }] });
    const { change } = await readChange({ repo: r.dir });
    assert.deepEqual(change.files, []);
  });

  it('accepts any folder inside the repository and reports paths from its top level', async () => {
    const r = repo({ commits: [{ 'pkg/lib/a.ts': 'a\n' }], unstaged: { 'pkg/lib/a.ts': 'b\n' } });
    const { change } = await readChange({ repo: path.join(r.dir, 'pkg/lib') });
    assert.deepEqual(change.files.map((f) => f.path), ['pkg/lib/a.ts']);
  });

  it('reports a rename with the old path, and the lines changed in it', async () => {
    const r = repo({ commits: [{ 'old/name.ts': lines(20) }], renames: [['old/name.ts', 'new/name.ts']] });
    r.write({ 'new/name.ts': lines(20).replace('line 5\n', 'line five\n') });
    const { change } = await readChange({ repo: r.dir });
    assert.equal(change.files.length, 1);
    const f = change.files[0];
    assert.equal(f.status, 'renamed');
    assert.equal(f.path, 'new/name.ts');
    assert.equal(f.oldPath, 'old/name.ts');
    assert.deepEqual(f.ranges, [{ start: 5, end: 5 }]);
    assert.deepEqual(f.removedLines, [{ line: 5, text: 'line 5', after: 4 }]);
  });

  it('reports deletions, staged or not, with the removed lines and no content', async () => {
    const r = repo({ commits: [{ 'a.ts': 'one\ntwo\n', 'b.ts': 'three\n' }] });
    r.git('rm', '-q', 'a.ts');
    r.write({ 'b.ts': null });
    const { change } = await readChange({ repo: r.dir });
    assert.deepEqual(change.files.map((f) => [f.path, f.status, f.linesDeleted]), [
      ['a.ts', 'deleted', 2],
      ['b.ts', 'deleted', 1],
    ]);
    assert.deepEqual(file(change, 'a.ts').removedLines, [{ line: 1, text: 'one', after: 0 }, { line: 2, text: 'two', after: 0 }]);
    assert.equal(file(change, 'a.ts').content, undefined);
  });

  it('lists binary files, tracked or untracked, without their content', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const r = repo({ commits: [{ 'logo.png': png }], unstaged: { 'logo.png': Buffer.concat([png, Buffer.from([1, 2, 3])]) } });
    r.write({ 'data.bin': Buffer.from([0, 1, 2, 255]) });
    const { change } = await readChange({ repo: r.dir });
    for (const p of ['logo.png', 'data.bin']) {
      const f = file(change, p);
      assert.equal(f.binary, true, p);
      assert.equal(f.content, undefined, p);
      assert.deepEqual(f.addedLines, [], p);
    }
  });

  it('reads text files over 2 MB in part, as text, and says so', async () => {
    const big = 'x'.repeat(99) + '\n';
    const lines = Math.ceil(MAX_CONTENT_BYTES / big.length) + 10;
    const r = repo({ commits: [{ 'big.sql': big }] });
    r.write({ 'big.sql': big.repeat(lines), 'huge.txt': big.repeat(lines) });
    const { change } = await readChange({ repo: r.dir });
    const tracked = file(change, 'big.sql');
    assert.equal(tracked.binary, false);
    assert.equal(tracked.linesAdded, lines - 1, 'every changed line from the diff');
    assert.equal(tracked.addedLines.length, lines - 1);
    assert.ok(tracked.content !== undefined && tracked.content.length <= MAX_CONTENT_BYTES);
    assert.match(tracked.note ?? '', /over the 2 MB read per file: judged by its changed lines and its first 2 MB/);
    const untracked = file(change, 'huge.txt');
    assert.equal(untracked.binary, false);
    assert.equal(untracked.addedLines.length, Math.floor(MAX_CONTENT_BYTES / big.length), 'the whole lines of the first 2 MB');
    assert.match(untracked.note ?? '', /judged by its first 2 MB/);
  });

  it('keeps paths with spaces, quotes, newlines and non-ASCII letters intact', async () => {
    const names = ['docs/read me.md', 'src/ñandú/café.ts', 'weird "quoted"\tname.txt', 'line\nbreak.txt', '日本語.ts'];
    const r = repo({ commits: [Object.fromEntries(names.map((n) => [n, 'v1\n']))] });
    r.write(Object.fromEntries(names.map((n) => [n, 'v1\nv2\n'])));
    r.write({ 'new ünïcode file.py': 'print(1)\n' });
    const { change } = await readChange({ repo: r.dir });
    assert.deepEqual(change.files.map((f) => f.path).sort(), [...names, 'new ünïcode file.py'].sort());
    for (const n of names) assert.deepEqual(file(change, n).addedLines, [{ line: 2, text: 'v2' }], n);
  });

  it('normalises CRLF to LF while keeping line numbers right', async () => {
    const r = repo({ commits: [{ 'win.cs': 'a\r\nb\r\nc\r\n' }], unstaged: { 'win.cs': 'a\r\nB\r\nc\r\nd\r\n' } });
    r.write({ 'new.bat': '@echo off\r\necho hi\r\n' });
    const { change } = await readChange({ repo: r.dir });
    const win = file(change, 'win.cs');
    assert.equal(win.content, 'a\nB\nc\nd\n');
    assert.deepEqual(win.addedLines, [{ line: 2, text: 'B' }, { line: 4, text: 'd' }]);
    assert.deepEqual(win.removedLines, [{ line: 2, text: 'b', after: 1 }]);
    const bat = file(change, 'new.bat');
    assert.equal(bat.content, '@echo off\necho hi\n');
    assert.deepEqual(bat.addedLines, [{ line: 1, text: '@echo off' }, { line: 2, text: 'echo hi' }]);
  });

  it('handles a last line without a newline', async () => {
    const r = repo({ commits: [{ 'a.txt': 'one\ntwo' }], unstaged: { 'a.txt': 'one\ntwo\nthree' } });
    r.write({ 'u.txt': 'x\ny' });
    const { change } = await readChange({ repo: r.dir });
    const a = file(change, 'a.txt');
    assert.deepEqual(a.addedLines, [{ line: 2, text: 'two' }, { line: 3, text: 'three' }]);
    assert.deepEqual(a.removedLines, [{ line: 2, text: 'two', after: 1 }]);
    assert.equal(file(change, 'u.txt').linesAdded, 2);
  });

  it('reads a changed symlink as its target text, never following it', async () => {
    const r = repo({ commits: [{ 'a.txt': 'a\n' }] });
    symlinkSync('/dev/zero', path.join(r.dir, 'zero'));
    const { change } = await readChange({ repo: r.dir });
    assert.equal(file(change, 'zero').content, '/dev/zero');
  });

  it('reads a repository with no commits: everything added or untracked, no base', async () => {
    const r = repo({ staged: { 'a.ts': 'export {};\n' } });
    r.write({ 'b.ts': 'b\n' });
    const { change } = await readChange({ repo: r.dir });
    assert.equal(change.base, null);
    assert.equal(change.headCommit, null);
    assert.equal(change.branch, null);
    assert.deepEqual(change.files.map((f) => [f.path, f.status, f.linesAdded]), [
      ['a.ts', 'added', 1],
      ['b.ts', 'untracked', 1],
    ]);
  });

  it('reads a detached HEAD: no branch, still compared with HEAD', async () => {
    const r = repo({ commits: [{ 'a.txt': '1\n' }, { 'a.txt': '2\n' }] });
    r.git('checkout', '-q', '--detach', 'HEAD~1');
    r.write({ 'a.txt': '3\n' });
    const { change } = await readChange({ repo: r.dir });
    assert.equal(change.branch, null);
    assert.equal(change.base, 'HEAD');
    assert.deepEqual(file(change, 'a.txt').removedLines, [{ line: 1, text: '1', after: 0 }]);
  });

  it('lists a submodule as one entry without reading it, and its .gitmodules change', async () => {
    const inner = repo({ commits: [{ 'lib.c': 'int x;\n' }] });
    const r = repo({ commits: [{ 'README.md': 'r\n' }] });
    r.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', inner.dir, 'vendor/lib');
    // Work inside the submodule is not the superproject's change.
    writeFileSync(path.join(r.dir, 'vendor/lib/lib.c'), 'int y;\n');
    const { change } = await readChange({ repo: r.dir });
    assert.deepEqual(change.files.map((f) => [f.path, f.status, f.submodule]), [
      ['.gitmodules', 'added', false],
      ['vendor/lib', 'added', true],
    ]);
    const sub = file(change, 'vendor/lib');
    assert.equal(sub.content, undefined);
    assert.deepEqual(sub.addedLines, []);
    assert.equal(sub.linesAdded, 0);
  });

  it('lists a repository nested in the working tree as one untracked entry', async () => {
    const r = repo({ commits: [{ 'a.txt': 'a\n' }] });
    mkdirSync(path.join(r.dir, 'other'));
    makeNested(path.join(r.dir, 'other'));
    const { change } = await readChange({ repo: r.dir });
    assert.deepEqual(change.files.map((f) => [f.path, f.status, f.submodule]), [['other', 'untracked', true]]);
  });

  it('reports each git call through onGit', async () => {
    const r = repo({ commits: [{ 'a.txt': 'a\n' }] });
    const calls: string[] = [];
    await readChange({ repo: r.dir, onGit: (args) => calls.push(args[0]) });
    assert.ok(calls.includes('diff-index') && calls.includes('ls-files'), calls.join(','));
  });
});

describe('readChange --base: what a pull request will contain', () => {
  it('compares with the merge-base of the ref and HEAD, plus the working tree', async () => {
    const r = repo({ commits: [{ 'shared.ts': 'v1\n', 'main-only.ts': 'm\n' }] });
    r.git('checkout', '-q', '-b', 'feature');
    r.write({ 'feature.ts': 'f1\n' });
    r.git('add', 'feature.ts');
    r.git('commit', '-q', '-m', 'feature work');
    const forkPoint = r.git('rev-parse', 'main').trim();
    // main moves on after the fork: its changes are not part of the pull request.
    r.git('checkout', '-q', 'main');
    r.write({ 'main-only.ts': 'm2\n' });
    r.git('commit', '-q', '-am', 'main work');
    r.git('checkout', '-q', 'feature');
    r.write({ 'shared.ts': 'v2\n', 'scratch.ts': 's\n' });

    const { change } = await readChange({ repo: r.dir, base: 'main' });
    assert.equal(change.base, forkPoint);
    assert.equal(change.baseRef, 'main');
    assert.equal(change.branch, 'feature');
    assert.deepEqual(change.files.map((f) => [f.path, f.status]), [
      ['feature.ts', 'added'],
      ['scratch.ts', 'untracked'],
      ['shared.ts', 'modified'],
    ]);
  });
});

function makeNested(dir: string): void {
  execFileSync('git', ['init', '-q', dir]);
  writeFileSync(path.join(dir, 'n.txt'), 'n\n');
}
