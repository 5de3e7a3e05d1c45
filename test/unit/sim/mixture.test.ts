import { strict as assert } from 'node:assert';
import { simulateScenario } from '../../../src/core/sim';
import { mixtureQuantile, normalCdf, quantileOf } from '../../../src/core/sim/mixture';
import { monteCarlo } from '../../../src/core/sim/montecarlo';
import { scenarioModel } from '../../../src/core/sim/simulate';
import { highPlan, planOf } from './plans';

/**
 * The p95 of two versions sharing the traffic is the p95 of the mix of their latencies, not the
 * traffic-weighted mean of their p95s. Old version p95 150 ms, new version 4 s slower (4,150 ms):
 * - under 5 % of the traffic on the new version, the slow requests all sit above the 95th percentile,
 *   which stays in the old version's tail: at 4 % it is 183 ms, where the weighted mean said 310 ms;
 * - at exactly 5 % the 95th percentile is the boundary between the two populations (~0.5 s);
 * - at 10 % half of the slowest 10 % are below it: it is inside the new version's distribution,
 *   seconds (2.5 s), where the weighted mean said 550 ms.
 */
describe('quantile metrics: the p95 of the traffic mix', () => {
  it('barely moves while fewer than 5 % of requests are 4 s slower, and is in seconds at 10 %', () => {
    const at = (share: number) => mixtureQuantile(150, 4150, share);
    assert.ok(at(0.04) > 150 && at(0.04) < 200, `4 %: ${at(0.04)}`);
    assert.ok(at(0.05) > 300 && at(0.05) < 1000, `5 %: ${at(0.05)}`);
    assert.ok(at(0.1) > 2000 && at(0.1) < 4150, `10 %: ${at(0.1)}`);
    // The ends are the versions themselves, and the mix lies between them.
    assert.equal(mixtureQuantile(150, 4150, 0), 150);
    assert.equal(mixtureQuantile(150, 4150, 1), 4150);
    for (const s of [0.01, 0.2, 0.5, 0.9]) {
      const q = at(s);
      assert.ok(q > 150 && q < 4150);
      assert.ok(q > at(s / 2), 'more traffic on the slower version, a higher p95');
    }
  });

  it('is the quantile of the mix: the mixture CDF at it is 0.95', () => {
    const z = 1.6448536269514722;
    const q = mixtureQuantile(150, 600, 0.3);
    const cdf = (p95: number) => normalCdf((Math.log(q) - Math.log(p95)) / 0.3 + z);
    assert.ok(Math.abs(0.7 * cdf(150) + 0.3 * cdf(600) - 0.95) < 1e-7);
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7 && Math.abs(normalCdf(1.96) - 0.9750021048517795) < 1e-7 && normalCdf(-8) < 1e-14);
  });

  it('reads the quantile from the metric name; rates are not quantiles', () => {
    assert.equal(quantileOf('latency_p95_ms'), 0.95);
    assert.equal(quantileOf('checkout_p99_ms'), 0.99);
    assert.equal(quantileOf('error_rate'), undefined);
    assert.equal(quantileOf('db_errors_per_min'), undefined);
  });

  it('a canary of 4 % with +4 s promotes on green latency; at 10 % it rolls back on seconds', () => {
    // Canary 4 % for 2 h (minutes 60–180), then 10 % for 2 h. The weighted mean read 310 ms at 4 %, a
    // warning on every reading: held at minute 180. The mix reads ~185 ms ± 8 ms noise: green, promoted;
    // at 10 % it reads ~2.5 s, critical for the 10 sustained minutes: rolled back at minute 189.
    const plan = planOf('MEDIUM', [{ steps: [[0, 0]], gates: [] }, { steps: [[0, 1]] }, { steps: [[4, 2], [10, 2]] }, { steps: [[50, 1]] }, { steps: [[100, 1]] }]);
    const r = simulateScenario(plan, 'healthy', 1, { faults: [{ metric: 'latency_p95_ms', delta: 4000 }] });
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.metric, 'latency_p95_ms');
    assert.equal(r.rollback?.minute, 189);
    assert.ok(r.rollback!.value > 2000, `${r.rollback!.value}`);
    assert.ok(r.alerts.every((a) => a.minute >= 180), 'no alert during the 4 % step');
    assert.match(r.verdict, /Rolled back at Canary 10 %/);
  });

  it('the latency regression rolls back in the first canary step instead of holding it for 8 h', () => {
    // HIGH plan: 5 % for 8 h from minute 60. +4 s on the new version puts the mix's p95 at ~0.52 s,
    // over the 500 ms critical: rolled back once sustained 10 minutes, about 0.5 traffic-minutes exposed
    // (the weighted mean read 350 ms: a warning, held after 8 h, 24 traffic-minutes).
    const mc = monteCarlo(scenarioModel(highPlan(), 'latency-regression'), 200);
    assert.ok(mc.rolledBack > 0.95, JSON.stringify(mc));
    assert.deepEqual(mc.caughtAt.map((c) => c.stage), [3]);
    assert.ok(mc.blastRadius.p95 < 2, JSON.stringify(mc.blastRadius));
  });
});
