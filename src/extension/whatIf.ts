/**
 * The what-if edits of the view, applied to a policy. The same mapping serves the live
 * re-simulation (in memory) and "Save to policy" (merged into `.rollout-lens.json`), so what is
 * saved is exactly what was simulated.
 */
import { InputError } from '../core/errors';
import type { Policy } from '../core/policy/schema';
import type { Tier } from '../core/tier';
import type { WhatIf } from '../protocol/messages';

/** The policy fields a what-if sets: gate thresholds per metric, the tier's traffic steps. */
function patchFor(tier: Tier, whatIf: WhatIf): { gates: Record<string, { warning: number; critical: number }>; steps?: WhatIf['steps'] } {
  return { gates: whatIf.gates, steps: whatIf.steps && tier !== 'ZERO' ? whatIf.steps : undefined };
}

export function applyWhatIf(policy: Policy, tier: Tier, whatIf: WhatIf | undefined): Policy {
  if (!whatIf) return policy;
  const patch = patchFor(tier, whatIf);
  const gates = { ...policy.gates };
  for (const [metric, t] of Object.entries(patch.gates)) gates[metric] = { ...gates[metric], warning: t.warning, critical: t.critical };
  const rollout = patch.steps ? { ...policy.rollout, [tier]: { steps: patch.steps } } : policy.rollout;
  return { ...policy, gates, rollout };
}

/**
 * Merges a what-if into the text of an existing policy file (or none), keeping every other
 * field as it was. Returns the new file text, two-space indented like the file VS Code writes.
 */
export function mergeWhatIfIntoPolicyText(text: string | undefined, file: string, tier: Tier, whatIf: WhatIf): string {
  // A new file gets no `$schema`: the extension's jsonValidation already applies to `.rollout-lens.json`,
  // and a path into this machine's extension folder would not hold on a teammate's machine.
  let doc: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new InputError(`${file}: not valid JSON (${(e as Error).message}); fix it before saving thresholds into it`, { file });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError(`${file}: expected a JSON object at the top level`, { file });
    doc = parsed as Record<string, unknown>;
  }
  const patch = patchFor(tier, whatIf);
  const gates = isObject(doc.gates) ? { ...doc.gates } : {};
  for (const [metric, t] of Object.entries(patch.gates)) {
    const before = isObject(gates[metric]) ? (gates[metric] as Record<string, unknown>) : {};
    gates[metric] = { ...before, warning: t.warning, critical: t.critical };
  }
  if (Object.keys(patch.gates).length) doc.gates = gates;
  if (patch.steps) {
    const rollout = isObject(doc.rollout) ? { ...doc.rollout } : {};
    rollout[tier] = { ...(isObject(rollout[tier]) ? (rollout[tier] as object) : {}), steps: patch.steps };
    doc.rollout = rollout;
  }
  return JSON.stringify(doc, null, 2) + '\n';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
