/** Series no gate reads, and the metrics gated from below, decided in core for every surface. */
import { strict as assert } from 'node:assert';
import { isInputError } from '../../../src/core/errors';
import { checkSeriesGated, ungatedSeries, worseBelow } from '../../../src/core/sim/gated';
import type { Trace } from '../../../src/core/sim/trace';
import { allGates, gate, gatePlan } from './plans';

const trace = (...metrics: string[]): Trace => ({
  source: 'probe.csv',
  series: new Map(metrics.map((metric) => [metric, { metric, times: Float64Array.of(0), values: Float64Array.of(1) }])),
  issues: [],
});

describe('core: a named series no gate reads', () => {
  it('refuses a misspelt name, naming the field and the series, and what the plan reads', () => {
    assert.throws(
      () => checkSeriesGated(trace('eror_rate'), gatePlan(), ['eror_rate']),
      (e: unknown) => isInputError(e) && e.where?.field === 'trace' && /^trace: series eror_rate: no gate of the plan reads eror_rate \(the plan's gates read error_rate, latency_p95_ms, /.test(e.message),
    );
  });

  it('lets through a series a gate reads, one the policy declares, and one not named', () => {
    assert.equal(ungatedSeries(trace('error_rate'), gatePlan(), ['error_rate']), undefined);
    assert.equal(ungatedSeries(trace('checkout_errors'), gatePlan(), ['checkout_errors'], ['checkout_errors']), undefined);
    assert.equal(ungatedSeries(trace('checkout_errors'), gatePlan(), []), undefined);
    assert.deepEqual(ungatedSeries(trace('checkout_errors'), gatePlan(), ['checkout_errors'])?.metric, 'checkout_errors');
  });

  it('lists the metrics gated from below, built-in or custom, once each', () => {
    const throughput = { ...gate('error_rate'), metric: 'throughput', direction: 'below' as const, warning: 100, critical: 50 };
    assert.deepEqual(worseBelow(gatePlan([...allGates(), throughput])), ['success_rate', 'throughput']);
  });
});
