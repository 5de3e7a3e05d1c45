/**
 * The bundled example change `rollout-lens demo` analyzes when the current folder has nothing
 * to analyze: a small checkout service with a payment fix, a new column and a flag-guarded feature.
 * It is written to a fresh temporary repository, never to the user's.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const BEFORE: Record<string, string> = {
  'README.md': '# checkout-service\n\nTakes orders and charges cards.\n',
  'package.json': '{\n  "name": "checkout-service",\n  "version": "1.4.0",\n  "main": "src/server.ts"\n}\n',
  'src/server.ts': [
    "import express from 'express';",
    "import { chargeRoutes } from './routes/charge';",
    '',
    'const app = express();',
    'app.use(express.json());',
    "app.use('/charge', chargeRoutes);",
    'app.listen(3000);',
    '',
  ].join('\n'),
  'src/routes/charge.ts': [
    "import { Router } from 'express';",
    "import { chargeCard } from '../payments/charge';",
    '',
    'export const chargeRoutes = Router();',
    '',
    "chargeRoutes.post('/', async (req, res) => {",
    '  const receipt = await chargeCard(req.body.customerId, req.body.amountCents);',
    '  res.json(receipt);',
    '});',
    '',
  ].join('\n'),
  'src/payments/charge.ts': [
    "import { stripe } from './stripe';",
    '',
    'export async function chargeCard(customerId: string, amountCents: number) {',
    '  const intent = await stripe.paymentIntents.create({',
    '    customer: customerId,',
    '    amount: amountCents,',
    "    currency: 'usd',",
    '  });',
    '  return { id: intent.id, status: intent.status };',
    '}',
    '',
  ].join('\n'),
  'src/payments/stripe.ts': "import Stripe from 'stripe';\n\nexport const stripe = new Stripe(process.env.STRIPE_KEY ?? '');\n",
  'db/migrations/001_init.sql': 'CREATE TABLE orders (\n  id bigserial PRIMARY KEY,\n  customer_id text NOT NULL,\n  amount_cents integer NOT NULL\n);\n',
};

const AFTER: Record<string, string> = {
  'src/payments/charge.ts': [
    "import { stripe } from './stripe';",
    "import { flags } from '../flags';",
    '',
    'export async function chargeCard(customerId: string, amountCents: number) {',
    '  const intent = await stripe.paymentIntents.create({',
    '    customer: customerId,',
    '    amount: amountCents,',
    "    currency: 'usd',",
    '    // Retrying a timed-out request must not charge the card twice.',
    '    idempotency_key: `${customerId}-${amountCents}-${Date.now()}`,',
    '  });',
    "  if (flags.isEnabled('new-receipts')) {",
    '    await stripe.paymentIntents.update(intent.id, { receipt_email: null });',
    '  }',
    '  return { id: intent.id, status: intent.status };',
    '}',
    '',
  ].join('\n'),
  'src/flags.ts': "export const flags = {\n  isEnabled(name: string): boolean {\n    return process.env[`FLAG_${name.toUpperCase().replace(/-/g, '_')}`] === 'on';\n  },\n};\n",
  'db/migrations/002_add_currency.sql': "ALTER TABLE orders ADD COLUMN currency text DEFAULT 'usd';\n",
  'docs/payments.md': '# Payments\n\nCharges are idempotent per customer and amount.\n',
};

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Rollout Lens example',
      GIT_AUTHOR_EMAIL: 'example@rollout-lens.invalid',
      GIT_COMMITTER_NAME: 'Rollout Lens example',
      GIT_COMMITTER_EMAIL: 'example@rollout-lens.invalid',
    },
  });
}

function writeAll(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

/** Writes the example repository (one commit, then an uncommitted change) and returns its folder. */
export function createExampleRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-example-'));
  writeAll(dir, BEFORE);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'checkout service');
  writeAll(dir, AFTER);
  return dir;
}
