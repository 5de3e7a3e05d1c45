import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors';
import { parseJsonText } from '../json';
import { DEFAULT_POLICY, Policy, PolicySchema } from './schema';

export const POLICY_FILE = '.rollout-lens.json';

/** One zod issue as "field "x.y": what was expected". */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field ${issue.keys.map((k) => `"${[...issue.path.map(String), k].join('.')}"`).join(', ')} (check its spelling)`;
  }
  const field = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  const expected = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
  return `field "${field}": ${expected}`;
}

/** Most problems a line names before it says how many more there are. */
const SHOWN_ISSUES = 3;

/**
 * Turns a zod error into one line naming the file, then each field and what was expected — every
 * problem at once (up to three), so fixing a file takes one round, not one per typo.
 */
export function describeZodError(file: string, error: z.ZodError): string {
  // A misspelt field first: it is the likeliest reason the others look wrong.
  const issues = [...error.issues.filter((i) => i.code === 'unrecognized_keys'), ...error.issues.filter((i) => i.code !== 'unrecognized_keys')];
  const shown = issues.slice(0, SHOWN_ISSUES).map(describeIssue);
  const more = error.issues.length - shown.length;
  return `${file}: ${shown.join('; ')}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}`;
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
