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

type Thresholds = { warning?: number; critical?: number };

/**
 * The policy fields a what-if sets: gate thresholds per metric, the tier's traffic steps. Given what
 * the saved policy gives, only the thresholds that differ from it are set.
 */
function patchFor(tier: Tier, whatIf: WhatIf, saved?: Required<WhatIf>): { gates: Record<string, Thresholds>; steps?: WhatIf['steps'] } {
  const gates: Record<string, Thresholds> = keyed<Thresholds>(undefined);
  for (const [metric, t] of Object.entries(whatIf.gates)) {
    const before = saved && Object.hasOwn(saved.gates, metric) ? saved.gates[metric] : undefined;
    const fields: Thresholds = {};
    if (before?.warning !== t.warning) fields.warning = t.warning;
    if (before?.critical !== t.critical) fields.critical = t.critical;
    if (Object.keys(fields).length) gates[metric] = fields;
  }
  const steps = whatIf.steps && tier !== 'ZERO' && (!saved || JSON.stringify(whatIf.steps) !== JSON.stringify(saved.steps)) ? whatIf.steps : undefined;
  return { gates, steps };
}

/** Metric names are the user's: copies keyed by them have no prototype, so `constructor` is just a name. */
function keyed<T>(from: object | undefined): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from);
}

/** The policy keys a what-if writes (those that differ from `saved`), with their new values: "gates.error_rate.critical = 5". */
export function changedKeys(tier: Tier, whatIf: WhatIf, saved?: Required<WhatIf>): string[] {
  const patch = patchFor(tier, whatIf, saved);
  const keys = Object.entries(patch.gates).flatMap(([metric, t]) => Object.entries(t).map(([field, v]) => `gates.${metric}.${field} = ${v}`));
  if (patch.steps) keys.push(`rollout.${tier}.steps = ${patch.steps.map((s) => `${s.trafficPercent}% for ${s.waitHours.min}–${s.waitHours.max} h`).join(', ')}`);
  return keys;
}

export function applyWhatIf(policy: Policy, tier: Tier, whatIf: WhatIf | undefined): Policy {
  if (!whatIf) return policy;
  const patch = patchFor(tier, whatIf);
  const gates = keyed<Policy['gates'][string]>(policy.gates);
  for (const [metric, t] of Object.entries(patch.gates)) gates[metric] = { ...(Object.hasOwn(gates, metric) ? gates[metric] : {}), ...t } as Policy['gates'][string];
  const rollout = patch.steps ? { ...policy.rollout, [tier]: { steps: patch.steps } } : policy.rollout;
  return { ...policy, gates, rollout };
}

/**
 * Merges a what-if into the text of an existing policy file (or none), keeping every other
 * field as it was; given what the saved policy gives, only the values that differ from it are
 * written. Returns the new file text, two-space indented like the file VS Code writes.
 */
export function mergeWhatIfIntoPolicyText(text: string | undefined, file: string, tier: Tier, whatIf: WhatIf, saved?: Required<WhatIf>): string {
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
  const patch = patchFor(tier, whatIf, saved);
  const gates = keyed<unknown>(isObject(doc.gates) ? doc.gates : undefined);
  for (const [metric, t] of Object.entries(patch.gates)) {
    const before = Object.hasOwn(gates, metric) && isObject(gates[metric]) ? gates[metric] : undefined;
    gates[metric] = Object.assign(keyed<unknown>(before), t);
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
