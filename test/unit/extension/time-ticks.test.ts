import assert from 'node:assert/strict';
import { formatMinutes, timeTicks } from '../../../webview/format';

describe('webview: chart time axis', () => {
  it('puts ticks on whole, readable steps, minute 0 among them', () => {
    assert.deepEqual(timeTicks(-60, 91), [-60, -30, 0, 30, 60, 90]);
    assert.deepEqual(timeTicks(-60, 2940).map(formatMinutes), ['0 min', '8 h', '16 h', '1 d', '1 d 8 h', '1 d 16 h', '2 d']);
  });

  it('never more than 8 steps along the axis (9 ticks), however long the rollout', () => {
    for (const span of [10, 95, 600, 3000, 14 * 1440, 90 * 1440]) {
      const ticks = timeTicks(0, span);
      assert.ok(ticks.length >= 2 && ticks.length <= 9, `${span} min: ${ticks.length} ticks`);
      const step = ticks[1] - ticks[0];
      assert.ok(ticks.every((t) => t % step === 0), `${span} min: ticks on multiples of ${step}`);
    }
  });
});
