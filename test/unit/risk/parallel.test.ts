import * as assert from 'node:assert/strict';
import type { ChangedFile } from '../../../src/core/change/types';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess } from '../../../src/core/risk';
import { decodeFile, encodeFile } from '../../../src/core/risk/parallel';
import { CORPUS, L, type CorpusCase } from './corpus';
import { changeSetOf, memorySearch, treeAfter, type Contents } from './helpers';

/** Both ways of judging one change: on this thread alone, and with a share on the judge thread. */
async function bothWays(before: Contents, after: NonNullable<CorpusCase['after']>, policy: unknown = {}, renames?: CorpusCase['renames']) {
  const p = PolicySchema.parse(policy);
  let there = 0;
  const serial = await assess(changeSetOf(before, after, renames), p, memorySearch(treeAfter(before, after, renames)), { parallel: 'never' });
  const parallel = await assess(changeSetOf(before, after, renames), p, memorySearch(treeAfter(before, after, renames)), { parallel: 'always', onJudgedElsewhere: (n) => (there = n) });
  return { serial, parallel, there };
}

describe('risk: a change judged on two threads', function () {
  // The judge thread compiles the risk engine from source on its first job.
  this.timeout(120000);

  it('a file sent to the judge thread arrives as it left: lines, their places, ranges and text', () => {
    const f: ChangedFile = {
      path: 'src/app.ts',
      oldPath: 'src/old.ts',
      status: 'renamed',
      binary: false,
      submodule: false,
      linesAdded: 2,
      linesDeleted: 2,
      ranges: [{ start: 2, end: 3 }],
      addedLines: [{ line: 2, text: '  const a = 1;\r' }, { line: 3, text: '' }],
      removedLines: [{ line: 2, text: 'old', after: 1 }, { line: 4, text: '' }],
      content: 'x\n  const a = 1;\r\n\ny\n',
    };
    assert.deepEqual(decodeFile(encodeFile(f)), f);
    const none = { ...f, addedLines: [], removedLines: [], ranges: [] };
    assert.deepEqual(decodeFile(encodeFile(none)), none);
  });

  it('every corpus change gets the same assessment either way', async () => {
    let judgedThere = 0;
    for (const c of CORPUS) {
      const { serial, parallel, there } = await bothWays(c.before ?? {}, c.after ?? {}, c.policy ?? {}, c.renames);
      assert.deepEqual(parallel, serial, c.name);
      judgedThere += there;
    }
    assert.ok(judgedThere > CORPUS.length / 2, `the judge thread judged ${judgedThere} files of the corpus`);
  });

  it('a large change with flags, settings, helpers that write, moved code and unused exports gets the same assessment', async () => {
    const before: Contents = { 'app/settings.py': L('DEBUG = False'), 'src/db/orders.ts': L("import { prisma } from './client';", 'export async function saveOrder(o: { id: number }) {', '  return prisma.order.update({ where: { id: o.id }, data: o });', '}') };
    const after: Record<string, string> = { 'app/settings.py': L('DEBUG = False', 'NEW_CHECKOUT = False') };
    for (let i = 0; i < 60; i++) {
      const moved = L('export function shared(x: number) {', '  const doubled = x * 2 + 1;', '  return doubled - Math.floor(doubled / 3);', '}');
      before[`src/m${i}.ts`] = L("import { saveOrder } from './db/orders';", 'export function keep() {', '  return 1;', '}', ...(i % 7 === 0 ? [moved] : []));
      after[`src/m${i}.ts`] = L(
        "import { saveOrder } from './db/orders';",
        'export function keep() {',
        i % 3 === 0 ? '  if (flags.isEnabled("new-checkout")) { return 2; }' : '  return 1;',
        '}',
        `export async function place${i}(id: number) {`,
        i % 2 ? '  return saveOrder({ id });' : "  throw new Error('session expired for ' + id);",
        '}',
      );
      if (i % 7 === 0) after[`src/n${i}.ts`] = moved;
      // Code behind the new setting, which ships off.
      before[`app/jobs${i}.py`] = L('from django.conf import settings', '', 'def run(order):', '    return order.total');
      after[`app/jobs${i}.py`] = L('from django.conf import settings', '', 'def run(order):', '    if settings.NEW_CHECKOUT:', '        order.charge_card()', '    return order.total');
    }
    // Half of the new functions are imported; the others are not called yet.
    after['src/main.ts'] = L(...Array.from({ length: 30 }, (_, i) => `import { place${2 * i} } from './m${2 * i}';`), 'place0(1);');
    const { serial, parallel, there } = await bothWays(before, after);
    assert.deepEqual(parallel, serial);
    assert.ok(there > 10, `the judge thread judged ${there} files`);
    assert.ok(serial.files.some((f) => f.findings.some((x) => x.rule === 'moved')), 'the change moves code');
    assert.ok(serial.files.some((f) => f.findings.some((x) => x.rule === 'unused-export')), 'the change adds unused exports');
    assert.ok(serial.flags.some((f) => f.name === 'NEW_CHECKOUT'), 'the change adds code behind a setting that ships off');
  });
});
