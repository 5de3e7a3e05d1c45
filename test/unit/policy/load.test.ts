/** `.rollout-lens.json`: what a person who mistypes it reads, and what the editor completes it from. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isInputError } from '../../../src/core/errors';
import { loadPolicy, parsePolicy, policyJsonSchema } from '../../../src/core/policy/load';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';

function problem(text: string): string {
  try {
    parsePolicy(text, '.rollout-lens.json');
  } catch (e) {
    assert.ok(isInputError(e), `an InputError, not ${String(e)}`);
    assert.doesNotMatch(e.message, /\n/, 'one line');
    return e.message;
  }
  assert.fail('the policy was accepted');
}

describe('policy file', () => {
  it('names every problem at once, a misspelt field first, in one line', () => {
    const msg = problem(JSON.stringify({ tiers: [{ glob: 'x/**', tier: 'SUPER' }], flgas: {}, gates: { error_rate: { warning: 'high' } } }));
    assert.equal(
      msg,
      '.rollout-lens.json: unknown field "flgas" (check its spelling); field "tiers.0.tier": Invalid option: expected one of "ZERO"|"LOW"|"MEDIUM"|"HIGH"; field "gates.error_rate.warning": expected number',
    );
  });

  it('says how many more problems there are past the first three', () => {
    const msg = problem(JSON.stringify({ holidays: ['a', 'b', 'c', 'd', 'e'] }));
    assert.match(msg, /field "holidays\.0": a date as YYYY-MM-DD; field "holidays\.1": .*; field "holidays\.2": .*; and 2 more problems$/);
  });

  it('points at the line of a JSON syntax error', () => {
    assert.match(problem('{\n  "timezone": "Europe/Berlin",\n  "flags": { "x": "on" ]\n}\n'), /^\.rollout-lens\.json:3: not valid JSON: /);
  });

  it('falls back to the seed\'s defaults when the repository has no policy file, but not when one was named', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-policy-'));
    try {
      assert.deepEqual((await loadPolicy({ repoRoot: dir })).policy, DEFAULT_POLICY);
      await assert.rejects(loadPolicy({ configFile: path.join(dir, 'missing.json') }), (e: Error) => isInputError(e) && /missing\.json: cannot read the policy file \(ENOENT\)/.test(e.message));
      writeFileSync(path.join(dir, '.rollout-lens.json'), JSON.stringify({ timezone: 'Europe/Berlin', flags: { 'new-checkout': 'on' } }));
      const { policy, file } = await loadPolicy({ repoRoot: dir });
      assert.equal(file, path.join(dir, '.rollout-lens.json'));
      assert.equal(policy.timezone, 'Europe/Berlin');
      assert.deepEqual({ ...policy.flags }, { 'new-checkout': 'on' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the editor a JSON Schema generated from the same schema: unknown fields refused, tiers enumerated', () => {
    const schema = policyJsonSchema() as { additionalProperties?: boolean; properties: Record<string, { items?: { properties?: Record<string, { enum?: string[] }> } }> };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.properties.tiers.items?.properties?.tier.enum, ['ZERO', 'LOW', 'MEDIUM', 'HIGH']);
    for (const key of ['tiers', 'keywords', 'ignore', 'flags', 'flagFunctions', 'timezone', 'holidays', 'peakWindows', 'timing', 'rollout', 'gates', 'prometheus']) {
      assert.ok(key in schema.properties, `the schema completes "${key}"`);
    }
  });
});
