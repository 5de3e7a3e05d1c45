/** Edits inside comments and docstrings are comment changes, on the removed side as on the added one. */
import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter, type Contents } from './helpers';

async function run(before: Contents, after: Record<string, string | null>): Promise<Assessment> {
  return assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
}
const rules = (a: Assessment, path: string) => a.files.find((f) => f.path === path)!.findings.map((f) => `${f.rule} ${f.tier}`);

describe('risk: comment and docstring edits', () => {
  it('a line taken out of the middle of a block comment is no removed code, whatever words it has', async () => {
    const before = { 'src/server/headers.ts': L('/**', ' * Frames are allowed on embed routes.', ' * Auth pages reachable from an embed keep the session.', ' */', 'export const FRAMEABLE = /^\\/embed/;') };
    const a = await run(before, { 'src/server/headers.ts': before['src/server/headers.ts'].replace(' * Auth pages reachable from an embed keep the session.\n', '') });
    assert.deepEqual(rules(a, 'src/server/headers.ts'), ['cosmetic ZERO']);
    assert.equal(a.tier, 'ZERO');
  });

  it('a typo fixed inside a Python docstring is a comment change', async () => {
    const before = { 'core/filters.py': L('def hours(duration):', '    """', '    Return the hours of a duration.', '    :param duration: a timedetla instance.', '    """', '    return duration.seconds // 3600') };
    const a = await run(before, { 'core/filters.py': before['core/filters.py'].replace('timedetla', 'timedelta') });
    assert.deepEqual(rules(a, 'core/filters.py'), ['cosmetic ZERO']);
  });

  it('code removed next to a comment is still removed code', async () => {
    const before = { 'src/pay.ts': L('export function pay(o: Order) {', '  // charge the card first', '  gateway.charge(o.total);', '  return o;', '}') };
    const a = await run(before, { 'src/pay.ts': before['src/pay.ts'].replace('  gateway.charge(o.total);\n', '') });
    assert.deepEqual(rules(a, 'src/pay.ts'), ['payment HIGH']);
  });
});
