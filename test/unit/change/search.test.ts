import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { readChange } from '../../../src/core/change';
import { compileTerms } from '../../../src/core/change/search';
import { makeRepo } from '../../fixtures/repo';

describe('RepoSearch.referencesTo', () => {
  const r = makeRepo({
    commits: [
      {
        '.gitignore': 'dist/\n',
        'src/billing.ts': 'import { chargeCard } from "./payments";\nexport const total = chargeCard(1);\n',
        'src/payments.ts': 'export function chargeCard(n: number) { return n; }\n',
        'src/other.ts': 'const chargeCardLimit = 3; // not the word chargeCard… wait, it is: chargeCard\n',
        'src/prefix.ts': 'const chargeCardLimit = 3;\n',
        'docs/my file.md': 'See `config.db.url` and config.db.\n',
        'logo.bin': Buffer.from([0, 1, 2, 0x63, 0x68, 0x61, 0x72, 0x67, 0x65, 0x43, 0x61, 0x72, 0x64, 0]),
      },
    ],
  });
  r.write({ 'src/new-caller.ts': 'chargeCard(2);\n', 'dist/bundle.js': 'chargeCard(3);\n' });
  after(() => r.cleanup());

  it('finds each term as a whole word in tracked and untracked files, skipping ignored and binary ones', async () => {
    const { search } = await readChange({ repo: r.dir });
    const refs = await search.referencesTo(['chargeCard', 'total', 'neverUsedAnywhere']);
    assert.deepEqual(refs.get('chargeCard'), ['src/billing.ts', 'src/new-caller.ts', 'src/other.ts', 'src/payments.ts']);
    assert.deepEqual(refs.get('total'), ['src/billing.ts']);
    assert.deepEqual(refs.get('neverUsedAnywhere'), []);
  });

  it('finds terms that contain or overlap one another', async () => {
    const { search } = await readChange({ repo: r.dir });
    const refs = await search.referencesTo(['config.db.url', 'db.url', 'config.db', 'url']);
    for (const term of ['config.db.url', 'db.url', 'config.db', 'url']) assert.deepEqual(refs.get(term), ['docs/my file.md'], term);
  });

  it('answers an empty list with an empty map, and ignores empty terms', async () => {
    const { search } = await readChange({ repo: r.dir });
    assert.equal((await search.referencesTo([])).size, 0);
    assert.deepEqual([...(await search.referencesTo(['', 'total'])).entries()], [
      ['', []],
      ['total', ['src/billing.ts']],
    ]);
  });

  it('finds a term in a file in conflict once, though git lists it once per stage', async () => {
    const m = makeRepo({ commits: [{ 'src/shared.ts': 'export const v = 1;\n' }] });
    try {
      m.git('checkout', '-q', '-b', 'other');
      m.write({ 'src/shared.ts': 'export const v = 2; // settleInvoice\n' });
      m.git('commit', '-q', '-am', 'other');
      m.git('checkout', '-q', 'main');
      m.write({ 'src/shared.ts': 'export const v = 3; // settleInvoice\n' });
      m.git('commit', '-q', '-am', 'main');
      assert.throws(() => m.git('merge', '-q', 'other'));
      assert.equal(m.git('ls-files', '--stage', 'src/shared.ts').trim().split('\n').length, 3, 'three stages');
      const { search } = await readChange({ repo: m.dir });
      assert.deepEqual((await search.referencesTo(['settleInvoice'])).get('settleInvoice'), ['src/shared.ts']);
    } finally {
      m.cleanup();
    }
  });

  it('finds terms inside one another and side by side, each as a whole word only', () => {
    const terms = ['a.b', 'b', 'new/feature1', 'feature1', 'new/feature10', 'x.y', 'y.z', 'café'];
    const find = compileTerms(terms);
    const found = (text: string) => find(Buffer.from(text)).map((i) => terms[i]).sort();
    assert.deepEqual(found('call(a.b)'), ['a.b', 'b']);
    assert.deepEqual(found('import "new/feature1"'), ['feature1', 'new/feature1']);
    assert.deepEqual(found('new/feature10 feature1x'), ['new/feature10']);
    assert.deepEqual(found('x.y.z'), ['x.y', 'y.z']);
    assert.deepEqual(found('le café, xcafé'), ['café']);
    assert.deepEqual(found('ab.b_ a_b'), []);
  });

  it('finds exactly the terms found as whole words byte by byte, whatever the terms and the text', () => {
    const isWord = (b: number | undefined) => b !== undefined && /[A-Za-z0-9_]/.test(String.fromCharCode(b));
    // The reference: every position, every term, the boundaries checked on each side.
    const naive = (terms: string[], text: Buffer) =>
      terms
        .map((t, id) => ({ t: Buffer.from(t, 'utf8'), id }))
        .filter(({ t }) => {
          for (let p = 0; p + t.length <= text.length; p++) {
            if (isWord(text[p - 1]) || isWord(text[p + t.length])) continue;
            if (text.subarray(p, p + t.length).equals(t)) return true;
          }
          return false;
        })
        .map(({ id }) => id);
    const piece = fc.constantFrom('a', 'b', 'ab', 'x1', '_', '.', '/', '$', 'é', ' ', '-', '\n');
    const term = fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('').replace(/\n/g, ''));
    fc.assert(
      fc.property(fc.uniqueArray(term.filter((t) => t !== ''), { maxLength: 12 }), fc.array(piece, { maxLength: 40 }), (terms, pieces) => {
        const text = Buffer.from(pieces.join(''), 'utf8');
        assert.deepEqual(compileTerms(terms)(text).sort((x, y) => x - y), naive(terms, text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('RepoSearch.read', () => {
  const r = makeRepo({
    commits: [
      {
        'src/store.py': 'def save_order(o):\r\n    db.execute("INSERT INTO orders VALUES (?)", o)\r\n',
        'logo.bin': Buffer.from([0, 1, 2, 3]),
      },
    ],
  });
  r.write({ 'src/draft.py': 'x = 1\n' });
  after(() => r.cleanup());

  it('gives the text of tracked and untracked files by path, LF line ends, leaving out binary and missing files', async () => {
    const { search } = await readChange({ repo: r.dir });
    const texts = await search.read!(['src/store.py', 'src/draft.py', 'logo.bin', 'src/gone.py', 'src/store.py']);
    assert.deepEqual([...texts.keys()].sort(), ['src/draft.py', 'src/store.py']);
    assert.equal(texts.get('src/store.py'), 'def save_order(o):\n    db.execute("INSERT INTO orders VALUES (?)", o)\n');
    assert.equal(texts.get('src/draft.py'), 'x = 1\n');
  });
});
