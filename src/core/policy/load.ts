import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors';
import { parseJsonText } from '../json';
import { DEFAULT_POLICY, Policy, PolicySchema } from './schema';

export const POLICY_FILE = '.rollout-lens.json';

/** Turns a zod error into one line naming the file, the field and what was expected. */
export function describeZodError(file: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  let expected = issue.message;
  if (issue.code === 'unrecognized_keys') {
    return `${file}: unknown field ${issue.keys.map((k) => `"${[...issue.path.map(String), k].join('.')}"`).join(', ')} (check its spelling)`;
  }
  if (issue.code === 'invalid_type') expected = `expected ${issue.expected}`;
  return `${file}: field "${field}": ${expected}`;
}

/** Parses policy text; throws InputError naming the file and the field. */
export function parsePolicy(text: string, file: string): Policy {
  const json = parseJsonText(text, file, 'a Rollout Lens policy object');
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) throw new InputError(describeZodError(file, parsed.error), { file });
  return parsed.data;
}

/**
 * Loads the policy: an explicit file (must exist), else `.rollout-lens.json` in the repository
 * root when present, else the seed's defaults.
 */
export async function loadPolicy(opts: { configFile?: string; repoRoot?: string }): Promise<{ policy: Policy; file?: string }> {
  const explicit = opts.configFile !== undefined;
  const file = opts.configFile ?? (opts.repoRoot ? path.join(opts.repoRoot, POLICY_FILE) : undefined);
  if (!file) return { policy: DEFAULT_POLICY };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (!explicit && (e as NodeJS.ErrnoException).code === 'ENOENT') return { policy: DEFAULT_POLICY };
    throw new InputError(`${file}: cannot read the policy file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
  return { policy: parsePolicy(text, file), file };
}

/** The JSON Schema VS Code uses for completion in `.rollout-lens.json`, generated from the zod schema. */
export function policyJsonSchema(): object {
  return z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' });
}
