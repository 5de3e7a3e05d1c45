import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter } from './helpers';

async function findingsOf(path: string, before: string[], after: string[]): Promise<string[]> {
  const b = { [path]: L(...before) };
  const a = { [path]: L(...after) };
  const res: Assessment = await assess(changeSetOf(b, a), PolicySchema.parse({}), memorySearch(treeAfter(b, a)));
  return res.files.find((f) => f.path === path)!.findings.map((f) => `${f.rule} ${f.tier}`);
}

describe('risk: cosmetic rewrites', () => {
  it('a statement re-wrapped over several lines, same tokens, is cosmetic', async () => {
    assert.deepEqual(
      await findingsOf('src/cart/total.ts', ['export function total(a: number, b: number, c: number) {', '  const sum = (a + b) * c - discount(a, b);', '  return sum;', '}'], ['export function total(a: number, b: number, c: number) {', '  const sum =', '    (a + b) * c -', '    discount(a, b);', '  return sum;', '}']),
      ['cosmetic ZERO'],
    );
  });

  it('a re-wrap that changes one token is not cosmetic', async () => {
    assert.deepEqual(
      await findingsOf('src/cart/total.ts', ['export function total(a: number, b: number, c: number) {', '  const sum = (a + b) * c - discount(a, b);', '  return sum;', '}'], ['export function total(a: number, b: number, c: number) {', '  const sum =', '    (a + b) * c +', '    discount(a, b);', '  return sum;', '}']),
      ['app-change MEDIUM'],
    );
  });

  it('spaces inside a string literal are part of its token', async () => {
    assert.deepEqual(
      await findingsOf('src/cart/label.js', ['export const label = (n) => "total: " + n;'], ['export const label = (n) =>', '  "total:" + n;']),
      ['app-change MEDIUM'],
    );
  });

  it('a line break after return ends the statement in JavaScript: not cosmetic', async () => {
    assert.notDeepEqual(await findingsOf('src/cart/pick.js', ['export function pick(a) {', '  return a.items;', '}'], ['export function pick(a) {', '  return', '    a.items;', '}']), ['cosmetic ZERO']);
  });

  it('imports only reordered, with a statement re-wrapped, are cosmetic', async () => {
    assert.deepEqual(
      await findingsOf('src/cart/view.ts', ["import { a } from './a';", "import { b } from './b';", '', 'export const both = a() && b() && a();'], ["import { b } from './b';", "import { a } from './a';", '', 'export const both =', '  a() && b() && a();']),
      ['cosmetic ZERO'],
    );
  });

  it('a Python statement moved out of its block is not a re-wrap', async () => {
    assert.notDeepEqual(
      await findingsOf('app/cart.py', ['def close(cart):', '    if cart.empty:', '        cart.archive()', '    return cart'], ['def close(cart):', '    if cart.empty:', '        pass', '    cart.archive()', '    return cart']),
      ['cosmetic ZERO'],
    );
  });

  it('TypeScript interface and type alias lines are erased at run time: cosmetic', async () => {
    assert.deepEqual(
      await findingsOf('src/cart/types.ts', ['export interface Cart {', '  id: string;', '  coupon?: string;', '}', '', 'export type Line = {', '  sku: string;', '};'], ['export interface Cart {', '  id: string;', '  coupon: string;', '  paidAt?: Date;', '}', '', 'export type Line = Base & {', '  sku: string;', '  qty: number;', '};']),
      ['cosmetic ZERO'],
    );
  });

  it('code beside a changed interface is still judged', async () => {
    assert.deepEqual(
      await findingsOf('src/cart/types.ts', ['export interface Cart {', '  id: string;', '}', 'export const size = (c: Cart) => 1;'], ['export interface Cart {', '  id: string;', '  qty: number;', '}', 'export const size = (c: Cart) => c.qty;']),
      ['app-change MEDIUM'],
    );
  });

  it('an interface in a JavaScript file is not TypeScript', async () => {
    assert.notDeepEqual(await findingsOf('src/cart/types.js', ['export const a = 1;'], ['export const a = 1;', 'export const b = { interface: 2 };']), ['cosmetic ZERO']);
  });
});
