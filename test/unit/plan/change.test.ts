/** What the change carries shapes the plan: flags, breaking migrations, infrastructure, UX, tests. */
import { strict as assert } from 'node:assert';
import { buildPlan } from '../../../src/core/plan';
import type { Assessment } from '../../../src/core/risk/types';
import type { PolicyInput } from '../../../src/core/policy/schema';
import { assessment, file, NY, policy } from './helpers';

const START = new Date('2026-03-10T10:00:00-04:00');
const build = (a: Assessment, p: PolicyInput = {}) => buildPlan(a, policy(p), { start: START, timezone: NY });
const traffic = (plan: ReturnType<typeof build>) => plan.stages.map((s) => s.steps.map((x) => x.trafficPercent));
const item = (plan: ReturnType<typeof build>, id: string) => plan.checklist.find((c) => c.id === id)!;

describe('plan: what the change carries', () => {
  describe('flag-guarded code', () => {
    const checkout = assessment('ZERO', {
      files: [file('src/checkout/new.ts', 'ZERO', [{ rule: 'flag-off', flag: 'new-checkout', message: 'payment code behind flag new-checkout (OFF)' }])],
      flags: [{ name: 'new-checkout', tier: 'HIGH', files: ['src/checkout/new.ts'] }],
    });

    it('deploys with the flag OFF in stages 1–2, then turns it on at the pace of the flag\'s tier', () => {
      const plan = build(checkout, { flags: { 'new-checkout': 'off' } });
      assert.deepEqual(traffic(plan), [[0], [0], [5, 10], [25, 50], [75, 100]]);
      assert.equal(plan.strategy, 'flag-gated');
      assert.match(plan.stages[0].action, /flag new-checkout OFF/);
      assert.match(plan.stages[1].action, /flag new-checkout still OFF/);
      assert.match(plan.stages[2].action, /^Turn flag new-checkout on for 5% → 10% of users/);
      assert.deepEqual(plan.stages[2].rollback, { level: 1, action: 'Turn flag new-checkout OFF at ANY critical alert' });
      assert.equal(plan.stages[0].rollback.level, 2, 'with the flag already OFF, undoing stage 1 is a redeploy');
      assert.deepEqual(plan.flags, [{ name: 'new-checkout', tier: 'HIGH', files: ['src/checkout/new.ts'] }]);
      assert.match(plan.monitoring, /while turning flag new-checkout on: intensive/);
      assert.equal(plan.deployment.pattern, 'phased');
      assert.match(plan.deployment.reason, /Internal → Beta users → All users/);
    });

    it('marks the flags item done when the policy configures the flag, not done when it does not', () => {
      assert.equal(item(build(checkout, { flags: { 'new-checkout': 'off' } }), 'flags').state, 'done');
      const missing = item(build(checkout), 'flags');
      assert.equal(missing.state, 'not-done');
      assert.match(missing.evidence ?? '', /new-checkout/);
      assert.deepEqual([item(build(assessment('MEDIUM')), 'flags').state, item(build(assessment('MEDIUM')), 'flags').evidence], ['done', 'no flags needed: the change has no flag-guarded code']);
    });

    it('turns a MEDIUM flag on 10 → 50 → 100%, and a LOW one on for everyone after the 1-hour watch', () => {
      const medium = build({ ...checkout, flags: [{ name: 'new-checkout', tier: 'MEDIUM', files: [] }] });
      assert.deepEqual(traffic(medium), [[0], [0], [10], [50], [100]]);
      const low = build({ ...checkout, flags: [{ name: 'new-checkout', tier: 'LOW', files: [] }] });
      assert.deepEqual(traffic(low), [[0], [0], [], [], [100]]);
      assert.deepEqual([low.stages[2].required, low.stages[3].required], [false, false]);
      assert.deepEqual(low.stages[4].steps[0].waitHours, { min: 1, max: 1 });
    });

    it('paces by the highest tier of the flags and the rest of the change', () => {
      const plan = build(assessment('HIGH', { flags: [{ name: 'a', tier: 'MEDIUM', files: [] }, { name: 'b', tier: 'LOW', files: [] }] }));
      assert.deepEqual(traffic(plan), [[0], [0], [5, 10], [25, 50], [75, 100]]);
      assert.match(plan.stages[2].action, /^Route 5% → 10% of users to the new version, with flags a, b on for them/);
    });
  });

  describe('a breaking migration', () => {
    const drop = assessment('HIGH', {
      files: [file('db/migrate/002_drop_email.sql', 'HIGH', [{ rule: 'migration-breaking', line: 3, message: 'drops column users.email: breaking for running code' }])],
    });

    it('does not promise a Level 1 or 2 rollback it cannot deliver, and says what to do instead', () => {
      const plan = build(drop);
      assert.deepEqual(plan.rollbackLevels.map((l) => [l.level, l.available]), [[1, false], [2, false], [3, true]]);
      assert.match(plan.rollbackWarning ?? '', /db\/migrate\/002_drop_email\.sql:3/);
      assert.match(plan.rollbackWarning ?? '', /expand\/contract: ship the additive change first, migrate the readers, contract later/);
      assert.match(plan.rollbackWarning ?? '', /roll forward/);
      assert.ok(plan.stages.filter((s) => s.required).every((s) => s.rollback.level === 3), 'every stage names Level 3');
      assert.ok(plan.stages.flatMap((s) => s.gates).every((g) => g.rollbackLevel === 3 && /Level 1 unavailable/.test(g.action)));
      const migrations = item(plan, 'migrations');
      assert.equal(migrations.state, 'not-done');
      assert.match(migrations.evidence ?? '', /drops column users\.email/);
      assert.match(item(plan, 'rollback').evidence ?? '', /Level 3/);
    });

    it('a backward-compatible migration keeps Level 1 and ticks the migrations item', () => {
      const add = assessment('MEDIUM', { files: [file('db/migrate/003_add_phone.sql', 'MEDIUM', [{ rule: 'migration', message: 'adds nullable column users.phone' }])] });
      const plan = build(add);
      assert.equal(plan.rollbackWarning, undefined);
      assert.ok(plan.rollbackLevels.every((l) => l.available));
      assert.equal(item(plan, 'migrations').state, 'done');
      assert.match(item(plan, 'migrations').evidence ?? '', /backward compatible \(db\/migrate\/003_add_phone\.sql:1\)/);
    });
  });

  describe('the deployment pattern', () => {
    it('blue/green for infrastructure, with its doubled infrastructure cost', () => {
      const plan = build(assessment('HIGH', { files: [file('deploy/k8s/ingress.yaml', 'HIGH', [{ rule: 'infrastructure', message: 'changes the ingress' }])] }));
      assert.equal(plan.deployment.pattern, 'blue-green');
      assert.match(plan.deployment.reason, /deploy\/k8s\/ingress\.yaml/);
      assert.equal(plan.deployment.benefit, 'Instant rollback (flip the load balancer)');
      assert.match(plan.deployment.cost, /^2x infrastructure during the deployment/);
      assert.match(plan.rollbackLevels[0].action, /load balancer/);
    });

    it('phased for a UX change, canary for other application changes', () => {
      assert.equal(build(assessment('MEDIUM', { files: [file('src/components/Checkout.tsx', 'MEDIUM')] })).deployment.pattern, 'phased');
      const api = build(assessment('MEDIUM', { files: [file('src/api/orders.ts', 'MEDIUM')] }));
      assert.equal(api.deployment.pattern, 'canary');
      assert.equal(api.deployment.benefit, 'Gradual risk exposure, real user testing');
    });
  });

  describe('the pre-deployment checklist', () => {
    it('keeps the seed\'s items in order, decides what the change shows and leaves the rest to a person', () => {
      const plan = build(assessment('MEDIUM', { files: [file('src/api/orders.ts', 'MEDIUM'), file('test/api/orders.test.ts', 'ZERO', [{ rule: 'test', message: 'test file' }])] }));
      assert.deepEqual(plan.checklist.map((c) => [c.id, c.state]), [
        ['tests', 'unknown'],
        ['review', 'unknown'],
        ['rollback', 'done'],
        ['dashboards', 'unknown'],
        ['flags', 'done'],
        ['oncall', 'unknown'],
        ['window', 'done'],
        ['alerts', 'unknown'],
        ['migrations', 'done'],
        ['stakeholders', 'unknown'],
      ]);
      assert.match(item(plan, 'tests').evidence ?? '', /tests changed in this change \(1 file, e\.g\. test\/api\/orders\.test\.ts\); passing unknown/);
      assert.match(item(plan, 'window').evidence ?? '', /Tue 2026-03-10 10:00, in the optimal window/);
      assert.equal(plan.checklist[0].text, 'All tests passing (unit, integration, E2E)');
    });
  });
});
