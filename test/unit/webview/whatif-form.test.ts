/** The what-if form's rules: what a half-typed or wrong value reads as, with the field it is about. */
import { strict as assert } from 'node:assert';
import { formShape, gateKey, readWhatIf, stepKey } from '../../../webview/whatIfForm';
import { whatIfChanges } from '../../../src/protocol/messages';

const errorRate = { metric: 'error_rate', label: 'Error rate', direction: 'above' as const };
const success = { metric: 'success_rate', label: 'Success rate', direction: 'below' as const };

describe('webview: what-if form values', () => {
  it('reads valid values, including a value typed digit by digit that is a number at each step', () => {
    for (const typed of ['5', '5.', '5.5']) {
      const r = readWhatIf([{ ...errorRate, warning: '0.2', critical: typed }], [{ trafficPercent: '10', min: '2', max: '4' }]);
      assert.ok(r.ok, typed);
      assert.deepEqual(r.whatIf, { gates: { error_rate: { warning: 0.2, critical: Number(typed) } }, steps: [{ trafficPercent: 10, waitHours: { min: 2, max: 4 } }] });
    }
  });

  it('names the field and what was expected: an empty value, a critical on the wrong side, a wait below its minimum', () => {
    const r = readWhatIf(
      [{ ...errorRate, warning: '', critical: '1' }, { ...success, warning: '99.5', critical: '99.9' }],
      [{ trafficPercent: '120', min: '4', max: '2' }],
    );
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((p) => [p.key, p.message]),
      [
        [gateKey('error_rate', 'warning'), 'Error rate warning: expected a number'],
        [gateKey('success_rate', 'critical'), 'Success rate critical: expected at most the warning threshold (99.5), got 99.9'],
        [stepKey(0, 'traffic'), 'Step 1 traffic: expected a percentage from 0 to 100, got "120"'],
      ],
    );
    const waits = readWhatIf([], [{ trafficPercent: '10', min: '4', max: '2' }]);
    assert.deepEqual(waits.ok ? [] : waits.problems.map((p) => p.message), ['Step 1 maximum wait: expected at least the minimum (4 h), got 2']);
  });

  it('keeps the form when only values change, and rebuilds it when the metrics or the steps change', () => {
    const a = { gates: { error_rate: { warning: 0.2, critical: 0.5 } }, steps: [{ trafficPercent: 10, waitHours: { min: 2, max: 4 } }] };
    const b = { gates: { error_rate: { warning: 1, critical: 5 } }, steps: [{ trafficPercent: 20, waitHours: { min: 1, max: 1 } }] };
    assert.equal(formShape(a), formShape(b));
    assert.notEqual(formShape(a), formShape({ ...a, steps: [...a.steps, ...a.steps] }));
    assert.notEqual(formShape(a), formShape({ ...a, gates: { latency_p99: { warning: 1, critical: 2 } } }));
  });

  it('sends only what differs from the saved policy, nothing when the values are the saved ones', () => {
    const saved = { gates: { error_rate: { warning: 0.2, critical: 0.5 }, latency_p99: { warning: 300, critical: 500 } }, steps: [{ trafficPercent: 10, waitHours: { min: 2, max: 4 } }] };
    assert.deepEqual(whatIfChanges(saved, structuredClone(saved)), { gates: {} });
    const edited = structuredClone(saved);
    edited.gates.error_rate.critical = 5;
    assert.deepEqual(whatIfChanges(saved, edited), { gates: { error_rate: { warning: 0.2, critical: 5 } } });
    edited.steps[0].waitHours.max = 6;
    assert.deepEqual(whatIfChanges(saved, edited).steps, edited.steps);
  });
});
