import { strict as assert } from 'node:assert';
import { isInputError } from '../../../src/core/errors';
import { MAX_POINTS_PER_QUERY, parseDuration, rangeChunks, shortDuration } from '../../../src/core/prometheus';

describe('prometheus: durations and query chunks', () => {
  it('reads Prometheus durations for --step and writes them back', () => {
    assert.equal(parseDuration('15s', '--step'), 15_000);
    assert.equal(parseDuration('1m', '--step'), 60_000);
    assert.equal(parseDuration('1h30m', '--step'), 5_400_000);
    assert.equal(shortDuration(5_400_000), '1h30m');
    assert.equal(shortDuration(15_000), '15s');
  });

  it('refuses what is not a Prometheus duration, or a step below a second, naming the flag', () => {
    for (const bad of ['', '15', '1.5m', 'm', '30m1h', '500ms', '2d']) {
      assert.throws(() => parseDuration(bad, '--step'), (e: unknown) => isInputError(e) && /^--step: expected a Prometheus duration/.test(e.message), bad);
    }
  });

  it('splits a 49 h range at 15 s into queries of at most 11,000 points that join into the one grid', () => {
    const start = Date.UTC(2026, 2, 9);
    const step = 15_000;
    const end = start + 49 * 3_600_000 - step;
    const chunks = rangeChunks(start, end, step);
    assert.equal(chunks.length, 2);
    let expected = start;
    for (const c of chunks) {
      assert.equal(c.startMs, expected);
      assert.ok((c.endMs - c.startMs) / step + 1 <= MAX_POINTS_PER_QUERY);
      expected = c.endMs + step;
    }
    assert.equal(chunks.at(-1)!.endMs, end);
    assert.deepEqual(rangeChunks(start, start, step), [{ startMs: start, endMs: start }]);
  });
});
