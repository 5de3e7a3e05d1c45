/**
 * The README's "Where things go" table is a newcomer's map: every file it names exists, a
 * `<name>.ts` placeholder's folder exists with the example file it gives, and every name it says a
 * file holds (a table, a schema, a function) is in that file. A move or a rename that leaves the
 * table behind fails here.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

function tableRows(): { what: string; touch: string }[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('### Where things go');
  assert.ok(start >= 0, 'the README has a "Where things go" section');
  const lines = readme.slice(start).split('\n').slice(1);
  const first = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  const rows = lines
    .slice(first, end)
    .map((l) => l.split('|').map((c) => c.trim()))
    .filter((c) => c[1] !== 'To add…' && !/^-+$/.test(c[1]));
  return rows.map((c) => ({ what: c[1], touch: c[2] }));
}

const ticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe("the README's \"Where things go\" table", () => {
  const rows = tableRows();

  it('answers the newcomer\'s questions: a rule, a trace format, an export engine, a webview tab, a CLI flag', () => {
    const asked = rows.map((r) => r.what).join(' | ');
    for (const want of [/risk rule/, /trace format/, /export/, /webview tab/, /CLI flag/]) assert.match(asked, want);
  });

  for (const { what, touch } of rows) {
    it(`names files and names that exist: ${what}`, () => {
      for (const segment of touch.split(' + ')) {
        const tokens = ticked(segment);
        const files: string[] = [];
        for (const t of tokens.filter((x) => x.includes('/'))) {
          if (/<\w+>/.test(t)) {
            const dir = path.join(root, path.dirname(t));
            assert.ok(existsSync(dir) && statSync(dir).isDirectory(), `${what}: folder ${path.dirname(t)} of ${t}`);
            // The example it gives ("like `x.ts`") lives in that folder.
            for (const like of tokens.filter((x) => !x.includes('/') && /\.ts$/.test(x))) {
              assert.ok(existsSync(path.join(dir, like)), `${what}: ${path.dirname(t)}/${like}`);
              files.push(path.join(dir, like));
            }
          } else {
            assert.ok(existsSync(path.join(root, t)), `${what}: ${t} does not exist`);
            files.push(path.join(root, t));
          }
        }
        assert.ok(files.length > 0, `${what}: "${segment}" names no file`);
        const texts = files.map((f) => readFileSync(f, 'utf8'));
        for (const name of tokens.filter((x) => !x.includes('/') && !/\.ts$/.test(x))) {
          assert.ok(texts.some((t) => t.includes(name)), `${what}: \`${name}\` is in none of ${files.map((f) => path.relative(root, f)).join(', ')}`);
        }
      }
    });
  }
});
