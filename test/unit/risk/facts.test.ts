/**
 * The Assessment carries what the risk step found as data, for the plan and the editor to read:
 * each file's kind by path, and for each content or data-write finding the subject it matched.
 */
import { strict as assert } from 'node:assert';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { changeSetOf, memorySearch, treeAfter } from './helpers';

const BEFORE = {
  'src/app.ts': "import { issue } from './auth/tokens';\nimport { refresh } from './users/session';\nimport { save } from './orders';\nexport const x = 1;\n",
  'src/auth/tokens.ts': "import jwt from 'jsonwebtoken';\nexport function issue(id: string) {\n  return 1;\n}\n",
  'src/users/session.ts': 'export function refreshSession(s: { expires: number }) {\n  return s;\n}\n',
  'src/orders.ts': "import { db } from './db';\nexport async function save(o: unknown) {\n  return o;\n}\n",
  'src/db.ts': 'export const db = {} as any;\n',
};
const AFTER = {
  'src/auth/tokens.ts': "import jwt from 'jsonwebtoken';\nexport function issue(id: string) {\n  return jwt.sign({ sub: id }, process.env.KEY);\n}\n",
  'src/users/session.ts': 'export function refreshSession(s: { expires: number }) {\n  s.expires = Date.now() + 3600;\n  return s;\n}\n',
  'src/orders.ts': "import { db } from './db';\nexport async function save(o: unknown) {\n  return db.order.create({ data: o });\n}\n",
  'test/orders.test.ts': "it('saves', () => {});\n",
  'docs/orders.md': '# Orders\n',
};

async function assessed(): Promise<Assessment> {
  return assess(changeSetOf(BEFORE, AFTER), PolicySchema.parse({}), memorySearch(treeAfter(BEFORE, AFTER)));
}

const fileAt = (a: Assessment, path: string) => {
  const f = a.files.find((x) => x.path === path);
  assert.ok(f, `${path} is in the assessment`);
  return f;
};

describe('risk: the facts the Assessment carries', () => {
  it("gives each file its kind by path, the same answer that decides a test's or a doc's tier", async () => {
    const a = await assessed();
    assert.deepEqual(
      a.files.map((f) => [f.path, f.kind]).sort(),
      [['docs/orders.md', 'docs'], ['src/auth/tokens.ts', 'code'], ['src/orders.ts', 'code'], ['src/users/session.ts', 'code'], ['test/orders.test.ts', 'test']],
    );
  });

  it('gives a content finding the term it matched and, for auth, its category', async () => {
    const [jwt] = fileAt(await assessed(), 'src/auth/tokens.ts').findings;
    assert.equal(jwt.rule, 'auth');
    assert.deepEqual(jwt.subject, { term: 'jwt', category: 'authentication' });
  });

  it('names the function when its name put the line in the rule', async () => {
    const [f] = fileAt(await assessed(), 'src/users/session.ts').findings;
    assert.equal(f.rule, 'auth');
    assert.equal(f.subject?.function, 'refreshSession');
    assert.equal(f.subject?.category, 'session handling');
  });

  it('gives a data write the call it matched', async () => {
    const [w] = fileAt(await assessed(), 'src/orders.ts').findings;
    assert.equal(w.rule, 'data-write');
    assert.deepEqual(w.subject, { term: '.create(' });
  });

  it('gives findings about a whole file no subject: nothing was matched on a line', async () => {
    const a = await assessed();
    assert.deepEqual(fileAt(a, 'test/orders.test.ts').findings.map((f) => [f.rule, f.subject]), [['test', undefined]]);
  });
});
