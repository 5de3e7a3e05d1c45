/**
 * The what-if form's values read back from what the user typed: each field checked as the policy
 * checks it, each problem worded with the field's label, so the form can show it beside the field.
 * Pure: no DOM, so the rules are tested on their own and the form only shows what they say.
 */
import type { WhatIf } from '../src/protocol/messages';
import { MAX_ROLLOUT_HOURS, MAX_STEP_WAIT_HOURS } from '../src/protocol/plan';

export interface GateFields {
  metric: string;
  /** e.g. "Error rate" */
  label: string;
  direction: 'above' | 'below';
  warning: string;
  critical: string;
}

export interface StepFields {
  trafficPercent: string;
  min: string;
  max: string;
}

/** Which field a problem is about: `gate:<metric>:warning|critical` or `step:<index>:traffic|min|max`. */
export type FieldKey = string;

export interface FieldProblem {
  key: FieldKey;
  /** One line that names the field: "Step 2 maximum wait: expected at least the minimum (4 h), got 2". */
  message: string;
}

export type ReadResult = { ok: true; whatIf: Required<WhatIf> } | { ok: false; problems: FieldProblem[] };

export const gateKey = (metric: string, which: 'warning' | 'critical'): FieldKey => `gate:${metric}:${which}`;
export const stepKey = (index: number, which: 'traffic' | 'min' | 'max'): FieldKey => `step:${index}:${which}`;

/** The form's shape: the same metrics and the same number of steps keep the fields where they are. */
export function formShape(whatIf: Required<WhatIf>): string {
  return JSON.stringify([Object.keys(whatIf.gates), whatIf.steps.length]);
}

/** A number as typed: "", "-" or "1e" are not numbers yet. */
function number(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** ', got "abc"'; nothing for an empty field (a number field reports a partial "2." as empty too). */
function got(text: string): string {
  return text.trim() === '' ? '' : `, got "${text.trim()}"`;
}

export function readWhatIf(gates: readonly GateFields[], steps: readonly StepFields[]): ReadResult {
  const problems: FieldProblem[] = [];
  const out: Required<WhatIf> = { gates: {}, steps: [] };
  for (const g of gates) {
    const warning = number(g.warning);
    const critical = number(g.critical);
    if (warning === undefined) problems.push({ key: gateKey(g.metric, 'warning'), message: `${g.label} warning: expected a number${got(g.warning)}` });
    if (critical === undefined) problems.push({ key: gateKey(g.metric, 'critical'), message: `${g.label} critical: expected a number${got(g.critical)}` });
    if (warning === undefined || critical === undefined) continue;
    const beyond = g.direction === 'above' ? critical >= warning : critical <= warning;
    if (!beyond) {
      const rel = g.direction === 'above' ? 'at least' : 'at most';
      problems.push({ key: gateKey(g.metric, 'critical'), message: `${g.label} critical: expected ${rel} the warning threshold (${warning}), got ${critical}` });
      continue;
    }
    out.gates[g.metric] = { warning, critical };
  }
  let total = 0;
  steps.forEach((s, i) => {
    const name = `Step ${i + 1}`;
    const traffic = number(s.trafficPercent);
    const min = number(s.min);
    const max = number(s.max);
    let ok = true;
    if (traffic === undefined || traffic < 0 || traffic > 100) {
      problems.push({ key: stepKey(i, 'traffic'), message: `${name} traffic: expected a percentage from 0 to 100, got "${s.trafficPercent.trim()}"` });
      ok = false;
    }
    for (const [which, value, text, word] of [['min', min, s.min, 'minimum'], ['max', max, s.max, 'maximum']] as const) {
      if (value === undefined || value < 0 || value > MAX_STEP_WAIT_HOURS) {
        problems.push({ key: stepKey(i, which), message: `${name} ${word} wait: expected hours from 0 to ${MAX_STEP_WAIT_HOURS}${got(text)}` });
        ok = false;
      }
    }
    if (ok && max! < min!) {
      problems.push({ key: stepKey(i, 'max'), message: `${name} maximum wait: expected at least the minimum (${min} h), got ${max}` });
      ok = false;
    }
    if (!ok) return;
    total += max!;
    out.steps.push({ trafficPercent: traffic!, waitHours: { min: min!, max: max! } });
  });
  if (!problems.length && total > MAX_ROLLOUT_HOURS && steps.length) {
    problems.push({ key: stepKey(steps.length - 1, 'max'), message: `Maximum waits: expected at most ${MAX_ROLLOUT_HOURS} h in all, got ${total} h` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, whatIf: out };
}
