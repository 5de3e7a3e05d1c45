import assert from 'node:assert/strict';
import { isInputError } from '../../../src/core/errors';
import { parsePolicy } from '../../../src/core/policy/load';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { applyWhatIf, changedKeys, mergeWhatIfIntoPolicyText } from '../../../src/extension/whatIf';
import { whatIfChanges } from '../../../src/protocol/whatIf';

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
  it('"Save to policy" lists and writes only the values that differ from the saved policy, and leaves the rest of the file as it was', () => {
    const saved = {
      gates: { error_rate: { warning: 0.2, critical: 0.5 }, latency_p95_ms: { warning: 300, critical: 500 } },
      steps: [
        { trafficPercent: 5, waitHours: { min: 1, max: 2 } },
        { trafficPercent: 100, waitHours: { min: 24, max: 24 } },
      ],
    };
    // The form's edit: only error_rate's critical threshold moved.
    const edited = structuredClone(saved);
    edited.gates.error_rate.critical = 0.9;
    const changes = whatIfChanges(saved, edited);
    assert.deepEqual(changedKeys('HIGH', changes, saved), ['gates.error_rate.critical = 0.9']);
    const before = '{\n  "timezone": "Europe/Berlin",\n  "gates": {\n    "latency_p95_ms": { "action": "page" },\n    "error_rate": { "action": "page the team" }\n  },\n  "holidays": ["2026-12-24"]\n}\n';
    const doc = JSON.parse(mergeWhatIfIntoPolicyText(before, '.rollout-lens.json', 'HIGH', changes, saved));
    assert.deepEqual(doc, { timezone: 'Europe/Berlin', gates: { latency_p95_ms: { action: 'page' }, error_rate: { action: 'page the team', critical: 0.9 } }, holidays: ['2026-12-24'] });
    assert.deepEqual(Object.keys(doc), ['timezone', 'gates', 'holidays'], 'the other keys keep their order');
    assert.deepEqual(Object.keys(doc.gates), ['latency_p95_ms', 'error_rate']);

    // Steps changed too: the tier's steps are listed and written, the unchanged warning is not.
    edited.steps[0].trafficPercent = 10;
    const both = whatIfChanges(saved, edited);
    assert.deepEqual(changedKeys('HIGH', both, saved), ['gates.error_rate.critical = 0.9', 'rollout.HIGH.steps = 10% for 1–2 h, 100% for 24–24 h']);
    const written = JSON.parse(mergeWhatIfIntoPolicyText(undefined, '.rollout-lens.json', 'HIGH', both, saved));
    assert.deepEqual(written, { gates: { error_rate: { critical: 0.9 } }, rollout: { HIGH: { steps: edited.steps } } });

    // Back to the saved values: nothing to list, nothing written.
    assert.deepEqual(changedKeys('HIGH', whatIfChanges(saved, structuredClone(saved)), saved), []);
    assert.deepEqual(changedKeys('HIGH', { gates: { error_rate: { warning: 0.2, critical: 0.5 } } }, saved), []);
  });
});
