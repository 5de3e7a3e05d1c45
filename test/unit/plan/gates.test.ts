/** resolveGates: the seed's table, policy overrides, custom metrics, and the errors a typo earns. */
import { strict as assert } from 'node:assert';
import { buildPlan, resolveGates } from '../../../src/core/plan';
import { assessment, NY, policy } from './helpers';
import { isInputError } from '../../../src/core/errors';

const fails = (field: string) => (e: unknown) => isInputError(e) && e.where?.field === field && !e.message.includes('\n');

describe('plan: gates', () => {
  it('starts from the seed\'s five metrics in the seed\'s order', () => {
    assert.deepEqual(resolveGates(policy()).map((g) => g.metric), ['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts']);
    const security = resolveGates(policy()).find((g) => g.metric === 'security_alerts')!;
    assert.deepEqual([security.incident, security.warning, security.critical], [true, 0, 0]);
    assert.equal(resolveGates(policy()).find((g) => g.metric === 'latency_p95_ms')!.sustainMinutes, 10, 'latency: Level 1 only if sustained');
  });

  it('overrides a field, turns a gate off, and adds custom metrics after the seed\'s', () => {
    const gates = resolveGates(
      policy({
        gates: {
          error_rate: { critical: 1, action: 'Level 2: redeploy' },
          latency_p95_ms: { enabled: false },
          jwt_tokens_issued: { direction: 'below', warning: 50, critical: 10, unit: '/min', label: 'JWT tokens issued' },
        },
      }),
    );
    assert.deepEqual(gates.map((g) => g.metric), ['error_rate', 'success_rate', 'db_errors_per_min', 'security_alerts', 'jwt_tokens_issued']);
    const err = gates[0];
    assert.deepEqual([err.warning, err.critical, err.rollbackLevel], [0.2, 1, 2]);
    const jwt = gates[4];
    assert.deepEqual([jwt.label, jwt.direction, jwt.warning, jwt.critical, jwt.action, jwt.rollbackLevel], ['JWT tokens issued', 'below', 50, 10, 'Level 1 rollback', 1]);
  });

  it('drops criteria of a metric whose gate is off, and checks memory when a memory gate exists', () => {
    const plan = buildPlan(assessment('MEDIUM'), policy({ gates: { latency_p95_ms: { enabled: false }, heap_used_mb: { direction: 'above', warning: 800, critical: 1200 } } }), {
      start: new Date('2026-03-10T10:00:00-04:00'),
      timezone: NY,
    });
    assert.ok(!plan.stages[2].successCriteria.some((c) => c.metric === 'latency_p95_ms'));
    const leak = plan.stages[1].successCriteria.find((c) => c.id === 'no-memory-leaks')!;
    assert.deepEqual([leak.kind, leak.metric], ['stable', 'heap_used_mb']);
  });

  it('rejects a custom metric without warning, critical or direction, naming gates.<name>.<field>', () => {
    assert.throws(() => resolveGates(policy({ gates: { cache_hit_rate: { warning: 90, critical: 80 } } })), fails('gates.cache_hit_rate.direction'));
    assert.throws(() => resolveGates(policy({ gates: { cache_hit_rate: { direction: 'below', critical: 80 } } })), fails('gates.cache_hit_rate.warning'));
    assert.throws(() => resolveGates(policy({ gates: { cache_hit_rate: { direction: 'below', warning: 90 } } })), fails('gates.cache_hit_rate.critical'));
  });

  it('rejects a critical threshold on the wrong side of the warning one', () => {
    assert.throws(() => resolveGates(policy({ gates: { error_rate: { critical: 0.1 } } })), fails('gates.error_rate.critical'));
    assert.throws(() => resolveGates(policy({ gates: { success_rate: { critical: 99.9 } } })), fails('gates.success_rate.critical'));
  });
});
