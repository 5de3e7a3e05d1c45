import * as assert from 'node:assert/strict';
import { compileGlob, GlobError } from '../../../src/core/risk/glob';

describe('risk: policy globs', () => {
  const cases: [string, string, boolean][] = [
    ['src/legacy/**', 'src/legacy/report.ts', true],
    ['src/legacy/**', 'src/legacy/a/b/c.ts', true],
    ['src/legacy/**', 'src/legacyish/report.ts', false],
    ['src/**/*.sql', 'src/db/x/schema.sql', true],
    ['src/**/*.sql', 'src/schema.sql', true],
    ['src/*.ts', 'src/a/b.ts', false],
    ['*.md', 'docs/guide/intro.md', true], // no slash: any depth, as in .gitignore
    ['file?.ts', 'file1.ts', true],
    ['file?.ts', 'file10.ts', false],
    ['src/{auth,billing}/**', 'src/billing/charge.ts', true],
    ['src/{auth,billing}/**', 'src/orders/charge.ts', false],
    ['vendor/', 'vendor/lib/x.js', true],
    ['vendor/', 'src/vendor/lib/x.js', true],
    ['/vendor/**', 'src/vendor/x.js', false],
    ['a.b', 'aXb', false], // dots are literal
  ];
  for (const [glob, path, want] of cases) {
    it(`${glob} ${want ? 'matches' : 'does not match'} ${path}`, () => assert.equal(compileGlob(glob)(path), want));
  }
  it('rejects an unclosed brace and a ** inside a segment', () => {
    assert.throws(() => compileGlob('src/{a,b/**'), GlobError);
    assert.throws(() => compileGlob('src/a**/x'), GlobError);
  });
});
