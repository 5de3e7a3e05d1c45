import { z } from 'zod';
import { InputError } from '../errors';
import { parseJsonText } from '../json';
import { readNamedPolicy, readRepositoryPolicy } from './file';
import { DEFAULT_POLICY, Policy, PolicySchema } from './schema';

export { POLICY_FILE } from './file';

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

/**
 * `__proto__` cannot be a key of a JavaScript object built by assignment (it sets the prototype
 * instead), and the schema would drop it silently: it is refused by name, wherever it is.
 */
function refuseProtoKeys(json: unknown, file: string): void {
  interface Node {
    value: unknown;
    key?: string;
    parent?: Node;
  }
  const pending: Node[] = [{ value: json }];
  while (pending.length) {
    const node = pending.pop()!;
    const { value } = node;
    if (!value || typeof value !== 'object') continue;
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) {
      const path = ['__proto__'];
      for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.unshift(n.key);
      const field = path.join('.');
      throw new InputError(`${file}: field "${field}": "__proto__" cannot be used as a name (expected any other key)`, { file, field });
    }
    for (const [key, v] of Object.entries(value)) if (v && typeof v === 'object') pending.push({ value: v, key, parent: node });
  }
}

/** Parses policy text; throws InputError naming the file and the field. */
export function parsePolicy(text: string, file: string): Policy {
  const json = parseJsonText(text, file, 'a Rollout Lens policy object');
  refuseProtoKeys(json, file);
  const parsed = PolicySchema.safeParse(json);
  if (!parsed.success) throw new InputError(describeZodError(file, parsed.error), { file });
  return parsed.data;
}

/**
 * Loads the policy: an explicit file (must exist), else `.rollout-lens.json` in the repository
 * root when present, else the seed's defaults. Both go through ./file, which reads only regular
 * files (and in the repository, never through a link).
 */
export async function loadPolicy(opts: { configFile?: string; repoRoot?: string }): Promise<{ policy: Policy; file?: string }> {
  const found = opts.configFile !== undefined ? await readNamedPolicy(opts.configFile) : opts.repoRoot ? await readRepositoryPolicy(opts.repoRoot) : undefined;
  if (!found) return { policy: DEFAULT_POLICY };
  return { policy: parsePolicy(found.text, found.file), file: found.file };
}

/** The JSON Schema VS Code uses for completion in `.rollout-lens.json`, generated from the zod schema. */
export function policyJsonSchema(): object {
  return z.toJSONSchema(PolicySchema, { io: 'input', unrepresentable: 'any' });
}
