/** A JavaScript regular-expression literal is a string to the word rules: its words are no code. */
import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { languageOf } from '../../../src/core/risk/languages';
import { scanLines } from '../../../src/core/risk/scan';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter, type Contents } from './helpers';

async function run(before: Contents, after: Record<string, string | null>): Promise<Assessment> {
  return assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
}
const rules = (a: Assessment, path: string) => a.files.find((f) => f.path === path)!.findings.map((f) => `${f.rule} ${f.tier}`);
const bare = (...lines: string[]) => scanLines(lines, languageOf('a.ts')!).map((l) => l.bare);

describe('risk: regular-expression literals', () => {
  it('the lexical pass blanks a regular expression as it blanks a string, and keeps it in the code', () => {
    const [scanned] = scanLines(['const AUTH = /^\\/(signin|signup)(\\/|$)/i;'], languageOf('a.ts')!);
    assert.equal(scanned.code, 'const AUTH = /^\\/(signin|signup)(\\/|$)/i;');
    assert.equal(scanned.bare, 'const AUTH = "";');
    // On a line of its own after `=`, in a class, and after `return`.
    assert.deepEqual(bare('const AUTH =', '  /^\\/(signin|[/]x)/;', 'function f(p) { return /login/.test(p); }'), ['const AUTH =', '  "";', 'function f(p) { return "".test(p); }']);
  });

  it('a slash after a value divides and one after `<` closes a tag: neither is a regular expression', () => {
    assert.deepEqual(bare('const half = total / 2 / count;', 'const r = (a) / (b);', 'return <a href="">Sign in</a>;'), ['const half = total / 2 / count;', 'const r = (a) / (b);', 'return <a href="">Sign in</a>;']);
  });

  it('a route added to the regular expression of frameable pages is no authentication code', async () => {
    const before = {
      'apps/web/server/security-headers.ts': L(
        'const FRAMEABLE =',
        '  /^\\/(signin|forgot-password)(\\/|\\.data|$)/;',
        'export function frameAncestors(path: string): string {',
        "  return FRAMEABLE.test(path) ? '*' : \"'self'\";",
        '}',
      ),
    };
    const after = { 'apps/web/server/security-headers.ts': before['apps/web/server/security-headers.ts'].replace('forgot-password)', 'forgot-password|sign|d)') };
    const a = await run(before, after);
    assert.ok(!rules(a, 'apps/web/server/security-headers.ts').some((r) => r.startsWith('auth')), rules(a, 'apps/web/server/security-headers.ts').join(', '));
    assert.equal(a.tier, 'MEDIUM');
  });

  it('a call that signs a user in beside a regular expression still is authentication code', async () => {
    const before = { 'src/routes.ts': L('export function go(p: string) {', '  return /^\\/app/.test(p);', '}') };
    const after = { 'src/routes.ts': L('export function go(p: string) {', '  return /^\\/app/.test(p) && signIn(p);', '}') };
    const a = await run(before, after);
    assert.ok(rules(a, 'src/routes.ts').includes('auth HIGH'), rules(a, 'src/routes.ts').join(', '));
  });
});
