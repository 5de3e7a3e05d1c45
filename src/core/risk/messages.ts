/** The sentences findings carry: what the change does, in a developer's words, and a short lens label. */
import type { ContentRuleId, RuleHit } from './rules';
import { inGroup } from '../catalog';
import { ECOSYSTEMS } from './rules/data-writes';

export type Verb = 'changes' | 'removes';

/** The wording family of a content rule: each ecosystem's writes read as data writes, library settings as auth. */
type Family = 'auth' | 'payment' | 'data-write' | 'middleware' | 'api';
function family(rule: ContentRuleId): Family {
  if (inGroup(rule, 'data')) return 'data-write';
  if (rule === 'auth-settings') return 'auth';
  return rule as Family;
}

const NOUN: Record<Family, string> = {
  auth: 'authentication',
  payment: 'payment processing',
  'data-write': 'data writes',
  middleware: 'middleware',
  api: 'the API',
};
const SHORT: Record<Family, string> = {
  auth: 'auth',
  payment: 'payments',
  'data-write': 'data write',
  middleware: 'middleware',
  api: 'API change',
};
const WHY: Record<Family, string> = {
  auth: 'a mistake locks users out or lets the wrong ones in',
  payment: 'a mistake charges customers wrongly',
  'data-write': 'a bug here corrupts stored records',
  middleware: 'every request passes through it',
  api: 'clients depend on its contract',
};

export interface Text {
  message: string;
  short: string;
}

/** A line that matched a rule by its own content. `category` refines auth: "credentials", "session handling"… */
export function hitText(hit: RuleHit, verb: Verb, category?: string): Text {
  const term = `\`${hit.term}\``;
  const f = family(hit.rule);
  if (hit.rule === 'auth-settings') return { message: `${verb} the settings of an authentication library (${term}): ${WHY.auth}`, short: 'auth settings' };
  const noun = f === 'auth' && category ? category : NOUN[f];
  const short = f === 'auth' && category && category !== 'authentication' ? category : SHORT[f];
  if (f === 'data-write') {
    const through = ECOSYSTEMS.find((e) => e.id === hit.rule);
    const what = through ? `${through.name}: ${term}` : term;
    return { message: verb === 'removes' ? `stops a database write (${what}): check nothing still reads what it wrote` : `writes to the database (${what}): ${WHY[f]}`, short };
  }
  if (f === 'api') return { message: `${verb} an API route or contract (${term}): ${WHY.api}`, short };
  return { message: `${verb} ${noun} code (${term}): ${WHY[f]}`, short };
}

/** A line inside a function whose name puts it in a rule's context. */
export function functionContextText(hit: RuleHit, fn: string, verb: Verb, category?: string): Text {
  const f = family(hit.rule);
  const noun = f === 'auth' && category ? category : NOUN[f];
  return { message: `${verb} \`${fn}\`, which is ${noun} code: ${WHY[f]}`, short: SHORT[f] };
}

/** A line in a file whose path puts it in a rule's context (`src/auth/…`, `routes/…`). */
export function pathContextText(hit: RuleHit, verb: Verb, category?: string): Text {
  const f = family(hit.rule);
  const noun = f === 'auth' && category ? category : NOUN[f];
  return { message: `${verb} ${noun} code (its path mentions "${hit.term}"): ${WHY[f]}`, short: SHORT[f] };
}

export function appChangeText(verb: Verb): Text {
  return verb === 'removes'
    ? { message: 'removes application code that runs in production: ship it to a canary first', short: 'app change' }
    : { message: 'changes application behaviour in production: ship it to a canary first', short: 'app change' };
}

const WRAPPED: Record<Family, string> = {
  auth: 'authentication code',
  payment: 'payment processing code',
  'data-write': 'database writes',
  middleware: 'middleware',
  api: 'API code',
};

/** Existing lines a new guard switches off, since its flag ships OFF. */
export function wrapText(rule: ContentRuleId | undefined, category: string | undefined, first: string, count: number, flag: string): Text {
  const noun = rule === 'auth' && category && category !== 'authentication' ? `${category} code` : rule ? WRAPPED[family(rule)] : 'code';
  const shown = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  const more = count > 1 ? ` and ${count - 1} more line${count > 2 ? 's' : ''}` : '';
  return {
    message: `puts existing ${noun} (\`${shown}\`${more}) behind flag \`${flag}\`, which is OFF: deploying this turns that code off`,
    short: `turns off existing code (flag ${flag})`,
  };
}
