/**
 * A file that cannot be read as syntax keeps today's line rules, and its findings say so: no file
 * gets a lower tier because it had no grammar, was too large or did not parse.
 */
import * as assert from 'node:assert/strict';
import type { ChangedFile } from '../../../../src/core/change/types';
import { PolicySchema } from '../../../../src/core/policy/schema';
import { assess, type Finding } from '../../../../src/core/risk';
import { MAX_PARSE_BYTES } from '../../../../src/core/risk/syntax';
import { changedFile, changeSetOf, memorySearch, treeAfter } from '../helpers';

async function findingsOf(before: Record<string, string>, after: Record<string, string | null>, path: string): Promise<Finding[]> {
  const a = await assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
  return a.files.find((f) => f.path === path)!.findings;
}

const brief = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.tier} ${f.line}`);

describe('risk: files read line by line when syntax is not available', () => {
  it('a Kotlin file has no grammar: the word in its message still counts, and the finding says why', async () => {
    const path = 'app/src/main/kotlin/Files.kt';
    const fs = await findingsOf(
      { [path]: 'fun check(secretPath: String, ok: Boolean) {\n    if (!ok) throw IllegalStateException("missing")\n}\n' },
      { [path]: 'fun check(secretPath: String, ok: Boolean) {\n    if (!ok) throw IllegalStateException("missing $secretPath")\n}\n' },
      path,
    );
    assert.deepEqual(brief(fs), ['auth HIGH 2']);
    assert.equal(fs[0].facts?.read, 'lines');
    assert.match(fs[0].facts?.reason ?? '', /no grammar for \.kt files/);
  });

  it('a file over the parse bound is read as text, at the tier the text gives', async () => {
    const path = 'src/gen/big.ts';
    const fillerLines = Math.ceil(MAX_PARSE_BYTES / 13) + 10;
    const tail = ['export function f(secretPath: string) {', '  throw new Error(`missing ${secretPath}`);', '}'];
    const content = `${'// generated\n'.repeat(fillerLines)}${tail.join('\n')}\n`;
    const line = fillerLines + 2;
    const file: ChangedFile = {
      path, status: 'modified', binary: false, submodule: false, linesAdded: 1, linesDeleted: 1, ranges: [{ start: line, end: line }],
      addedLines: [{ line, text: tail[1] }], removedLines: [{ line, text: "  throw new Error('missing');" }], content,
    };
    const a = await assess({ root: '/r', base: 'HEAD', headCommit: null, branch: 'main', files: [file] }, PolicySchema.parse({}), memorySearch({}));
    const fs = a.files[0].findings;
    assert.deepEqual(fs.map((f) => `${f.rule} ${f.tier}`), ['auth HIGH']);
    assert.equal(fs[0].facts?.read, 'lines');
    assert.match(fs[0].facts?.reason ?? '', /larger than 1024 KB/);
  });

  it('a line under a syntax error is read as text', async () => {
    const path = 'src/config/broken.ts';
    const fs = await findingsOf(
      { [path]: 'export function f(secretPath: string) {\n  return 1;\n}\n' },
      { [path]: 'export function f(secretPath: string) {\n  throw new Error(secretPath ]] ;;\n}\n' },
      path,
    );
    assert.deepEqual(brief(fs), ['auth HIGH 2']);
    assert.deepEqual(fs[0].facts, { read: 'lines', reason: 'a syntax error covers the line: read as text' });
  });

  it('a parsed line says so: a call inside an error message still acts', async () => {
    const path = 'src/config/files.ts';
    const fs = await findingsOf(
      { [path]: 'export function load(p: string) {\n  return p;\n}\n' },
      { [path]: 'export function load(p: string) {\n  throw new Error(readSecret(p));\n}\n' },
      path,
    );
    assert.deepEqual(brief(fs), ['auth HIGH 2']);
    assert.deepEqual(fs[0].facts, { read: 'syntax' });
  });

  it('removed lines are read in the old version, rebuilt from the diff', async () => {
    const path = 'src/config/files.ts';
    const fs = await findingsOf(
      { [path]: 'export function check(secretPath: string, ok: boolean) {\n  if (!ok) throw new Error(`missing ${secretPath}`);\n  return ok;\n}\n' },
      { [path]: 'export function check(secretPath: string, ok: boolean) {\n  return ok;\n}\n' },
      path,
    );
    assert.deepEqual(brief(fs), ['app-change MEDIUM 2']);
  });

  it('a file read in part is read as text on both sides, and the finding says why', async () => {
    const path = 'src/config/files.ts';
    const before = 'export function check(secretPath: string, ok: boolean) {\n  if (!ok) throw new Error(`missing ${secretPath}`);\n  return ok;\n}\n';
    const after = 'export function check(secretPath: string, ok: boolean) {\n  return ok;\n}\n';
    const file: ChangedFile = { ...changedFile(path, 'modified', before, after), note: '3 MB, over the 2 MB read per file: judged by its changed lines and its first 2 MB' };
    const a = await assess({ root: '/r', base: 'HEAD', headCommit: null, branch: 'main', files: [file] }, PolicySchema.parse({}), memorySearch({ [path]: after }));
    const fs = a.files[0].findings;
    assert.deepEqual(brief(fs), ['auth HIGH 2']);
    assert.match(fs[0].facts?.reason ?? '', /read in part/);
  });
});
