/** The seed's "Custom Metrics to Track": which metrics a change is watched with, and why. */
import { strict as assert } from 'node:assert';
import { buildPlan } from '../../../src/core/plan';
import type { CustomMetric, RolloutPlan } from '../../../src/core/plan';
import { RolloutPlanSchema } from '../../../src/core/plan';
import type { PolicyInput } from '../../../src/core/policy/schema';
import type { FileAssessment, FlagExposure } from '../../../src/core/risk/types';
import type { Tier } from '../../../src/core/tier';
import { assessment, file, NY, policy } from './helpers';

const START = new Date('2026-03-10T10:00:00-04:00');

function planOf(tier: Tier, files: FileAssessment[], opts: { policy?: PolicyInput; flags?: FlagExposure[] } = {}): RolloutPlan {
  return buildPlan(assessment(tier, { files, flags: opts.flags }), policy(opts.policy), { start: START, timezone: NY });
}

function metricsOf(plan: RolloutPlan): CustomMetric[] {
  return plan.customMetrics ?? [];
}

const names = (plan: RolloutPlan) => metricsOf(plan).map((m) => m.metric);
const one = (plan: RolloutPlan, metric: string) => {
  const m = metricsOf(plan).find((x) => x.metric === metric);
  assert.ok(m, `lists ${metric}; got ${names(plan).join(', ') || 'nothing'}`);
  return m;
};

const authFinding = (message: string, quote: string, line = 12) => ({ rule: 'auth' as const, line, message: `${message}: a mistake locks users out or lets the wrong ones in`, quote });

describe('plan: custom metrics to track', () => {
  describe('auth code gets a feature-specific metric named from the finding', () => {
    it('JWT code → "JWT tokens issued", citing the file and line', () => {
      const plan = planOf('HIGH', [file('src/auth/token.ts', 'HIGH', [authFinding('changes session handling code (jwt)', 'return jwt.sign({ sub: user.id }, KEY);')])]);
      const m = one(plan, 'jwt_tokens_issued');
      assert.equal(m.label, 'JWT tokens issued');
      assert.equal(m.source, 'suggested');
      assert.equal(m.gated, false);
      assert.match(m.why, /^src\/auth\/token\.ts:12 changes session handling code \(jwt\)/);
      assert.deepEqual([m.file, m.line], ['src/auth/token.ts', 12], 'points at the code for a link');
      assert.ok(!names(plan).includes('tokens_issued') && !names(plan).includes('session_validation_failures'), 'one metric per finding: the most specific');
    });

    it('password checks → login success rate; permission checks → authorization denials', () => {
      const plan = planOf('HIGH', [
        file('src/users/login.ts', 'HIGH', [authFinding('changes credentials code (password)', 'if (!bcrypt.compareSync(password, user.hash)) return null;', 4)]),
        file('src/users/admin.ts', 'HIGH', [authFinding('changes authorization code (permission)', "if (!user.permissions.includes('admin')) throw new Forbidden();", 8)]),
      ]);
      assert.deepEqual(names(plan), ['authz_denials', 'login_success_rate']);
      assert.match(one(plan, 'login_success_rate').why, /^src\/users\/login\.ts:4 /);
    });

    it('names the extra places when several findings call for the same metric', () => {
      const plan = planOf('HIGH', [
        file('src/auth/b.ts', 'HIGH', [authFinding('changes session handling code (session)', 'req.session.userId = id;', 3)]),
        file('src/auth/a.ts', 'HIGH', [authFinding('changes session handling code (session)', 'delete req.session.userId;', 9), authFinding('changes session handling code (session)', 'req.session.regenerate();', 2)]),
      ]);
      const m = one(plan, 'session_validation_failures');
      assert.match(m.why, /^src\/auth\/a\.ts:2 .* \(and 2 more places\): /, 'the first place by path and line');
    });
  });

  it('payment code → payment success rate; a payment provider → external API calls too', () => {
    const plan = planOf('HIGH', [
      file('src/billing/charge.ts', 'HIGH', [{ rule: 'payment', line: 20, message: 'changes payment processing code (stripe): a mistake charges customers wrongly', quote: 'await stripe.paymentIntents.create({ amount, currency });' }]),
    ]);
    assert.deepEqual(names(plan), ['payment_success_rate', 'external_api_calls']);
    assert.match(one(plan, 'external_api_calls').why, /calls the Stripe API/);
  });

  it('migrations and data writes → database query performance', () => {
    const plan = planOf('MEDIUM', [
      file('db/migrate/003_add_index.sql', 'MEDIUM', [{ rule: 'migration', line: 1, message: 'creates index `orders_user_id` without CONCURRENTLY: locks writes to `orders` while it builds' }]),
      file('src/orders/save.ts', 'HIGH', [{ rule: 'data-write', line: 5, message: 'writes to the database (.save): a bug here corrupts stored records', quote: 'await order.save();' }]),
    ]);
    const m = one(plan, 'db_query_p95_ms');
    assert.equal(m.label, 'database query performance (p95 query time)');
    assert.match(m.why, /^db\/migrate\/003_add_index\.sql:1 creates index `orders_user_id` without CONCURRENTLY \(and 1 more place\)/);
    assert.deepEqual(names(plan), ['db_query_p95_ms']);
  });

  describe('caches', () => {
    it('a line that uses Redis or memcached → cache hit rate', () => {
      for (const quote of ['const hit = await redis.get(`user:${id}`);', 'mc = Memcached::Client.new(servers)', 'cache.set(key, value, ttl)', 'const cached = getCachedUser(id);']) {
        const plan = planOf('MEDIUM', [file('src/users/repo.ts', 'MEDIUM', [{ rule: 'app-change', line: 3, message: 'changes application behaviour in production: ship it to a canary first', quote }])]);
        assert.deepEqual(names(plan), ['cache_hit_rate'], quote);
        assert.match(one(plan, 'cache_hit_rate').why, /^src\/users\/repo\.ts:3 uses a cache \(/);
      }
    });

    it('a file whose path names a cache → cache hit rate, said so', () => {
      const plan = planOf('MEDIUM', [file('src/cache/users.ts', 'MEDIUM', [{ rule: 'app-change', line: 7, message: 'changes application behaviour in production: ship it to a canary first', quote: 'return ttlSeconds * 2;' }])]);
      assert.match(one(plan, 'cache_hit_rate').why, /is cache code \(its path mentions "cache"\)/);
    });

    it('code that runs nothing new (an unused export, a test) calls for no metric', () => {
      const plan = planOf('LOW', [
        file('src/cache/lru.ts', 'LOW', [{ rule: 'unused-export', tier: 'LOW', line: 2, message: 'adds `evict`, which nothing calls yet: not integrated, ships silent' }]),
        file('test/cache.test.ts', 'ZERO', [{ rule: 'test', tier: 'ZERO', line: 1, message: 'changes a test', quote: 'redis.flushall()' }]),
      ]);
      assert.deepEqual(names(plan), []);
    });
  });

  describe('outgoing HTTP calls → external API call rate and error rate', () => {
    const calls: [string, string][] = [
      ['const res = await fetch(`${BASE}/users/${id}`);', 'fetch'],
      ['const { data } = await axios.post(url, body);', 'axios'],
      ['resp = requests.get(url, timeout=5)', 'requests.get'],
      ['resp, err := http.Get(url)', 'http.Get'],
      ['return restTemplate.getForObject(url, User.class); // via RestTemplate', 'RestTemplate'],
      ['res = Net::HTTP.get_response(uri)', 'Net::HTTP'],
    ];
    for (const [quote, call] of calls) {
      it(`names \`${call}\``, () => {
        const plan = planOf('MEDIUM', [file('src/clients/users.x', 'MEDIUM', [{ rule: 'app-change', line: 4, message: 'changes application behaviour in production: ship it to a canary first', quote }])]);
        const m = one(plan, 'external_api_calls');
        assert.equal(m.label, 'external API call rate and error rate');
        assert.ok(m.why.startsWith(`src/clients/users.x:4 calls out with \`${call}\`: `), m.why);
      });
    }

    it('does not take a server, a prefetch or a word in a string for a call', () => {
      for (const quote of ['http.createServer(handler).listen(port);', 'router.prefetch(route);', 'const label = "requests per day";']) {
        const plan = planOf('MEDIUM', [file('src/server.ts', 'MEDIUM', [{ rule: 'app-change', line: 1, message: 'changes application behaviour in production: ship it to a canary first', quote }])]);
        assert.deepEqual(names(plan), [], quote);
      }
    });
  });

  describe('a ZERO-risk change', () => {
    it('gets none, even with the policy\'s custom gates', () => {
      const files = [file('docs/caching.md', 'ZERO', [{ rule: 'docs', tier: 'ZERO', line: 0, message: 'changes documentation', quote: 'Use redis.get() to read the cache' }])];
      const plan = planOf('ZERO', files, { policy: { gates: { checkout_latency_ms: { warning: 500, critical: 900, direction: 'above', unit: 'ms' } } } });
      assert.deepEqual(plan.customMetrics, []);
    });

    it('with flag-guarded auth code: the metric for turning the flag on', () => {
      const plan = planOf('ZERO', [file('src/auth/sso.ts', 'ZERO', [{ ...authFinding('changes authentication code (oauth)', 'const token = await oauth.exchange(code);'), tier: 'HIGH', flag: 'new-sso' }])], {
        flags: [{ name: 'new-sso', tier: 'HIGH', files: ['src/auth/sso.ts'] }],
      });
      assert.deepEqual(names(plan), ['sso_logins_completed']);
    });
  });

  describe('the policy\'s custom gates', () => {
    const gates = {
      checkout_latency_ms: { warning: 500, critical: 900, direction: 'above' as const, unit: 'ms', label: 'checkout latency' },
      cache_hit_rate: { warning: 90, critical: 80, direction: 'below' as const, unit: '%' },
    };
    const cacheLine = file('src/users/repo.ts', 'MEDIUM', [{ rule: 'app-change', line: 3, message: 'changes application behaviour in production: ship it to a canary first', quote: 'const hit = await redis.get(key);' }]);
    const jwt = file('src/auth/token.ts', 'HIGH', [authFinding('changes session handling code (jwt)', 'jwt.verify(token, KEY)')]);
    const plan = planOf('HIGH', [cacheLine, jwt], { policy: { gates } });

    it('are listed as gated, with the thresholds the stages apply, after the suggestions', () => {
      assert.deepEqual(metricsOf(plan).map((m) => [m.metric, m.source, m.gated]), [
        ['jwt_tokens_issued', 'suggested', false],
        ['checkout_latency_ms', 'policy', true],
        ['cache_hit_rate', 'policy', true],
      ]);
      const stageGates = plan.stages.find((s) => s.number === 3)!.gates.map((g) => g.metric);
      for (const m of metricsOf(plan)) assert.equal(stageGates.includes(m.metric), m.gated, `${m.metric} is in the stage gates exactly when gated`);
      const latency = one(plan, 'checkout_latency_ms');
      assert.equal(latency.label, 'checkout latency');
      assert.match(latency.why, /^The policy gates it in stages [\d, ]+ \(warning >500 ms, critical >900 ms, Level 1 rollback\)\.$/);
    });

    it('a suggestion the policy already gates is listed once, as the policy\'s, still saying why it fits', () => {
      assert.equal(metricsOf(plan).filter((m) => m.metric === 'cache_hit_rate').length, 1);
      assert.match(one(plan, 'cache_hit_rate').why, /warning <90%, critical <80%.*; src\/users\/repo\.ts:3 uses a cache \(redis\)/);
      assert.deepEqual([one(plan, 'cache_hit_rate').file, one(plan, 'checkout_latency_ms').file], ['src/users/repo.ts', undefined]);
    });
  });

  it('is the same list whatever order the assessment lists files in, and survives the plan schema', () => {
    const files = [
      file('src/zeta/pay.ts', 'HIGH', [{ rule: 'payment', line: 2, message: 'changes payment processing code (refund): a mistake charges customers wrongly', quote: 'await refund(order);' }]),
      file('src/alpha/db.ts', 'HIGH', [{ rule: 'data-write', line: 9, message: 'writes to the database (.update): a bug here corrupts stored records', quote: 'await axios.post(HOOK, await db.users.update(u));' }]),
      file('src/auth/x.ts', 'HIGH', [authFinding('changes authentication code (login)', 'login(user)')]),
    ];
    const a = planOf('HIGH', files);
    const b = planOf('HIGH', [...files].reverse());
    assert.deepEqual(a.customMetrics, b.customMetrics);
    assert.deepEqual(names(a), ['login_success_rate', 'payment_success_rate', 'db_query_p95_ms', 'external_api_calls']);
    assert.deepEqual(RolloutPlanSchema.parse(JSON.parse(JSON.stringify(a))).customMetrics, a.customMetrics);
  });
});
