import { InputError } from '../errors';
import { parseJsonText } from '../json';
import { RolloutPlanSchema, type RolloutPlan } from '../plan/schema';
import { describeZodError } from '../policy/load';

/** A saved plan (`plan --json` output, or hand-written): JSON checked against the plan schema, errors naming file, line or field. */
export function parsePlanText(text: string, file: string): RolloutPlan {
  const json = parseJsonText(text, file, 'a rollout plan in JSON, as the plan command writes it');
  const parsed = RolloutPlanSchema.safeParse(json);
  if (!parsed.success) throw new InputError(describeZodError(file, parsed.error), { file, field: parsed.error.issues[0].path.join('.') });
  // A plan without a single step has no rollout to simulate at all: the file is unusable, not a plan that halts.
  if (!parsed.data.stages.some((st) => st.required && st.steps.length > 0)) {
    throw new InputError(`${file}: field "stages": no required stage has a step (expected at least one step with trafficPercent and waitHours, as the plan's JSON output has)`, { file, field: 'stages' });
  }
  return parsed.data;
}
