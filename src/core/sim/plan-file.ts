import { InputError } from '../errors';
import { parseJsonText } from '../json';
import { RolloutPlanSchema, type RolloutPlan } from '../plan/schema';
import { describeZodError } from '../policy/load';

/** A saved plan (`plan --json` output, or hand-written): JSON checked against the plan schema, errors naming file, line or field. */
export function parsePlanText(text: string, file: string): RolloutPlan {
  const json = parseJsonText(text, file, 'a rollout plan as written by `plan --json`');
  const parsed = RolloutPlanSchema.safeParse(json);
  if (!parsed.success) throw new InputError(describeZodError(file, parsed.error), { file, field: parsed.error.issues[0].path.join('.') });
  return parsed.data;
}
