/**
 * A labelled corpus of realistic changes: the repository before (one commit), the working tree after,
 * and the tier, findings (rule, tier, line, and the flag for code behind one) and flag exposures a
 * reviewer expects. Each case runs twice: on a ChangeSet diffed in memory, and end to end through a
 * throwaway git repository and the change reader.
 */
import type { PolicyInput } from '../../../src/core/policy/schema';
import type { Tier } from '../../../src/core/tier';

export interface CorpusCase {
  name: string;
  before?: Record<string, string | Buffer>;
  /** The working tree after the change: new content, or `null` for a deleted file. */
  after?: Record<string, string | Buffer | null>;
  /** Renames staged with `git mv`, [from, to], applied before `after`. */
  renames?: [string, string][];
  policy?: PolicyInput;
  expect: {
    tier: Tier;
    /** path → findings as "rule TIER line" or "rule TIER line flag-name", in any order. */
    files: Record<string, string[]>;
    flags?: { name: string; tier: Tier; files: string[] }[];
    securityHotfix?: boolean;
  };
}

/** Lines joined with newlines, with a final newline: keeps line numbers easy to count in the cases. */
export const L = (...lines: string[]) => lines.join('\n') + '\n';

const EXPRESS_APP = L(
  "import express from 'express';", // 1
  "import { router } from './routes/users';", // 2
  '', // 3
  'export const app = express();', // 4
  'app.use(express.json());', // 5
  "app.use('/users', router);", // 6
);

const CHECKOUT_BEFORE = L(
  "import { render } from './view';", // 1
  "import { chargeCard } from './payments/stripe';", // 2
  '', // 3
  'export async function placeOrder(order: Order) {', // 4
  '  const receipt = await render(order);', // 5
  '  return receipt;', // 6
  '}', // 7
);

const CHECKOUT_FLAGGED = L(
  "import { render } from './view';", // 1
  "import { chargeCard } from './payments/stripe';", // 2
  "import { isEnabled } from './flags';", // 3
  '', // 4
  'export async function placeOrder(order: Order) {', // 5
  "  if (isEnabled('one-click-pay')) {", // 6
  '    await chargeCard(order.customer, order.total);', // 7
  '  }', // 8
  '  const receipt = await render(order);', // 9
  '  return receipt;', // 10
  '}', // 11
);

const SESSION_TS = L(
  "import jwt from 'jsonwebtoken';", // 1
  '', // 2
  '// Tokens live for one hour.', // 3
  'export const TOKEN_TTL_SECONDS = 3600;', // 4
  '', // 5
  'export function issue(userId: string, secret: string) {', // 6
  '  return jwt.sign({ sub: userId }, secret, { expiresIn: TOKEN_TTL_SECONDS });', // 7
  '}', // 8
);

export const CORPUS: CorpusCase[] = [
  // ── ZERO ────────────────────────────────────────────────────────────────────────────────
  {
    name: 'a test that mentions payments is still a test',
    before: { 'src/payments/charge.ts': L('export const charge = () => 1;'), 'src/payments/charge.test.ts': L("import { charge } from './charge';", "it('charges', () => {});") },
    after: {
      'src/payments/charge.test.ts': L("import { charge } from './charge';", "it('charges the card and refunds it', () => {", '  expect(charge()).toBe(1);', '});'),
    },
    expect: { tier: 'ZERO', files: { 'src/payments/charge.test.ts': ['test ZERO 0'] } },
  },
  {
    name: 'documentation only',
    before: { 'README.md': L('# Shop'), 'docs/payments.md': L('# Payments') },
    after: { 'README.md': L('# Shop', '', 'Run `npm start`.'), 'docs/payments.md': L('# Payments', 'Refunds take 5 days.') },
    expect: { tier: 'ZERO', files: { 'README.md': ['docs ZERO 0'], 'docs/payments.md': ['docs ZERO 0'] } },
  },
  {
    name: 'a comment-only change in an auth file is cosmetic',
    before: { 'src/auth/session.ts': SESSION_TS },
    after: { 'src/auth/session.ts': SESSION_TS.replace('// Tokens live for one hour.', '// Tokens live for one hour (RFC 7519 `exp`).') },
    expect: { tier: 'ZERO', files: { 'src/auth/session.ts': ['cosmetic ZERO 3'] } },
  },
  {
    name: 'a whitespace-only reformat of payment code is cosmetic',
    before: { 'src/payments/refund.ts': L('export function refund(id: string) {', '    return gateway.refund(id);', '}') },
    after: { 'src/payments/refund.ts': L('export function refund(id: string) {', '  return gateway.refund(id);', '}') },
    expect: { tier: 'ZERO', files: { 'src/payments/refund.ts': ['cosmetic ZERO 2'] } },
  },
  {
    name: 'a Python docstring change is cosmetic',
    before: { 'app/auth/tokens.py': L('def issue_token(user):', '    """Issue a token."""', '    return sign(user.id)') },
    after: { 'app/auth/tokens.py': L('def issue_token(user):', '    """Issue a signed access token for the user."""', '    return sign(user.id)') },
    expect: { tier: 'ZERO', files: { 'app/auth/tokens.py': ['cosmetic ZERO 2'] } },
  },
  {
    name: 'payment code behind a new flag deploys ZERO; turning the flag on is HIGH',
    before: { 'src/checkout.ts': CHECKOUT_BEFORE, 'src/flags.ts': L('export const isEnabled = (_: string) => false;') },
    after: { 'src/checkout.ts': CHECKOUT_FLAGGED },
    expect: {
      tier: 'ZERO',
      files: { 'src/checkout.ts': ['flag-off ZERO 6', 'payment HIGH 6 one-click-pay'] },
      flags: [{ name: 'one-click-pay', tier: 'HIGH', files: ['src/checkout.ts'] }],
    },
  },
  {
    name: 'a flag the policy says is ON counts as deployed',
    before: { 'src/checkout.ts': CHECKOUT_BEFORE, 'src/flags.ts': L('export const isEnabled = (_: string) => false;') },
    after: { 'src/checkout.ts': CHECKOUT_FLAGGED },
    policy: { flags: { 'one-click-pay': 'on' } },
    expect: { tier: 'HIGH', files: { 'src/checkout.ts': ['payment HIGH 6'] } },
  },
  {
    name: 'LaunchDarkly variation guards a new search path',
    before: { 'src/search.ts': L('export async function search(q: string, user: User) {', '  let results = await searchV1(q);', '  return results;', '}') },
    after: {
      'src/search.ts': L(
        'export async function search(q: string, user: User) {', // 1
        '  let results = await searchV1(q);', // 2
        "  if (await ldClient.variation('search-v2', user, false)) {", // 3
        '    results = await searchV2(q);', // 4
        '  }', // 5
        '  return results;', // 6
        '}', // 7
      ),
    },
    expect: {
      tier: 'ZERO',
      files: { 'src/search.ts': ['flag-off ZERO 3', 'app-change MEDIUM 3 search-v2'] },
      flags: [{ name: 'search-v2', tier: 'MEDIUM', files: ['src/search.ts'] }],
    },
  },
  {
    name: 'OpenFeature getBooleanValue guards an auth change, with a live change beside it',
    before: { 'src/login.ts': L('export async function login(req: Req) {', '  const user = await findUser(req.body.email);', '  return user;', '}') },
    after: {
      'src/login.ts': L(
        'export async function login(req: Req) {', // 1
        '  const user = await findUser(req.body.email.trim());', // 2
        "  if (await features.getBooleanValue('passkeys', false)) {", // 3
        '    await verifyPasskey(req.body.assertion, user);', // 4
        '  }', // 5
        '  return user;', // 6
        '}', // 7
      ),
    },
    expect: {
      tier: 'HIGH',
      files: { 'src/login.ts': ['auth HIGH 2', 'flag-off ZERO 3', 'auth HIGH 3 passkeys'] },
      flags: [{ name: 'passkeys', tier: 'HIGH', files: ['src/login.ts'] }],
    },
  },
  {
    name: 'a flag function of the policy is recognised',
    before: { 'src/home.ts': L('export function home() {', "  return render('home');", '}') },
    after: { 'src/home.ts': L('export function home() {', "  if (gate.check('new-home')) {", "    return render('home-v2');", '  }', "  return render('home');", '}') },
    policy: { flagFunctions: ['gate.check'] },
    expect: {
      tier: 'ZERO',
      files: { 'src/home.ts': ['flag-off ZERO 2', 'app-change MEDIUM 2 new-home'] },
      flags: [{ name: 'new-home', tier: 'MEDIUM', files: ['src/home.ts'] }],
    },
  },
  {
    name: 'tooling settings only',
    before: { '.eslintrc.json': L('{ "root": true }') },
    after: { '.eslintrc.json': L('{ "root": true, "rules": { "eqeqeq": "error" } }') },
    expect: { tier: 'ZERO', files: { '.eslintrc.json': ['tooling ZERO 0'] } },
  },
  {
    name: 'an image in the docs is ZERO, one the app serves is LOW',
    before: { 'README.md': L('# App') },
    after: { 'docs/img/architecture.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]), 'public/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9]) },
    expect: { tier: 'LOW', files: { 'docs/img/architecture.png': ['docs ZERO 0'], 'public/logo.png': ['binary LOW 0'] } },
  },

  // ── LOW ─────────────────────────────────────────────────────────────────────────────────
  {
    name: 'a new formatCurrency file that nothing imports is not integrated',
    before: { 'src/index.ts': L("export { app } from './app';") },
    after: { 'src/utils/formatCurrency.ts': L('export function formatCurrency(cents: number): string {', '  return `$${(cents / 100).toFixed(2)}`;', '}') },
    expect: { tier: 'LOW', files: { 'src/utils/formatCurrency.ts': ['unreferenced-file LOW 0'] } },
  },
  {
    name: 'a new module referenced only by its test is not integrated',
    before: { 'src/index.ts': L("export { app } from './app';") },
    after: {
      'src/pricing/discounts.ts': L('export function loyaltyDiscount(years: number) {', '  return Math.min(years * 0.01, 0.1);', '}'),
      'test/discounts.test.ts': L("import { loyaltyDiscount } from '../src/pricing/discounts';", "it('caps', () => expect(loyaltyDiscount(50)).toBe(0.1));"),
    },
    expect: { tier: 'LOW', files: { 'src/pricing/discounts.ts': ['unreferenced-file LOW 0'], 'test/discounts.test.ts': ['test ZERO 0'] } },
  },
  {
    name: 'two new files that only import each other are both not integrated',
    before: { 'src/index.ts': L("export { app } from './app';") },
    after: {
      'src/billing/taxRate.ts': L('export const taxRate = (country: string) => (country === "DE" ? 0.19 : 0.2);'),
      'src/billing/invoiceTotals.ts': L("import { taxRate } from './taxRate';", 'export function gross(net: number, country: string) {', '  return net * (1 + taxRate(country));', '}'),
    },
    expect: { tier: 'LOW', files: { 'src/billing/taxRate.ts': ['unreferenced-file LOW 0'], 'src/billing/invoiceTotals.ts': ['unreferenced-file LOW 0'] } },
  },
  {
    name: 'a new exported function nobody calls, added to an existing file',
    before: { 'src/utils/money.ts': L('export function cents(amount: number) {', '  return Math.round(amount * 100);', '}'), 'src/app.ts': L("import { cents } from './utils/money';", 'cents(1);') },
    after: {
      'src/utils/money.ts': L(
        'export function cents(amount: number) {', // 1
        '  return Math.round(amount * 100);', // 2
        '}', // 3
        '', // 4
        'export function formatCurrency(value: number, currency = "EUR") {', // 5
        '  return new Intl.NumberFormat("de-DE", { style: "currency", currency }).format(value);', // 6
        '}', // 7
      ),
    },
    expect: { tier: 'LOW', files: { 'src/utils/money.ts': ['unused-export LOW 5'] } },
  },
  {
    name: 'a renamed file without content changes',
    before: { 'src/lib/strings.ts': L('export const upper = (s: string) => s.toUpperCase();'), 'src/app.ts': L("import { upper } from './lib/text';") },
    renames: [['src/lib/strings.ts', 'src/lib/text.ts']],
    expect: { tier: 'LOW', files: { 'src/lib/text.ts': ['rename LOW 0'] } },
  },
  {
    name: 'a CI workflow change',
    before: { '.github/workflows/ci.yml': L('on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest') },
    after: { '.github/workflows/ci.yml': L('on: push', 'jobs:', '  test:', '    runs-on: ubuntu-24.04') },
    expect: { tier: 'ZERO', files: { '.github/workflows/ci.yml': ['ci ZERO 4'] } },
  },
  {
    name: 'a new Python module nothing imports',
    before: { 'app/__init__.py': L('') },
    after: { 'app/reports/export_csv.py': L('import csv', '', 'def export_orders(orders, path):', '    with open(path, "w") as f:', '        csv.writer(f).writerows(orders)') },
    expect: { tier: 'LOW', files: { 'app/reports/export_csv.py': ['unreferenced-file LOW 0'] } },
  },
  {
    name: 'a new Go file whose functions nothing calls',
    before: { 'go.mod': L('module example.com/shop', '', 'go 1.22'), 'internal/report/report.go': L('package report', '', 'func Title() string { return "Orders" }') },
    after: { 'internal/report/csv.go': L('package report', '', 'import "encoding/csv"', '', 'func WriteCSV(w *csv.Writer, rows [][]string) error {', '\treturn w.WriteAll(rows)', '}') },
    expect: { tier: 'LOW', files: { 'internal/report/csv.go': ['unreferenced-file LOW 0'] } },
  },

  // ── MEDIUM ──────────────────────────────────────────────────────────────────────────────
  {
    name: 'a new module that is imported is judged by what it does',
    before: { 'src/app.ts': L("import { render } from './view';", 'export const page = (t: string) => render(t);') },
    after: {
      'src/lib/slug.ts': L('export function slugify(title: string): string {', "  return title.toLowerCase().replace(/\\s+/g, '-');", '}'),
      'src/app.ts': L("import { render } from './view';", "import { slugify } from './lib/slug';", 'export const page = (t: string) => render(slugify(t));'),
    },
    expect: { tier: 'MEDIUM', files: { 'src/lib/slug.ts': ['app-change MEDIUM 1'], 'src/app.ts': ['app-change MEDIUM 3'] } },
  },
  {
    name: 'Express middleware',
    before: { 'src/app.ts': EXPRESS_APP },
    after: { 'src/app.ts': EXPRESS_APP.replace("app.use('/users', router);", "app.use(rateLimit({ windowMs: 60_000, max: 100 }));\napp.use('/users', router);") },
    expect: { tier: 'MEDIUM', files: { 'src/app.ts': ['middleware MEDIUM 6'] } },
  },
  {
    name: 'a new Express route',
    before: { 'src/routes/users.ts': L("import { Router } from 'express';", 'export const router = Router();', "router.get('/:id', show);") },
    after: { 'src/routes/users.ts': L("import { Router } from 'express';", 'export const router = Router();', "router.get('/:id', show);", "router.get('/:id/avatar', avatar);") },
    expect: { tier: 'MEDIUM', files: { 'src/routes/users.ts': ['api MEDIUM 4'] } },
  },
  {
    name: 'an OpenAPI schema change',
    before: { 'api/openapi.yaml': L('openapi: 3.0.0', 'paths:', '  /users: {}') },
    after: { 'api/openapi.yaml': L('openapi: 3.0.0', 'paths:', '  /users: {}', '  /users/{id}/avatar: {}') },
    expect: { tier: 'MEDIUM', files: { 'api/openapi.yaml': ['api MEDIUM 4'] } },
  },
  {
    name: 'a GraphQL schema change',
    before: { 'schema/shop.graphql': L('type Query {', '  product(id: ID!): Product', '}') },
    after: { 'schema/shop.graphql': L('type Query {', '  product(id: ID!): Product', '  products(first: Int): [Product!]!', '}') },
    expect: { tier: 'MEDIUM', files: { 'schema/shop.graphql': ['api MEDIUM 3'] } },
  },
  {
    name: 'a Dockerfile change is infrastructure',
    before: { Dockerfile: L('FROM node:20-alpine', 'COPY . .', 'CMD ["node", "dist/server.js"]') },
    after: { Dockerfile: L('FROM node:22-alpine', 'COPY . .', 'CMD ["node", "dist/server.js"]') },
    expect: { tier: 'MEDIUM', files: { Dockerfile: ['infrastructure MEDIUM 1'] } },
  },
  {
    name: 'a Kubernetes manifest change is infrastructure',
    before: { 'ops/web.yaml': L('apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  replicas: 2') },
    after: { 'ops/web.yaml': L('apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  replicas: 4') },
    expect: { tier: 'MEDIUM', files: { 'ops/web.yaml': ['infrastructure MEDIUM 4'] } },
  },
  {
    name: 'a dependency bump',
    before: { 'package.json': L('{', '  "dependencies": { "express": "4.19.2" }', '}') },
    after: { 'package.json': L('{', '  "dependencies": { "express": "5.1.0" }', '}') },
    expect: { tier: 'MEDIUM', files: { 'package.json': ['dependencies MEDIUM 2'] } },
  },
  {
    name: 'a plain application change goes to a canary',
    before: { 'src/cart.ts': L('export function itemCount(items: Item[]) {', '  return items.length;', '}'), 'src/app.ts': L("import { itemCount } from './cart';") },
    after: { 'src/cart.ts': L('export function itemCount(items: Item[]) {', '  return items.reduce((n, i) => n + i.quantity, 0);', '}') },
    expect: { tier: 'MEDIUM', files: { 'src/cart.ts': ['app-change MEDIUM 2'] } },
  },
  {
    name: 'a Go HTTP handler registration',
    before: { 'internal/server/server.go': L('package server', '', 'import "net/http"', '', 'func Routes(mux *http.ServeMux) {', '\tmux.HandleFunc("/orders", orders)', '}') },
    after: { 'internal/server/server.go': L('package server', '', 'import "net/http"', '', 'func Routes(mux *http.ServeMux) {', '\tmux.HandleFunc("/orders", orders)', '\tmux.HandleFunc("/healthz", health)', '}') },
    expect: { tier: 'MEDIUM', files: { 'internal/server/server.go': ['api MEDIUM 7'] } },
  },
  {
    name: 'a Spring controller endpoint',
    before: {
      'src/main/java/com/shop/web/OrderController.java': L('package com.shop.web;', '', '@RestController', 'public class OrderController {', '}'),
    },
    after: {
      'src/main/java/com/shop/web/OrderController.java': L(
        'package com.shop.web;', // 1
        '', // 2
        '@RestController', // 3
        'public class OrderController {', // 4
        '    @GetMapping("/orders/{id}")', // 5
        '    public Order show(@PathVariable long id) {', // 6
        '        return orders.find(id);', // 7
        '    }', // 8
        '}', // 9
      ),
    },
    expect: { tier: 'MEDIUM', files: { 'src/main/java/com/shop/web/OrderController.java': ['api MEDIUM 5'] } },
  },
  {
    name: 'a Rails route',
    before: { 'config/routes.rb': L('Rails.application.routes.draw do', '  resources :products', 'end') },
    after: { 'config/routes.rb': L('Rails.application.routes.draw do', '  resources :products', '  resources :reviews, only: [:index, :create]', 'end') },
    expect: { tier: 'MEDIUM', files: { 'config/routes.rb': ['api MEDIUM 3'] } },
  },
  {
    name: 'a flag guarding a Python pricing change, with a live logging change after the block',
    before: { 'app/pricing.py': L('def quote(order):', '    total = order.subtotal', '    log.info("quoted")', '    return total') },
    after: {
      'app/pricing.py': L(
        'def quote(order):', // 1
        '    total = order.subtotal', // 2
        '    if flags.is_enabled("bulk_pricing"):', // 3
        '        total = apply_bulk_discount(order, total)', // 4
        '', // 5
        '        total = round(total, 2)', // 6
        '    log.info("quoted %s", order.id)', // 7
        '    return total', // 8
      ),
    },
    expect: {
      tier: 'MEDIUM',
      files: { 'app/pricing.py': ['flag-off ZERO 3', 'app-change MEDIUM 3 bulk_pricing', 'app-change MEDIUM 7'] },
      flags: [{ name: 'bulk_pricing', tier: 'MEDIUM', files: ['app/pricing.py'] }],
    },
  },
  {
    name: 'the policy forces a tier by glob',
    before: { 'src/legacy/report.ts': L('export const title = "Report";') },
    after: { 'src/legacy/report.ts': L('export const title = "Monthly report";') },
    policy: { tiers: [{ glob: 'src/legacy/**', tier: 'HIGH', reason: 'no tests cover the legacy reports' }] },
    expect: { tier: 'HIGH', files: { 'src/legacy/report.ts': ['policy HIGH 0'] } },
  },
  {
    name: 'ignored files are left out',
    before: { 'generated/client.ts': L('export const v = 1;'), 'README.md': L('# App') },
    after: { 'generated/client.ts': L('export const v = 2;'), 'README.md': L('# App', 'More.') },
    policy: { ignore: ['generated/**'] },
    expect: { tier: 'ZERO', files: { 'README.md': ['docs ZERO 0'] } },
  },
  {
    name: 'a backward-compatible SQL migration',
    before: { 'db/migrations/001_users.sql': L('CREATE TABLE users (id bigint primary key, email text);') },
    after: { 'db/migrations/002_nickname.sql': L('ALTER TABLE users ADD COLUMN nickname text;') },
    expect: { tier: 'MEDIUM', files: { 'db/migrations/002_nickname.sql': ['migration MEDIUM 1'] } },
  },

  // ── Early-return flag guards: what follows the guard in its block runs only once the flag is on ──
  {
    name: 'a TypeScript early return on a new flag puts the refund after it behind the flag',
    before: { 'src/orders/close.ts': L('export async function closeOrder(order: Order) {', "  order.status = 'closed';", '  await orders.persist(order);', '}') },
    after: {
      'src/orders/close.ts': L(
        'export async function closeOrder(order: Order) {', // 1
        "  order.status = 'closed';", // 2
        '  await orders.persist(order);', // 3
        "  if (!flags.isEnabled('close-refunds')) return;", // 4
        '  await stripe.refunds.create({ payment_intent: order.paymentIntentId });', // 5
        "  await mailer.send(order.email, 'refunded');", // 6
        '}', // 7
      ),
    },
    expect: {
      tier: 'ZERO',
      files: { 'src/orders/close.ts': ['flag-off ZERO 4', 'payment HIGH 5 close-refunds'] },
      flags: [{ name: 'close-refunds', tier: 'HIGH', files: ['src/orders/close.ts'] }],
    },
  },
  {
    name: 'a Python `if not is_enabled(...): return` guards the rest of its function only',
    before: { 'app/notify.py': L('def on_signup(user):', '    welcome = render_welcome(user)', '    mailer.send(user.email, welcome)', '', '', 'def footer():', '    return "v1"') },
    after: {
      'app/notify.py': L(
        'def on_signup(user):', // 1
        '    welcome = render_welcome(user)', // 2
        '    mailer.send(user.email, welcome)', // 3
        '    if not flags.is_enabled("signup_survey"):', // 4
        '        return', // 5
        '    survey = build_survey(user)', // 6
        '    mailer.send(user.email, survey)', // 7
        '', // 8
        '', // 9
        'def footer():', // 10
        '    return "v2"', // 11
      ),
    },
    expect: {
      tier: 'MEDIUM',
      files: { 'app/notify.py': ['flag-off ZERO 4', 'app-change MEDIUM 4 signup_survey', 'app-change MEDIUM 11'] },
      flags: [{ name: 'signup_survey', tier: 'MEDIUM', files: ['app/notify.py'] }],
    },
  },
  {
    name: 'a Ruby `return unless enabled?(:x)` puts the loyalty write after it behind the flag',
    before: { 'app/services/order_completion.rb': L('class OrderCompletion', '  def call(order)', '    order.complete', '  end', 'end') },
    after: {
      'app/services/order_completion.rb': L(
        'class OrderCompletion', // 1
        '  def call(order)', // 2
        '    order.complete', // 3
        '    return unless enabled?(:loyalty_points)', // 4
        '    LoyaltyAccount.find_by(user: order.user).increment!(:points, order.total_cents / 100)', // 5
        '  end', // 6
        'end', // 7
      ),
    },
    expect: {
      tier: 'ZERO',
      files: { 'app/services/order_completion.rb': ['flag-off ZERO 4', 'data-write HIGH 5 loyalty_points'] },
      flags: [{ name: 'loyalty_points', tier: 'HIGH', files: ['app/services/order_completion.rb'] }],
    },
  },
  {
    name: 'a Go `if !client.BoolVariation(...) { return }` puts the SMS after it behind the flag',
    before: { 'internal/checkout/confirm.go': L('package checkout', '', 'func Confirm(ctx context.Context, o *Order) {', '\to.Status = "confirmed"', '}') },
    after: {
      'internal/checkout/confirm.go': L(
        'package checkout', // 1
        '', // 2
        'func Confirm(ctx context.Context, o *Order) {', // 3
        '\to.Status = "confirmed"', // 4
        '\tif !client.BoolVariation("confirm-sms", user(ctx), false) { return }', // 5
        '\tsms.Send(o.Phone, "Order confirmed")', // 6
        '}', // 7
      ),
    },
    expect: {
      tier: 'ZERO',
      files: { 'internal/checkout/confirm.go': ['app-change MEDIUM 5 confirm-sms', 'flag-off ZERO 5'] },
      flags: [{ name: 'confirm-sms', tier: 'MEDIUM', files: ['internal/checkout/confirm.go'] }],
    },
  },

  {
    name: 'a `continue` on a new flag guards the rest of the loop body, not the code after the loop',
    before: {
      'src/jobs/reminders.ts': L('export async function remind(users: User[]) {', '  for (const u of users) {', "    await mailer.send(u.email, 'reminder');", '  }', '  await metrics.flush();', '}'),
    },
    after: {
      'src/jobs/reminders.ts': L(
        'export async function remind(users: User[]) {', // 1
        '  for (const u of users) {', // 2
        "    await mailer.send(u.email, 'reminder');", // 3
        "    if (!flags.isEnabled('sms-reminders')) continue;", // 4
        "    await sms.send(u.phone, 'reminder');", // 5
        '  }', // 6
        '  await metrics.flush(true);', // 7
        '}', // 8
      ),
    },
    expect: {
      tier: 'MEDIUM',
      files: { 'src/jobs/reminders.ts': ['flag-off ZERO 4', 'app-change MEDIUM 4 sms-reminders', 'app-change MEDIUM 7'] },
      flags: [{ name: 'sms-reminders', tier: 'MEDIUM', files: ['src/jobs/reminders.ts'] }],
    },
  },

  // ── Wrapping existing code in a new flag: deploying it OFF turns that code off ──
  {
    name: 'wrapping an existing payment capture in a new flag turns it off at deploy: HIGH',
    before: { 'src/orders/finalize.ts': L('export async function finalize(order: Order) {', '  await stripe.paymentIntents.capture(order.intentId);', '  await orders.markPaid(order.id);', '}') },
    after: {
      'src/orders/finalize.ts': L(
        'export async function finalize(order: Order) {', // 1
        "  if (isEnabled('capture-on-finalize')) {", // 2
        '    await stripe.paymentIntents.capture(order.intentId);', // 3
        '  }', // 4
        '  await orders.markPaid(order.id);', // 5
        '}', // 6
      ),
    },
    expect: {
      tier: 'HIGH',
      files: { 'src/orders/finalize.ts': ['flag-wrap HIGH 2', 'flag-off ZERO 2', 'app-change MEDIUM 2 capture-on-finalize'] },
      flags: [{ name: 'capture-on-finalize', tier: 'MEDIUM', files: ['src/orders/finalize.ts'] }],
    },
  },
  {
    name: 'wrapping an existing Python call in a new flag, re-indented, is one MEDIUM deploy finding',
    before: { 'app/reports.py': L('def nightly(report):', '    report.build()', '    report.email_to_admins()') },
    after: { 'app/reports.py': L('def nightly(report):', '    report.build()', '    if flags.is_enabled("admin_emails"):', '        report.email_to_admins()') },
    expect: {
      tier: 'MEDIUM',
      files: { 'app/reports.py': ['flag-wrap MEDIUM 3', 'flag-off ZERO 3', 'app-change MEDIUM 3 admin_emails'] },
      flags: [{ name: 'admin_emails', tier: 'MEDIUM', files: ['app/reports.py'] }],
    },
  },
  {
    name: 'wrapping an existing database write in a new flag without re-indenting it',
    before: { 'src/jobs/cleanup.ts': L('export function cleanup(db: Db) {', '  db.carts.deleteMany({ abandoned: true });', '}') },
    after: { 'src/jobs/cleanup.ts': L('export function cleanup(db: Db) {', "  if (isEnabled('cart-cleanup')) {", '  db.carts.deleteMany({ abandoned: true });', '  }', '}') },
    expect: {
      tier: 'HIGH',
      files: { 'src/jobs/cleanup.ts': ['flag-wrap HIGH 2', 'flag-off ZERO 2', 'app-change MEDIUM 2 cart-cleanup'] },
      flags: [{ name: 'cart-cleanup', tier: 'MEDIUM', files: ['src/jobs/cleanup.ts'] }],
    },
  },
  {
    name: 'a new early-return guard before existing code turns that code off at deploy',
    before: { 'src/notifications/digest.ts': L('export async function sendDigest(user: User) {', '  const items = await feed.top(user.id);', '  await mailer.send(user.email, render(items));', '}') },
    after: {
      'src/notifications/digest.ts': L(
        'export async function sendDigest(user: User) {', // 1
        "  if (!flags.isEnabled('weekly-digest')) return;", // 2
        '  const items = await feed.top(user.id);', // 3
        '  await mailer.send(user.email, render(items));', // 4
        '}', // 5
      ),
    },
    expect: {
      tier: 'MEDIUM',
      files: { 'src/notifications/digest.ts': ['flag-wrap MEDIUM 2', 'flag-off ZERO 2', 'app-change MEDIUM 2 weekly-digest'] },
      flags: [{ name: 'weekly-digest', tier: 'MEDIUM', files: ['src/notifications/digest.ts'] }],
    },
  },

  {
    name: 'the old path moved, re-indented, into the else branch of a new flag is unchanged: ZERO',
    before: { 'src/pricing/quote.ts': L('export function quote(cart: Cart) {', '  return legacyQuote(cart);', '}') },
    after: {
      'src/pricing/quote.ts': L(
        'export function quote(cart: Cart) {', // 1
        "  if (isEnabled('quote-v2')) {", // 2
        '    return quoteV2(cart);', // 3
        '  } else {', // 4
        '    return legacyQuote(cart);', // 5
        '  }', // 6
        '}', // 7
      ),
    },
    expect: {
      tier: 'ZERO',
      files: { 'src/pricing/quote.ts': ['flag-off ZERO 2', 'app-change MEDIUM 2 quote-v2'] },
      flags: [{ name: 'quote-v2', tier: 'MEDIUM', files: ['src/pricing/quote.ts'] }],
    },
  },
  {
    name: 'a Python else branch keeping the old payment call, with a change to it, is a live payment change',
    before: { 'app/billing.py': L('def bill(account):', '    return gateway.charge(account.id, account.plan.price)') },
    after: {
      'app/billing.py': L(
        'def bill(account):', // 1
        '    if flags.is_enabled("usage_billing"):', // 2
        '        return gateway.charge(account.id, usage_total(account))', // 3
        '    else:', // 4
        '        return gateway.charge(account.id, account.plan.price, retries=3)', // 5
      ),
    },
    expect: {
      tier: 'HIGH',
      files: { 'app/billing.py': ['flag-off ZERO 2', 'payment HIGH 2 usage_billing', 'payment HIGH 5'] },
      flags: [{ name: 'usage_billing', tier: 'HIGH', files: ['app/billing.py'] }],
    },
  },

  // ── Words with an everyday meaning: not auth or payments without the context that proves it ──
  {
    name: 'trap: "token" in a lexer is not session handling',
    before: { 'src/lang/lexer.ts': L('export function nextToken(src: string, pos: number): Token {', '  const ch = src[pos];', "  return { kind: 'char', value: ch, tokenStart: pos };", '}') },
    after: {
      'src/lang/lexer.ts': L('export function nextToken(src: string, pos: number): Token {', '  const ch = src[pos];', '  if (/\\s/.test(ch)) return skipWhitespaceToken(src, pos + 1);', "  return { kind: 'char', value: ch, tokenStart: pos };", '}'),
    },
    expect: { tier: 'MEDIUM', files: { 'src/lang/lexer.ts': ['app-change MEDIUM 3'] } },
  },
  {
    name: 'trap: a "jam session" label and a jamSession variable are not login sessions',
    before: { 'src/music/events.ts': L('export function eventTitle(e: Event) {', '  return e.name;', '}') },
    after: { 'src/music/events.ts': L('export function eventTitle(e: Event) {', "  const jamSession = e.kind === 'jam';", '  return jamSession ? `${e.name}: open jam session` : e.name;', '}') },
    expect: { tier: 'MEDIUM', files: { 'src/music/events.ts': ['app-change MEDIUM 2'] } },
  },
  {
    name: 'trap: a battery charge level is not a payment',
    before: { 'src/device/battery.ts': L('export function batteryLabel(level: number) {', '  return `${level}%`;', '}') },
    after: {
      'src/device/battery.ts': L('export function batteryLabel(level: number) {', '  const chargeLevel = Math.round(level * 100);', '  return chargeLevel < 15 ? `Low battery charge: ${chargeLevel}%` : `${chargeLevel}%`;', '}'),
    },
    expect: { tier: 'MEDIUM', files: { 'src/device/battery.ts': ['app-change MEDIUM 2'] } },
  },
  {
    name: 'req.session is a login session, a refresh token is auth, a gateway charge is a payment',
    before: { 'src/account.ts': L('export async function remember(req: Req, user: User) {', '  req.user = user;', '}', '', 'export async function settle(order: Order) {', '  return order.id;', '}') },
    after: {
      'src/account.ts': L(
        'export async function remember(req: Req, user: User) {', // 1
        '  req.user = user;', // 2
        '  req.session.userId = user.id;', // 3
        "  const refreshToken = req.cookies.get('rt');", // 4
        '  return refreshToken;', // 5
        '}', // 6
        '', // 7
        'export async function settle(order: Order) {', // 8
        '  await gateway.charge(order.customerId, order.totalCents);', // 9
        '  return order.id;', // 10
        '}', // 11
      ),
    },
    expect: { tier: 'HIGH', files: { 'src/account.ts': ['auth HIGH 3', 'payment HIGH 9'] } },
  },

  // ── HIGH ────────────────────────────────────────────────────────────────────────────────
  {
    name: 'a breaking SQL migration',
    before: { 'db/migrations/001_users.sql': L('CREATE TABLE users (id bigint primary key, email text);') },
    after: { 'db/migrations/002_drop_email.sql': L('ALTER TABLE users DROP COLUMN email;') },
    expect: { tier: 'HIGH', files: { 'db/migrations/002_drop_email.sql': ['migration-breaking HIGH 1'] } },
  },
  {
    name: 'a Rails migration that removes a column',
    before: { 'db/schema.rb': L('ActiveRecord::Schema.define(version: 1) do', 'end') },
    after: {
      'db/migrate/20240501120000_remove_legacy_id_from_orders.rb': L(
        'class RemoveLegacyIdFromOrders < ActiveRecord::Migration[7.1]', // 1
        '  def change', // 2
        '    remove_column :orders, :legacy_id, :integer', // 3
        '  end', // 4
        'end', // 5
      ),
    },
    expect: { tier: 'HIGH', files: { 'db/migrate/20240501120000_remove_legacy_id_from_orders.rb': ['migration-breaking HIGH 3'] } },
  },
  {
    name: 'a session lifetime change in an auth module',
    before: { 'src/auth/session.ts': SESSION_TS },
    after: { 'src/auth/session.ts': SESSION_TS.replace('TOKEN_TTL_SECONDS = 3600', 'TOKEN_TTL_SECONDS = 86400') },
    expect: { tier: 'HIGH', files: { 'src/auth/session.ts': ['auth HIGH 4'] } },
  },
  {
    name: 'deleting an auth middleware',
    before: {
      'src/middleware/requireLogin.ts': L(
        'export function requireLogin(req: Req, res: Res, next: Next) {', // 1
        '  if (!req.user) return res.status(401).end();', // 2
        '  next();', // 3
        '}', // 4
      ),
      'src/app.ts': L("import { requireLogin } from './middleware/requireLogin';", 'export const app = express();', 'app.use(requireLogin);'),
    },
    after: { 'src/middleware/requireLogin.ts': null, 'src/app.ts': L('export const app = express();') },
    expect: { tier: 'HIGH', files: { 'src/middleware/requireLogin.ts': ['auth HIGH 1'], 'src/app.ts': ['auth HIGH 3', 'middleware MEDIUM 3'] } },
  },
  {
    name: 'a database write in a utils file',
    before: { 'src/utils/audit.ts': L('export async function audit(entry: Entry) {', '  console.log(entry);', '}'), 'src/app.ts': L("import { audit } from './utils/audit';") },
    after: { 'src/utils/audit.ts': L('export async function audit(entry: Entry) {', '  await prisma.auditLog.create({ data: entry });', '}') },
    expect: { tier: 'HIGH', files: { 'src/utils/audit.ts': ['data-write HIGH 2'] } },
  },
  {
    name: 'a change inside a payment function, found by the function name',
    before: { 'src/orders.ts': L('export function chargeCustomer(order: Order) {', '  const amount = order.total;', '  return gateway.send(amount);', '}') },
    after: { 'src/orders.ts': L('export function chargeCustomer(order: Order) {', '  const amount = Math.round(order.total * 1.19);', '  return gateway.send(amount);', '}') },
    expect: { tier: 'HIGH', files: { 'src/orders.ts': ['payment HIGH 2'] } },
  },
  {
    name: 'a policy keyword adds a payment word',
    before: { 'src/accounts/balance.ts': L('export function post(entry: Entry) {', '  return entry;', '}') },
    after: { 'src/accounts/balance.ts': L('export function post(entry: Entry) {', '  return ledger.append(entry);', '}') },
    policy: { keywords: { payment: ['ledger'] } },
    expect: { tier: 'HIGH', files: { 'src/accounts/balance.ts': ['payment HIGH 2'] } },
  },
  {
    name: 'Django ORM create',
    before: { 'shop/services.py': L('def place_order(cart):', '    return cart.total()') },
    after: { 'shop/services.py': L('def place_order(cart):', '    order = Order.objects.create(total=cart.total())', '    return order') },
    expect: { tier: 'HIGH', files: { 'shop/services.py': ['data-write HIGH 2'] } },
  },
  {
    name: 'SQLAlchemy session.add is a data write, not a login session',
    before: { 'app/repo.py': L('def save_user(db, user):', '    pass') },
    after: { 'app/repo.py': L('def save_user(db, user):', '    db.session.add(user)', '    db.session.commit()') },
    expect: { tier: 'HIGH', files: { 'app/repo.py': ['data-write HIGH 2'] } },
  },
  {
    name: 'a Python test of payments is a test',
    before: { 'tests/test_payments.py': L('def test_charge():', '    assert True') },
    after: { 'tests/test_payments.py': L('def test_charge():', '    assert charge(100).status == "paid"') },
    expect: { tier: 'ZERO', files: { 'tests/test_payments.py': ['test ZERO 0'] } },
  },
  {
    name: 'Go db.Exec with an UPDATE',
    before: { 'internal/store/users.go': L('package store', '', 'func Rename(db *sql.DB, id int64, name string) error {', '\treturn nil', '}') },
    after: {
      'internal/store/users.go': L('package store', '', 'func Rename(db *sql.DB, id int64, name string) error {', '\t_, err := db.Exec("UPDATE users SET name = $1 WHERE id = $2", name, id)', '\treturn err', '}'),
    },
    expect: { tier: 'HIGH', files: { 'internal/store/users.go': ['data-write HIGH 4'] } },
  },
  {
    name: 'a Go refund behind a LaunchDarkly flag, and the Go test',
    before: {
      'internal/billing/refunds.go': L('package billing', '', 'func Handle(ctx Ctx, r Request) error {', '\treturn queue(r)', '}'),
      'internal/billing/refunds_test.go': L('package billing'),
    },
    after: {
      'internal/billing/refunds.go': L(
        'package billing', // 1
        '', // 2
        'func Handle(ctx Ctx, r Request) error {', // 3
        '\tif ld.BoolVariation("instant-refunds", ctx, false) {', // 4
        '\t\treturn issueRefund(r.OrderID, r.Amount)', // 5
        '\t}', // 6
        '\treturn queue(r)', // 7
        '}', // 8
      ),
      'internal/billing/refunds_test.go': L('package billing', '', 'func TestRefund(t *testing.T) {}'),
    },
    expect: {
      tier: 'ZERO',
      files: { 'internal/billing/refunds.go': ['flag-off ZERO 4', 'payment HIGH 4 instant-refunds'], 'internal/billing/refunds_test.go': ['test ZERO 0'] },
      flags: [{ name: 'instant-refunds', tier: 'HIGH', files: ['internal/billing/refunds.go'] }],
    },
  },
  {
    name: 'Spring Data save in a Java service',
    before: { 'src/main/java/com/shop/OrderService.java': L('public class OrderService {', '    public void confirm(Order order) {', '        order.confirm();', '    }', '}') },
    after: {
      'src/main/java/com/shop/OrderService.java': L('public class OrderService {', '    public void confirm(Order order) {', '        order.confirm();', '        orderRepository.save(order);', '    }', '}'),
    },
    expect: { tier: 'HIGH', files: { 'src/main/java/com/shop/OrderService.java': ['data-write HIGH 4'] } },
  },
  {
    name: 'a Kotlin password policy change',
    before: { 'src/main/kotlin/com/app/security/PasswordPolicy.kt': L('object PasswordPolicy {', '    val minLength = 8', '}') },
    after: { 'src/main/kotlin/com/app/security/PasswordPolicy.kt': L('object PasswordPolicy {', '    val minLength = 12', '}') },
    expect: { tier: 'HIGH', files: { 'src/main/kotlin/com/app/security/PasswordPolicy.kt': ['auth HIGH 2'] } },
  },
  {
    name: 'a Java test is a test',
    before: { 'src/test/java/com/shop/OrderServiceTest.java': L('class OrderServiceTest {}') },
    after: { 'src/test/java/com/shop/OrderServiceTest.java': L('class OrderServiceTest {', '    @Test void savesPayment() {}', '}') },
    expect: { tier: 'ZERO', files: { 'src/test/java/com/shop/OrderServiceTest.java': ['test ZERO 0'] } },
  },
  {
    name: 'ActiveRecord update! in a Ruby model',
    before: { 'app/models/account.rb': L('class Account < ApplicationRecord', '  def upgrade', '    true', '  end', 'end') },
    after: { 'app/models/account.rb': L('class Account < ApplicationRecord', '  def upgrade', "    update!(plan: 'pro')", '  end', 'end') },
    expect: { tier: 'HIGH', files: { 'app/models/account.rb': ['data-write HIGH 3'] } },
  },
  {
    name: 'a Ruby Stripe charge behind a Flipper flag',
    before: { 'app/services/checkout.rb': L('class Checkout', '  def call(order)', '    order.complete', '  end', 'end') },
    after: {
      'app/services/checkout.rb': L(
        'class Checkout', // 1
        '  def call(order)', // 2
        '    if Flipper.enabled?(:stripe_checkout)', // 3
        '      Stripe::Charge.create(amount: order.total_cents, currency: "eur")', // 4
        '    end', // 5
        '    order.complete', // 6
        '  end', // 7
        'end', // 8
      ),
    },
    expect: {
      tier: 'ZERO',
      // `Stripe::Charge.create` calls the payment provider: a payment, not a write to this service's database.
      files: { 'app/services/checkout.rb': ['flag-off ZERO 3', 'payment HIGH 3 stripe_checkout'] },
      flags: [{ name: 'stripe_checkout', tier: 'HIGH', files: ['app/services/checkout.rb'] }],
    },
  },
  {
    name: 'an RSpec spec about payments is a test',
    before: { 'spec/models/payment_spec.rb': L('RSpec.describe Payment do', 'end') },
    after: { 'spec/models/payment_spec.rb': L('RSpec.describe Payment do', "  it('charges') { expect(Payment.new.charge).to be_truthy }", 'end') },
    expect: { tier: 'ZERO', files: { 'spec/models/payment_spec.rb': ['test ZERO 0'] } },
  },
  {
    name: 'a secret in a settings file',
    before: { 'config/settings.yaml': L('app:', '  name: shop') },
    after: { 'config/settings.yaml': L('app:', '  name: shop', '  jwt_secret_ref: vault://shop/jwt') },
    expect: { tier: 'HIGH', files: { 'config/settings.yaml': ['auth HIGH 3'] } },
  },
  {
    name: 'a mixed change takes the highest file tier, and a security hotfix is marked',
    before: { 'README.md': L('# Shop'), 'src/auth/password.ts': L('export const ROUNDS = 10;', 'export const hash = (p: string) => bcrypt.hash(p, ROUNDS);'), 'test/password.test.ts': L('') },
    after: {
      'README.md': L('# Shop', 'Passwords use 12 bcrypt rounds.'),
      'src/auth/password.ts': L('export const ROUNDS = 12;', 'export const hash = (p: string) => bcrypt.hash(p, ROUNDS);'),
      'test/password.test.ts': L("it('hashes', () => {});"),
    },
    policy: { securityHotfix: true },
    expect: {
      tier: 'HIGH',
      files: { 'README.md': ['docs ZERO 0'], 'src/auth/password.ts': ['auth HIGH 1'], 'test/password.test.ts': ['test ZERO 0'] },
      securityHotfix: true,
    },
  },
  {
    name: 'no change at all',
    before: { 'src/app.ts': L('export {};') },
    expect: { tier: 'ZERO', files: {} },
  },
];
