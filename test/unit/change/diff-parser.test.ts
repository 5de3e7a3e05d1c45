import { strict as assert } from 'node:assert';
import { DiffFormatError, DiffStreamParser, symmetricPath, unquote } from '../../../src/core/change/diff-parser';
import { rangesOf } from '../../../src/core/change/ranges';

const Z = '\0';
const rec = (status: string, ...paths: string[]) => `:100644 100644 1111111 0000000 ${status}${Z}${paths.join(Z)}${Z}`;

/** Output of `git diff-index --raw -z -p -U0` for a small change, written by hand from git's format. */
const SAMPLE = Buffer.from(
  rec('M', 'src/a b.ts') +
    rec('R087', 'old.ts', 'new "q".ts') +
    rec('M', 'img.png') +
    rec('M', 'touched-only.ts') +
    rec('M', 'é.txt') +
    Z +
    [
      'diff --git a/src/a b.ts b/src/a b.ts',
      'index 1111111..2222222 100644',
      '--- a/src/a b.ts\t',
      '+++ b/src/a b.ts\t',
      '@@ -2 +2,2 @@ function f() {',
      '-  return 1;',
      '+  return 2;',
      '+  // --- not a header',
      '@@ -9,0 +11 @@',
      '+--- also a line',
      'diff --git "a/old.ts" "b/new \\"q\\".ts"',
      'similarity index 87%',
      'rename from old.ts',
      'rename to "new \\"q\\".ts"',
      '--- a/old.ts',
      '+++ "b/new \\"q\\".ts"',
      '@@ -1 +1 @@',
      '-old',
      '\\ No newline at end of file',
      '+new\r',
      'diff --git a/img.png b/img.png',
      'index 1111111..3333333 100644',
      'Binary files a/img.png and b/img.png differ',
      'diff --git a/é.txt b/é.txt',
      '--- a/é.txt',
      '+++ b/é.txt',
      '@@ -0,0 +1 @@',
      '+ünïcode',
      '',
    ].join('\n'),
  'utf8',
);

function parse(chunks: Buffer[]) {
  const p = new DiffStreamParser();
  for (const c of chunks) p.push(c);
  return p.end();
}

describe('DiffStreamParser', () => {
  it('ties patch sections to the -z file list and reads line numbers and text', () => {
    const files = parse([SAMPLE]);
    assert.deepEqual(files.map((f) => [f.status, f.path, f.oldPath, f.binary]), [
      ['M', 'src/a b.ts', undefined, false],
      ['R', 'new "q".ts', 'old.ts', false],
      ['M', 'img.png', undefined, true],
      ['M', 'é.txt', undefined, false],
    ]);
    assert.deepEqual(files[0].addedLines, [
      { line: 2, text: '  return 2;' },
      { line: 3, text: '  // --- not a header' },
      { line: 11, text: '--- also a line' },
    ]);
    assert.deepEqual(files[0].removedLines, [{ line: 2, text: '  return 1;', after: 1 }]);
    assert.deepEqual(files[1].addedLines, [{ line: 1, text: 'new' }]);
    assert.deepEqual(files[1].removedLines, [{ line: 1, text: 'old', after: 0 }]);
    assert.deepEqual(files[3].addedLines, [{ line: 1, text: 'ünïcode' }]);
  });

  it('drops a file listed without a patch section: only its timestamps changed', () => {
    assert.ok(!parse([SAMPLE]).some((f) => f.path === 'touched-only.ts'));
  });

  it('gives the same result however the stream is cut, even inside a UTF-8 character', () => {
    const whole = JSON.stringify(parse([SAMPLE]));
    for (let cut = 1; cut < SAMPLE.length; cut++) {
      assert.equal(JSON.stringify(parse([SAMPLE.subarray(0, cut), SAMPLE.subarray(cut)])), whole, `cut at byte ${cut}`);
    }
    const bytes = Array.from({ length: SAMPLE.length }, (_, i) => SAMPLE.subarray(i, i + 1));
    assert.equal(JSON.stringify(parse(bytes)), whole);
  });

  it('places removed lines after the new line the hunk header names, hunk by hunk', () => {
    const out = Buffer.from(
      rec('M', 'app/models/message.rb') + Z +
        ['diff --git a/app/models/message.rb b/app/models/message.rb', '--- a/app/models/message.rb', '+++ b/app/models/message.rb',
          // Two lines gone after new line 4; one line replaced by two at new line 8; one gone after new line 141.
          '@@ -5,2 +4,0 @@', '-    self.has_been_read = true', '-    save!',
          '@@ -11 +9,2 @@', '-    notify_user', '+    notify_user(now: true)', '+    log_delivery',
          '@@ -143 +141,0 @@', '-    touch(:read_at)', ''].join('\n'),
    );
    const [f] = parse([out]);
    assert.deepEqual(f.removedLines.map((l) => [l.line, l.after]), [[5, 4], [6, 4], [11, 8], [143, 141]]);
    assert.deepEqual(f.addedLines.map((l) => l.line), [9, 10]);
  });

  it('puts both halves of a file ↔ symlink change on one file', () => {
    const out = Buffer.from(
      ':120000 100644 1111111 0000000 T' + Z + 'link' + Z + Z +
        ['diff --git a/link b/link', 'deleted file mode 120000', '--- a/link', '+++ /dev/null', '@@ -1 +0,0 @@', '-target', '\\ No newline at end of file',
          'diff --git a/link b/link', 'new file mode 100644', '--- /dev/null', '+++ b/link', '@@ -0,0 +1,2 @@', '+now', '+a file', ''].join('\n'),
    );
    const [f] = parse([out]);
    assert.deepEqual(f.removedLines, [{ line: 1, text: 'target', after: 0 }]);
    assert.deepEqual(f.addedLines, [{ line: 1, text: 'now' }, { line: 2, text: 'a file' }]);
  });

  it('keeps the start of a line longer than its bound, however many chunks it comes in, and counts it', () => {
    const long = 'x'.repeat(10_000);
    const out = Buffer.from(rec('M', 'app.min.js') + Z + `diff --git a/app.min.js b/app.min.js\n@@ -1 +1,2 @@\n-${long}\n+${long}y\n+short\n`);
    const p = new DiffStreamParser(100);
    for (let at = 0; at < out.length; at += 7) p.push(out.subarray(at, at + 7));
    const [f] = p.end();
    assert.deepEqual(f.removedLines, [{ line: 1, text: 'x'.repeat(99), after: 0 }]);
    assert.deepEqual(f.addedLines, [{ line: 1, text: 'x'.repeat(99) }, { line: 2, text: 'short' }]);
    assert.equal(f.cutLines, 2);
  });

  it('names a file that is not UTF-8 with \\xHH, in the -z list and in quoted headers alike', () => {
    const name = Buffer.concat([Buffer.from('db/x\t'), Buffer.of(0xff), Buffer.from('.sql')]);
    const header = Buffer.concat([Buffer.from('diff --git "a/db/x\\t'), Buffer.of(0xff), Buffer.from('.sql" "b/db/x\\t'), Buffer.of(0xff), Buffer.from('.sql"\n')]);
    const out = Buffer.concat([Buffer.from(':100644 100644 1111111 0000000 M' + Z), name, Buffer.from(Z + Z), header, Buffer.from('@@ -0,0 +1 @@\n+DROP TABLE t;\n')]);
    const [f] = parse([out]);
    assert.equal(f.path, 'db/x\t\\xff.sql');
    assert.deepEqual(f.pathBytes, name);
    assert.deepEqual(f.addedLines, [{ line: 1, text: 'DROP TABLE t;' }]);
  });

  it('reports output it cannot make sense of instead of guessing', () => {
    assert.throws(() => parse([Buffer.from(rec('M', 'a') + Z + 'diff --git a/b b/b\n@@ -1 +1 @@\n-x\n+y\n')]), DiffFormatError);
    assert.throws(() => parse([Buffer.from(rec('M', 'a') + Z + 'diff --git a/a b/a\n@@ -1,2 +1,2 @@\n-x\n')]), DiffFormatError);
    assert.throws(() => parse([Buffer.from('garbage' + Z)]), DiffFormatError);
  });
});

describe('patch header paths', () => {
  it('splits `a/P b/P` even when P contains " b/"', () => {
    assert.equal(symmetricPath('a/x b/y b/x b/y'), 'x b/y');
    assert.equal(symmetricPath('a/one b/two'), undefined);
    assert.equal(symmetricPath('"a/t\\tab" "b/t\\tab"'), 't\tab');
  });

  it('undoes C quoting, octal UTF-8 bytes included', () => {
    assert.equal(unquote('"caf\\303\\251 \\"x\\"\\\\n"'), 'café "x"\\n');
    assert.equal(unquote('plain name'), 'plain name');
  });
});

describe('rangesOf', () => {
  it('merges consecutive added lines into inclusive ranges', () => {
    const at = (...n: number[]) => n.map((line) => ({ line, text: '' }));
    assert.deepEqual(rangesOf(at(1, 2, 3, 7, 9, 10)), [{ start: 1, end: 3 }, { start: 7, end: 7 }, { start: 9, end: 10 }]);
    assert.deepEqual(rangesOf([]), []);
  });
});
