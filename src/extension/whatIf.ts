/**
 * The what-if edits of the view, applied to a policy. The same mapping serves the live
 * re-simulation (in memory) and "Save to policy" (merged into `.rollout-lens.json`), so what is
 * saved is exactly what was simulated.
 */
import { InputError } from '../core/errors';
import { parseJsonText } from '../core/json';
import type { Policy } from '../core/policy/schema';
import type { Tier } from '../core/tier';
import type { WhatIf } from '../protocol/messages';

/** The policy fields a what-if sets: gate thresholds per metric, the tier's traffic steps. */
function patchFor(tier: Tier, whatIf: WhatIf): { gates: Record<string, { warning: number; critical: number }>; steps?: WhatIf['steps'] } {
  return { gates: whatIf.gates, steps: whatIf.steps && tier !== 'ZERO' ? whatIf.steps : undefined };
}

/** Metric names are the user's: copies keyed by them have no prototype, so `constructor` is just a name. */
function keyed<T>(from: object | undefined): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from);
}

export function applyWhatIf(policy: Policy, tier: Tier, whatIf: WhatIf | undefined): Policy {
  if (!whatIf) return policy;
  const patch = patchFor(tier, whatIf);
  const gates = keyed<Policy['gates'][string]>(policy.gates);
  for (const [metric, t] of Object.entries(patch.gates)) gates[metric] = { ...(Object.hasOwn(gates, metric) ? gates[metric] : {}), warning: t.warning, critical: t.critical };
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
  // Every object here is keyed by the file's own names: no prototype, so no name is special.
  let doc = keyed<unknown>(undefined);
  // A byte order mark the editor wrote stays: the file keeps its encoding.
  const bom = text?.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  if (text !== undefined && text.trim() !== '' && text !== bom) {
    let parsed: unknown;
    try {
      parsed = parseJsonText(text, file, 'a Rollout Lens policy object');
    } catch (e) {
      throw new InputError(`${(e as Error).message}; fix it before saving thresholds into it`, { file });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError(`${file}: expected a JSON object at the top level`, { file });
    doc = keyed<unknown>(parsed);
  }
  const patch = patchFor(tier, whatIf);
  const gates = keyed<unknown>(isObject(doc.gates) ? doc.gates : undefined);
  for (const [metric, t] of Object.entries(patch.gates)) {
    const before = Object.hasOwn(gates, metric) && isObject(gates[metric]) ? gates[metric] : undefined;
    gates[metric] = Object.assign(keyed<unknown>(before), { warning: t.warning, critical: t.critical });
  }
  if (Object.keys(patch.gates).length) doc.gates = gates;
  if (patch.steps) {
    const rollout = keyed<unknown>(isObject(doc.rollout) ? doc.rollout : undefined);
    const before = Object.hasOwn(rollout, tier) && isObject(rollout[tier]) ? rollout[tier] : undefined;
    rollout[tier] = Object.assign(keyed<unknown>(before), { steps: patch.steps });
    doc.rollout = rollout;
  }
  return bom + JSON.stringify(doc, null, 2) + '\n';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
