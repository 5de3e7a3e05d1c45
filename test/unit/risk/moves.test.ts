/**
 * Code moved unchanged from one file of the change to another is a move, not new code: its lines
 * are not judged again, while what the change does around them still is.
 */
import { strict as assert } from 'node:assert';
import { readChange } from '../../../src/core/change';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { assess } from '../../../src/core/risk';
import type { Assessment } from '../../../src/core/risk/types';
import { makeRepo } from '../../fixtures/repo';

const SESSIONS = `import { Router } from 'express';
import { verifyPassword, issueSession } from './crypto';

export const router = Router();

export async function signIn(user: { hash: string }, password: string): Promise<string | null> {
  const ok = await verifyPassword(password, user.hash);
  if (!ok) return null;
  return issueSession(user);
}

router.get('/health', (_req, res) => res.send('ok'));
`;

const SPLIT_ROUTES = `import { Router } from 'express';
export { signIn } from './sign-in';

export const router = Router();

router.get('/health', (_req, res) => res.send('ok'));
`;

const SIGN_IN = (check = 'const ok = await verifyPassword(password, user.hash);') => `import { verifyPassword, issueSession } from './crypto';

export async function signIn(user: { hash: string }, password: string): Promise<string | null> {
  ${check}
  if (!ok) return null;
  return issueSession(user);
}
`;

async function assessed(unstaged: Record<string, string>): Promise<Assessment> {
  const repo = makeRepo({
    commits: [{ 'src/auth/routes.ts': SESSIONS, 'src/auth/crypto.ts': 'export const verifyPassword = async (_p: string, _h: string) => true;\nexport const issueSession = (_u: unknown) => "s";\n', 'src/app.ts': "import { router } from './auth/routes';\nexport default router;\n" }],
    unstaged,
  });
  try {
    const { change, search } = await readChange({ repo: repo.dir });
    return await assess(change, DEFAULT_POLICY, search);
  } finally {
    repo.cleanup();
  }
}

const rulesOf = (a: Assessment, path: string) => (a.files.find((f) => f.path === path)?.findings ?? []).map((f) => `${f.rule} ${f.tier}${f.side ? ` ${f.side}` : ''}`);

describe('code moved between files of the change', () => {
  it('an authentication function moved unchanged to its own file is a move: no auth finding on either side', async () => {
    const a = await assessed({ 'src/auth/routes.ts': SPLIT_ROUTES, 'src/auth/sign-in.ts': SIGN_IN() });
    const moved = a.files.flatMap((f) => f.findings.filter((x) => x.rule === 'moved').map((x) => `${f.path}: ${x.message}`));
    assert.deepEqual(moved, [
      'src/auth/routes.ts: moves 6 lines unchanged to src/auth/sign-in.ts: the code does what it did, only where it lives changes',
      'src/auth/sign-in.ts: moves 6 lines here unchanged from src/auth/routes.ts: the code does what it did, only where it lives changes',
    ]);
    assert.ok(!a.files.some((f) => f.findings.some((x) => x.rule === 'auth')), JSON.stringify(a.files.map((f) => [f.path, rulesOf(a, f.path)])));
    assert.notEqual(a.tier, 'HIGH');
  });

  it('a line edited inside the moved block is judged: the changed password check is HIGH', async () => {
    const a = await assessed({ 'src/auth/routes.ts': SPLIT_ROUTES, 'src/auth/sign-in.ts': SIGN_IN('const ok = password.length > 0 && (await verifyPassword(password, user.hash));') });
    assert.equal(a.tier, 'HIGH');
    const auth = a.files.find((f) => f.path === 'src/auth/sign-in.ts')!.findings.filter((f) => f.rule === 'auth');
    assert.ok(auth.length > 0 && auth.every((f) => f.tier === 'HIGH'), JSON.stringify(rulesOf(a, 'src/auth/sign-in.ts')));
    assert.ok(!a.files.some((f) => f.findings.some((x) => x.rule === 'moved')), 'what is left of the block is too short to be a move');
  });

  it('a few generic lines that happen to match are no move', async () => {
    const a = await assessed({
      'src/auth/routes.ts': SESSIONS.replace("  if (!ok) return null;\n  return issueSession(user);\n}\n", "  return ok ? issueSession(user) : null;\n}\n"),
      'src/billing/refund.ts': "import { stripe } from './stripe';\n\nexport async function refund(id: string) {\n  if (!ok) return null;\n  return issueSession(user);\n}\n",
    });
    assert.ok(!a.files.some((f) => f.findings.some((x) => x.rule === 'moved')));
  });

  it('code moved within one file is left to the line rules', async () => {
    const reordered = SESSIONS.replace("router.get('/health', (_req, res) => res.send('ok'));\n", '').replace('export const router = Router();\n', "export const router = Router();\nrouter.get('/health', (_req, res) => res.send('ok'));\n");
    const a = await assessed({ 'src/auth/routes.ts': reordered });
    assert.ok(!rulesOf(a, 'src/auth/routes.ts').some((r) => r.startsWith('moved')));
  });
});
