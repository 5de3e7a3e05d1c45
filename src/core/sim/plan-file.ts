import { InputError } from '../errors';
import { RolloutPlanSchema, type RolloutPlan } from '../plan/schema';
import { describeZodError } from '../policy/load';

/** A saved plan (`plan --json` output, or hand-written): JSON checked against the plan schema, errors naming file, line or field. */
export function parsePlanText(text: string, file: string): RolloutPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new InputError(`${file}${line ? `:${line}` : ''}: not valid JSON (expected a rollout plan as written by \`plan --json\`)`, { file, line });
  }
  const parsed = RolloutPlanSchema.safeParse(json);
  if (!parsed.success) throw new InputError(describeZodError(file, parsed.error), { file, field: parsed.error.issues[0].path.join('.') });
  return parsed.data;
}
