import assert from 'node:assert/strict';
import { isInputError } from '../../../src/core/errors';
import { parsePolicy } from '../../../src/core/policy/load';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { applyWhatIf, mergeWhatIfIntoPolicyText } from '../../../src/extension/whatIf';

const whatIf = {
  gates: { error_rate: { warning: 0.3, critical: 0.8 } },
  steps: [
    { trafficPercent: 10, waitHours: { min: 2, max: 4 } },
    { trafficPercent: 100, waitHours: { min: 24, max: 24 } },
  ],
};

describe('extension: what-if edits and "Save to policy"', () => {
  it('applies thresholds and the tier\'s steps to the policy used for the simulation', () => {
    const p = applyWhatIf(DEFAULT_POLICY, 'MEDIUM', whatIf);
    assert.deepEqual(p.gates.error_rate, { warning: 0.3, critical: 0.8 });
    assert.deepEqual(p.rollout.MEDIUM?.steps, whatIf.steps);
    assert.equal(p.rollout.HIGH, undefined);
    assert.equal(applyWhatIf(DEFAULT_POLICY, 'MEDIUM', undefined), DEFAULT_POLICY);
  });

  it('merges into the existing file and keeps every other field, and the result is a valid policy', () => {
    const before = JSON.stringify({ timezone: 'Europe/Berlin', holidays: ['2026-12-24'], gates: { error_rate: { action: 'page the team' }, latency_p95_ms: { warning: 250 } } }, null, 2);
    const text = mergeWhatIfIntoPolicyText(before, '.rollout-lens.json', 'MEDIUM', whatIf);
    const doc = JSON.parse(text);
    assert.equal(doc.timezone, 'Europe/Berlin');
    assert.deepEqual(doc.holidays, ['2026-12-24']);
    assert.deepEqual(doc.gates.error_rate, { action: 'page the team', warning: 0.3, critical: 0.8 });
    assert.deepEqual(doc.gates.latency_p95_ms, { warning: 250 });
    assert.deepEqual(doc.rollout.MEDIUM.steps, whatIf.steps);
    assert.equal(doc.$schema, undefined, 'an existing file gets no $schema it did not have');
    const policy = parsePolicy(text, '.rollout-lens.json');
    assert.equal(policy.gates.error_rate?.critical, 0.8);
  });

  it('creates a new file holding only what was saved, with no machine-specific $schema path', () => {
    const doc = JSON.parse(mergeWhatIfIntoPolicyText(undefined, '.rollout-lens.json', 'HIGH', { gates: { error_rate: { warning: 0.3, critical: 0.8 } } }));
    assert.deepEqual(doc, { gates: { error_rate: { warning: 0.3, critical: 0.8 } } });
  });

  it('refuses to overwrite a file that is not valid JSON, naming it', () => {
    assert.throws(
      () => mergeWhatIfIntoPolicyText('{ "timezone": ', '/repo/.rollout-lens.json', 'HIGH', whatIf),
      (e: unknown) => isInputError(e) && /\/repo\/\.rollout-lens\.json: not valid JSON/.test(e.message),
    );
  });
});
