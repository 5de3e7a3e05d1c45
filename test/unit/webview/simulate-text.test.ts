/** What the Simulate tab says about a loaded trace, and the custom fault it sends. */
import { strict as assert } from 'node:assert';
import { coverageText, customFault, splitFault } from '../../../webview/format';
import { traceSpanMinutes } from '../../../src/core/sim/trace';

describe('webview: trace coverage and custom faults', () => {
  it('says how much of the plan a trace covers, and when the replay ends early', () => {
    assert.deepEqual(coverageText(31 * 60, 49 * 60), { text: 'This trace covers 31 h; this plan needs 49 h: the replay ends at 31 h, before the plan does.', short: true });
    assert.deepEqual(coverageText(52 * 60, 49 * 60), { text: 'This trace covers 52 h; this plan needs 49 h.', short: false });
    assert.equal(coverageText(45, 61).text, 'This trace covers 45 min; this plan needs 1 h: the replay ends at 45 min, before the plan does.');
  });

  it('measures a trace from its first reading, or from the replay\'s minute 0, to its last', () => {
    const series = new Map([
      ['error_rate', { metric: 'error_rate', times: Float64Array.from([0, 60_000, 120 * 60_000]), values: Float64Array.from([0, 0, 0]) }],
      ['latency_p95_ms', { metric: 'latency_p95_ms', times: Float64Array.from([30 * 60_000, 150 * 60_000]), values: Float64Array.from([1, 1]) }],
    ]);
    assert.equal(traceSpanMinutes({ series }), 150);
    assert.equal(traceSpanMinutes({ series }, 60 * 60_000), 90);
    assert.equal(traceSpanMinutes({ series: new Map() }), 0);
  });

  it('writes a custom fault in the CLI\'s --fault syntax, with its start minute, and reads it back', () => {
    assert.equal(customFault(' error_rate=+2 ', '90'), 'error_rate=+2@90');
    assert.equal(customFault('latency_p95_ms=x3', ''), 'latency_p95_ms=x3');
    assert.equal(customFault('latency_p95_ms=x3@5', '30'), 'latency_p95_ms=x3@30');
    assert.equal(customFault('', '30'), '');
    assert.deepEqual(splitFault('error_rate=+2@90'), ['error_rate=+2', '90']);
    assert.deepEqual(splitFault('error_rate=+2'), ['error_rate=+2', '']);
  });
});
