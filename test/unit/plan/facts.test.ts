/**
 * The plan chooses from the facts the Assessment carries (rule ids, the matched subject, the file's
 * kind, the quoted code), never from a finding's wording: rewording the risk step's messages
 * changes no metric, checklist state or pattern, only the words the plan quotes.
 */
import { strict as assert } from 'node:assert';
import { buildPlan, type RolloutPlan } from '../../../src/core/plan';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { CORPUS } from '../risk/corpus';
import { changeSetOf, memorySearch, treeAfter } from '../risk/helpers';
import { assessment, file, NY, policy } from './helpers';

const START = new Date('2026-03-10T10:00:00-04:00');

/** Every string in a plan, with `swap` applied: how the plan reads once the quoted words are put back. */
function mapStrings(value: unknown, swap: (s: string) => string): unknown {
  if (typeof value === 'string') return swap(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, swap));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, swap)]));
  return value;
}

/** The assessment with every finding's message replaced by a sentence of other words, and the way back. */
function reworded(a: Assessment): { a: Assessment; back: (s: string) => string } {
  const pairs: [string, string][] = [];
  let n = 0;
  const files = a.files.map((f) => ({
    ...f,
    findings: f.findings.map((x) => {
      n++;
      const head = `«sentence ${n}»`;
      const message = `${head}: «reason ${n}»`;
      const at = x.message.indexOf(': ');
      pairs.push([message, x.message], [head, at > 0 ? x.message.slice(0, at) : x.message]);
      return { ...x, message };
    }),
  }));
  return { a: { ...a, files }, back: (s) => pairs.reduce((t, [now, was]) => t.split(now).join(was), s) };
}

const decisions = (p: RolloutPlan) => ({
  tier: p.tier,
  strategy: p.strategy,
  pattern: p.deployment.pattern,
  metrics: (p.customMetrics ?? []).map((m) => [m.metric, m.source, m.gated, m.file, m.line]),
  checklist: p.checklist.map((c) => [c.id, c.state]),
});

describe('plan: facts, not wording', () => {
  it('rewording every finding of the corpus changes no decision of its plan, and the plan quotes only the new words', async () => {
    let metrics = 0;
    for (const c of CORPUS) {
      const p = PolicySchema.parse(c.policy ?? {});
      const a = await assess(changeSetOf(c.before ?? {}, c.after ?? {}, c.renames), p, memorySearch(treeAfter(c.before ?? {}, c.after ?? {}, c.renames)));
      const plan = buildPlan(a, p, { start: START, timezone: NY });
      const other = reworded(a);
      const replanned = buildPlan(other.a, p, { start: START, timezone: NY });
      assert.deepEqual(decisions(replanned), decisions(plan), c.name);
      assert.deepEqual(mapStrings(replanned, other.back), plan, `${c.name}: the plan differs only in the words it quotes`);
      metrics += plan.customMetrics?.length ?? 0;
    }
    assert.ok(metrics >= 20, `the corpus's plans suggest metrics to compare (${metrics})`);
  });

  it('names the auth metric from what the finding matched, whatever its message says', () => {
    const plain = 'changes code: review it';
    const plan = buildPlan(
      assessment('HIGH', {
        files: [
          file('src/users/check.ts', 'HIGH', [{ rule: 'auth', line: 4, message: plain, quote: 'if (!valid(t)) return deny();', subject: { term: 'jwt', category: 'authentication', function: 'verifyJwt' } }]),
          file('src/users/admin.ts', 'HIGH', [{ rule: 'auth', line: 9, message: plain, quote: 'return role.level > 2;', subject: { term: 'role', category: 'authorization' } }]),
        ],
      }),
      policy(),
      { start: START, timezone: NY },
    );
    assert.deepEqual((plan.customMetrics ?? []).map((m) => [m.metric, m.file]), [
      ['jwt_tokens_issued', 'src/users/check.ts'],
      ['authz_denials', 'src/users/admin.ts'],
    ]);
  });

  it('counts as changed tests exactly the files the risk step judged tests, whatever their path looks like', () => {
    const build = (files: ReturnType<typeof file>[]) => buildPlan(assessment('MEDIUM', { files }), policy(), { start: START, timezone: NY });
    const forced = [{ rule: 'policy' as const, tier: 'LOW' as const, line: 0, message: 'set to LOW by the policy' }];
    const e2e = build([file('src/api.ts', 'MEDIUM'), file('e2e/login.ts', 'LOW', forced, 'test')]);
    assert.match(e2e.checklist.find((c) => c.id === 'tests')?.evidence ?? '', /^tests changed in this change \(1 file, e\.g\. e2e\/login\.ts\)/);
    const code = build([file('src/api.ts', 'MEDIUM'), file('tools/report.test.py', 'MEDIUM', [], 'code')]);
    assert.equal(code.checklist.find((c) => c.id === 'tests')?.evidence, 'no tests changed in this change; run the suite');
  });

  it('takes a UI path that the risk step judged a test for no UX change', () => {
    const plan = buildPlan(
      assessment('MEDIUM', { files: [file('cypress/components/login.tsx', 'MEDIUM', [{ rule: 'policy', line: 0, message: 'set to MEDIUM by the policy' }], 'test'), file('src/api/orders.ts', 'MEDIUM')] }),
      policy(),
      { start: START, timezone: NY },
    );
    assert.equal(plan.deployment.pattern, 'canary');
  });
});
