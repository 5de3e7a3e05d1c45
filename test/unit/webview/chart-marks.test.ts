/** What the Simulate tab's charts mark on their time axis: stage starts, the rollback and the hold. */
import { strict as assert } from 'node:assert';
import { buildPlan } from '../../../src/core/plan';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { simulateScenario } from '../../../src/core/sim';
import type { SimulationResult } from '../../../src/protocol/messages';
import { chartMarks } from '../../../webview/chartMarks';

const plan = buildPlan(
  { tier: 'HIGH', files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] },
  DEFAULT_POLICY,
  { start: new Date('2026-03-10T10:00:00Z'), timezone: 'UTC' },
);

describe('webview: the marks on the Simulate tab\'s charts', () => {
  it('marks the hold as "held" on the chart of the metric it waits on only', () => {
    const r = simulateScenario(plan, 'no-data', 1);
    assert.equal(r.outcome, 'halted');
    assert.deepEqual(r.hold?.metrics, ['error_rate']);
    assert.deepEqual(chartMarks(r, 'error_rate').held, [{ minute: r.hold!.minute, label: 'held' }]);
    for (const s of r.series.filter((x) => x.metric !== 'error_rate')) assert.deepEqual(chartMarks(r, s.metric).held, [], `${s.metric} is not what the hold waits on`);
    assert.equal(chartMarks(r, 'error_rate').rollbackMinute, undefined);
  });

  it('marks a hold that waits on no metric on every chart', () => {
    const r = simulateScenario(plan, 'no-data', 1);
    const noMetric: SimulationResult = { ...r, hold: { ...r.hold!, kind: 'criterion', metrics: [] } };
    for (const s of r.series) assert.deepEqual(chartMarks(noMetric, s.metric).held, [{ minute: r.hold!.minute, label: 'held' }]);
  });

  it('marks a rollback, and no hold, on a run that rolled back', () => {
    const r = simulateScenario(plan, 'error-spike', 1);
    assert.equal(r.outcome, 'rolled_back');
    const m = chartMarks(r, r.series[0].metric);
    assert.equal(m.rollbackMinute, r.rollback!.minute);
    assert.deepEqual(m.held, []);
    // One marker per stage start that was reached; stages sharing a minute share it.
    const reached = r.stages.filter((s) => s.decision !== 'skipped' && s.decision !== 'not_reached');
    assert.deepEqual(m.stages.map((s) => s.minute), [...new Set(reached.map((s) => s.startMinute))]);
    for (const mark of m.stages) {
      const at = reached.filter((s) => s.startMinute === mark.minute);
      assert.equal(mark.short, at.map((s) => s.number).join(', '));
      assert.equal(mark.label, `${mark.short} ${at[at.length - 1].name}`);
    }
  });
});
