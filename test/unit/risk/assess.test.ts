import * as assert from 'node:assert/strict';
import type { ChangedFile } from '../../../src/core/change/types';
import { InputError } from '../../../src/core/errors';
import { PolicySchema, type PolicyInput } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter, type Contents } from './helpers';

async function run(before: Contents, after: Record<string, string | null>, policy: PolicyInput = {}): Promise<Assessment> {
  return assess(changeSetOf(before, after), PolicySchema.parse(policy), memorySearch(treeAfter(before, after)));
}
const rules = (a: Assessment, path: string) => a.files.find((f) => f.path === path)!.findings.map((f) => `${f.rule} ${f.tier} ${f.line}${f.flag ? ` ${f.flag}` : ''}`);

describe('risk: assess beyond the corpus', () => {
  it('a submodule bump is MEDIUM', async () => {
    const sub: ChangedFile = {
      path: 'vendor/lib', status: 'modified', binary: false, submodule: true, linesAdded: 0, linesDeleted: 0,
      ranges: [], addedLines: [], removedLines: [],
    };
    const a = await assess({ root: '/r', base: 'HEAD', headCommit: null, branch: 'main', files: [sub] }, PolicySchema.parse({}), memorySearch({}));
    assert.equal(a.tier, 'MEDIUM');
    assert.deepEqual(rules(a, 'vendor/lib'), ['submodule MEDIUM 0']);
    assert.match(a.files[0].findings[0].message, /submodule moved to a new commit/);
  });

  it('a malformed policy glob is an InputError naming the field', async () => {
    await assert.rejects(run({}, {}, { tiers: [{ glob: 'src/{a,b', tier: 'HIGH' }] }), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /tiers\.0\.glob/);
      assert.match(e.message, /unclosed "\{"/);
      return true;
    });
  });

  it('asks the repository once for every new file and function, whatever the number of files', async () => {
    const after: Record<string, string> = {};
    for (let i = 0; i < 30; i++) after[`src/feature${i}.ts`] = L(`export function feature${i}() {`, '  return 1;', '}');
    const search = memorySearch(treeAfter({}, after));
    await assess(changeSetOf({}, after), PolicySchema.parse({}), search);
    assert.equal(search.calls.length, 1);
    assert.ok(search.calls[0].includes('feature7'));
  });

  it('a negated flag check guards the code that runs while the flag is OFF: new code there counts as deployed', async () => {
    const before = { 'src/pay.ts': L('export function pay(o: Order) {', '  return legacyPay(o);', '}') };
    const a = await run(before, {
      'src/pay.ts': L('export function pay(o: Order) {', "  if (!isEnabled('new-pay')) {", '    audit(o);', '    return legacyPay(o);', '  }', '  return newPay(o);', '}'),
    });
    // `audit(o)` is new and runs while the flag is OFF; `newPay` runs only once it is on.
    assert.equal(a.tier, 'HIGH');
    assert.deepEqual(rules(a, 'src/pay.ts').sort(), ['flag-off ZERO 2', 'payment HIGH 2 new-pay', 'payment HIGH 3'].sort());
    assert.deepEqual(a.flags, [{ name: 'new-pay', tier: 'HIGH', files: ['src/pay.ts'] }]);
  });

  it('moving the old path into a negated check, unchanged, deploys nothing new', async () => {
    const before = { 'src/pay.ts': L('export function pay(o: Order) {', '  return legacyPay(o);', '}') };
    const a = await run(before, {
      'src/pay.ts': L('export function pay(o: Order) {', "  if (!isEnabled('new-pay')) {", '    return legacyPay(o);', '  }', '  return newPay(o);', '}'),
    });
    assert.equal(a.tier, 'ZERO');
    assert.deepEqual(rules(a, 'src/pay.ts').sort(), ['flag-off ZERO 2', 'payment HIGH 2 new-pay']);
  });

  it('an early return while a flag is ON leaves the code after it live', async () => {
    const before = { 'src/export.ts': L('export function exportRows(rows: Row[]) {', '  return toCsv(rows);', '}') };
    const a = await run(before, {
      'src/export.ts': L('export function exportRows(rows: Row[]) {', "  if (isEnabled('legacy-export')) return toCsv(rows);", '  return toParquet(rows);', '}'),
    });
    assert.equal(a.tier, 'MEDIUM');
    assert.ok(rules(a, 'src/export.ts').includes('app-change MEDIUM 3'), rules(a, 'src/export.ts').join(', '));
    assert.ok(!rules(a, 'src/export.ts').some((r) => r.endsWith('legacy-export') && r.includes(' 3 ')));
  });

  it('a one-line Python guard and a multi-line Ruby `unless … return … end` guard the rest of their block', async () => {
    const py = await run(
      { 'app/tips.py': L('def tip(order):', '    return 0') },
      { 'app/tips.py': L('def tip(order):', '    if not is_enabled("tips"): return 0', '    return round(order.total * 0.1)') },
    );
    // `return 0` is what runs while the flag is OFF: live, but it is what the function did before.
    assert.deepEqual(py.flags.map((f) => f.name), ['tips']);
    assert.ok(rules(py, 'app/tips.py').includes('app-change MEDIUM 3 tips'), rules(py, 'app/tips.py').join(', '));
    const rb = await run(
      { 'app/models/badge.rb': L('class Badge', '  def award(user)', '    user.notify', '  end', 'end') },
      { 'app/models/badge.rb': L('class Badge', '  def award(user)', '    user.notify', '    unless Flipper.enabled?(:badges)', '      return', '    end', '    user.badges.create!(kind: :gold)', '  end', 'end') },
    );
    assert.equal(rb.tier, 'ZERO');
    assert.ok(rules(rb, 'app/models/badge.rb').includes('data-write HIGH 7 badges'), rules(rb, 'app/models/badge.rb').join(', '));
  });

  it('a negated check with an else branch puts the else branch behind the flag; the code after it stays live', async () => {
    const before = { 'src/ship.ts': L('export function ship(o: Order) {', '  return send(o);', '}') };
    const a = await run(before, {
      'src/ship.ts': L('export function ship(o: Order) {', "  if (!isEnabled('drone')) {", '    return send(o);', '  } else {', '    log(o);', '  }', '  return track(o);', '}'),
    });
    // Read as an early return, `return track(o)` would count for the flag and the deploy tier would be ZERO.
    assert.deepEqual(rules(a, 'src/ship.ts').sort(), ['app-change MEDIUM 2 drone', 'app-change MEDIUM 7', 'flag-off ZERO 2']);
    assert.equal(a.tier, 'MEDIUM');
  });

  it('an old call kept in the else branch and copied into the new path is neither switched off nor new there', async () => {
    const before = { 'src/feed.ts': L('export function feed(u: User) {', '  return recent(u);', '}') };
    const a = await run(before, {
      'src/feed.ts': L('export function feed(u: User) {', "  if (isEnabled('ranked-feed')) {", '    const items = rank(u);', '    return recent(u);', '  } else {', '    return recent(u);', '  }', '}'),
    });
    assert.equal(a.tier, 'ZERO', rules(a, 'src/feed.ts').join(', '));
    assert.deepEqual(rules(a, 'src/feed.ts').sort(), ['app-change MEDIUM 2 ranked-feed', 'flag-off ZERO 2']);
  });

  it('a guard that throws while the flag is OFF is live code, and switches off the existing code after it', async () => {
    const before = { 'src/search/v2.ts': L('export const version = 1;', '', 'function searchV2(q: string) {', '  return index.query(q);', '}') };
    const a = await run(before, {
      'src/search/v2.ts': L('export const version = 1;', '', 'function searchV2(q: string) {', "  if (!isEnabled('search-v2')) {", "    throw new Error('search v2 is off');", '  }', '  return index.query(q);', '}'),
    });
    assert.deepEqual(rules(a, 'src/search/v2.ts').sort(), ['app-change MEDIUM 4 search-v2', 'app-change MEDIUM 5', 'flag-off ZERO 4', 'flag-wrap MEDIUM 4']);
    assert.equal(a.tier, 'MEDIUM');
  });

  it('editing an existing check keeps its flag: nothing is switched off and new code inside counts', async () => {
    const before = { 'src/home.ts': L('export function home(user: User) {', "  if (user.admin && isEnabled('beta-home')) {", "    show('banner');", '  }', '}') };
    const a = await run(before, { 'src/home.ts': L('export function home(user: User) {', "  if (isEnabled('beta-home')) {", "    show('banner');", "    show('carousel');", '  }', '}') });
    assert.deepEqual(a.flags, []);
    assert.ok(!rules(a, 'src/home.ts').some((r) => r.startsWith('flag-wrap')));
    assert.equal(a.tier, 'MEDIUM');
  });

  it('a line changed inside a flag the policy says is OFF counts for the flag, its old version too', async () => {
    const before = { 'src/home.ts': L('export function home() {', "  if (flags.isEnabled('beta-home')) {", "    show('banner');", '  }', '}') };
    const after = { 'src/home.ts': L('export function home() {', "  if (flags.isEnabled('beta-home')) {", "    show('carousel');", '  }', '}') };
    const off = await run(before, after, { flags: { 'beta-home': 'off' } });
    assert.equal(off.tier, 'ZERO');
    assert.ok(off.files[0].findings.every((f) => f.flag === 'beta-home' || f.rule === 'flag-off'), rules(off, 'src/home.ts').join(', '));
    assert.equal((await run(before, after)).tier, 'MEDIUM');
  });

  it('the turned-off finding names what the wrapped code does, the flag, and that deploying turns it off', async () => {
    const a = await run(
      { 'src/orders/finalize.ts': L('export async function finalize(order: Order) {', '  await stripe.paymentIntents.capture(order.intentId);', '}') },
      { 'src/orders/finalize.ts': L('export async function finalize(order: Order) {', "  if (isEnabled('capture')) {", '    await stripe.paymentIntents.capture(order.intentId);', '  }', '}') },
    );
    const f = a.files[0].findings.find((x) => x.rule === 'flag-wrap')!;
    assert.equal(f.flag, undefined);
    assert.match(f.message, /^puts existing payment processing code \(`await stripe\.paymentIntents\.capture\(order\.intentId\);`\) behind flag `capture`, which is OFF: deploying this turns that code off$/);
    assert.ok(!a.files[0].findings.some((x) => x.message.startsWith('removes')), 'the re-indented line is not also a removal');
    assert.match(a.files[0].findings.find((x) => x.rule === 'flag-off')!.message, /^adds feature flag `capture` around existing code and deploys it OFF/);
  });

  it('the else branch of an OFF flag is live code', async () => {
    const before = { 'src/ship.ts': L('export function ship(o: Order) {', '  return send(o);', '}') };
    const a = await run(before, {
      'src/ship.ts': L('export function ship(o: Order) {', "  if (isEnabled('drone')) {", '    return fly(o);', '  } else {', '    return send(o, { express: true });', '  }', '}'),
    });
    assert.equal(a.tier, 'MEDIUM');
    assert.deepEqual(a.flags.map((f) => [f.name, f.tier]), [['drone', 'MEDIUM']]);
    assert.ok(rules(a, 'src/ship.ts').includes('app-change MEDIUM 5'), rules(a, 'src/ship.ts').join(', '));
  });

  it('code added inside an existing flag check counts as deployed unless the policy says the flag is OFF', async () => {
    const before = { 'src/home.ts': L('export function home() {', "  if (flags.isEnabled('beta-home')) {", "    show('banner');", '  }', '}') };
    const after = { 'src/home.ts': L('export function home() {', "  if (flags.isEnabled('beta-home')) {", "    show('banner');", "    show('carousel');", '  }', '}') };
    assert.equal((await run(before, after)).tier, 'MEDIUM');
    const off = await run(before, after, { flags: { 'beta-home': 'off' } });
    assert.equal(off.tier, 'ZERO');
    assert.deepEqual(off.flags, [{ name: 'beta-home', tier: 'MEDIUM', files: ['src/home.ts'] }]);
  });

  it('a new exported function called elsewhere in the same file is integrated', async () => {
    const before = { 'src/cart.ts': L('export function total(items: Item[]) {', '  return items.length;', '}'), 'src/app.ts': L("import { total } from './cart';") };
    const a = await run(before, {
      'src/cart.ts': L('export function count(items: Item[]) {', '  return items.length;', '}', '', 'export function total(items: Item[]) {', '  return count(items);', '}'),
    });
    assert.equal(a.tier, 'MEDIUM');
    assert.ok(!rules(a, 'src/cart.ts').some((r) => r.startsWith('unused-export')));
  });

  it('a deleted test file is ZERO and a deleted payment module is HIGH', async () => {
    const before = { 'test/pay.test.ts': L("it('pays', () => {});"), 'src/billing/refunds.ts': L('export const refundWindowDays = 30;') };
    const a = await run(before, { 'test/pay.test.ts': null, 'src/billing/refunds.ts': null });
    assert.deepEqual(rules(a, 'test/pay.test.ts'), ['test ZERO 0']);
    assert.deepEqual(rules(a, 'src/billing/refunds.ts'), ['payment HIGH 1']);
    assert.match(a.files.find((f) => f.path === 'src/billing/refunds.ts')!.findings[0].message, /^removes/);
  });

  it('findings quote the line and carry a short label for the code lens', async () => {
    const before = { 'src/utils/audit.ts': L('export async function audit(e: Entry) {', '  log(e);', '}'), 'src/app.ts': L('audit(1)') };
    const a = await run(before, { 'src/utils/audit.ts': L('export async function audit(e: Entry) {', '  await db.query("INSERT INTO audit_log (entry) VALUES ($1)", [e]);', '}') });
    const f = a.files[0].findings[0];
    assert.equal(f.rule, 'data-write');
    assert.equal(f.short, 'data write');
    assert.match(f.message, /writes to the database \(`INSERT INTO`\)/);
    assert.match(f.quote ?? '', /^await db\.query\("INSERT INTO audit_log/);
  });

  it('summarises lines and files, and reports the base compared against', async () => {
    const a = await run({ 'a.md': L('x') }, { 'a.md': L('y', 'z'), 'b.md': L('new') });
    assert.deepEqual(a.summary, { filesChanged: 2, linesAdded: 3, linesDeleted: 1 });
    assert.equal(a.base, 'HEAD');
  });
});
