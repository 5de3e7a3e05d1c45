/**
 * The what-if values of a plan, and what an edit changes: plain functions with no schema library,
 * so both the view and the engine use them.
 */
import type { RolloutPlan } from '../core/plan/schema';
import type { WhatIf } from './messages';

/** The thresholds and traffic steps a plan uses: the starting point of the what-if form, and what an edit is compared with. */
export function whatIfOfPlan(plan: RolloutPlan): Required<WhatIf> {
  const gates: Required<WhatIf>['gates'] = {};
  for (const st of plan.stages) for (const g of st.gates) gates[g.metric] ??= { warning: g.warning, critical: g.critical };
  const steps = plan.stages.filter((s) => s.number >= 3 && s.required).flatMap((s) => s.steps.map((x) => ({ trafficPercent: x.trafficPercent, waitHours: { ...x.waitHours } })));
  return { gates, steps };
}

/** Only what differs from `saved`: the gates whose thresholds changed, the steps if any step changed. */
export function whatIfChanges(saved: Required<WhatIf>, edited: Required<WhatIf>): WhatIf {
  const gates: WhatIf['gates'] = {};
  for (const [metric, t] of Object.entries(edited.gates)) {
    const before = Object.hasOwn(saved.gates, metric) ? saved.gates[metric] : undefined;
    if (!before || before.warning !== t.warning || before.critical !== t.critical) gates[metric] = t;
  }
  const stepsChanged = edited.steps.length > 0 && JSON.stringify(edited.steps) !== JSON.stringify(saved.steps);
  return stepsChanged ? { gates, steps: edited.steps } : { gates };
}
