/** The sentences findings carry: what the change does, in a developer's words, and a short lens label. */
import type { ContentRuleId, RuleHit } from './rules';

export type Verb = 'changes' | 'removes';

const NOUN: Record<ContentRuleId, string> = {
  auth: 'authentication',
  payment: 'payment processing',
  'data-write': 'data writes',
  middleware: 'middleware',
  api: 'the API',
};
const SHORT: Record<ContentRuleId, string> = {
  auth: 'auth',
  payment: 'payments',
  'data-write': 'data write',
  middleware: 'middleware',
  api: 'API change',
};
const WHY: Record<ContentRuleId, string> = {
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
  const noun = hit.rule === 'auth' && category ? category : NOUN[hit.rule];
  const short = hit.rule === 'auth' && category && category !== 'authentication' ? category : SHORT[hit.rule];
  if (hit.rule === 'data-write') {
    return { message: verb === 'removes' ? `stops a database write (${term}): check nothing still reads what it wrote` : `writes to the database (${term}): ${WHY[hit.rule]}`, short };
  }
  if (hit.rule === 'api') return { message: `${verb} an API route or contract (${term}): ${WHY.api}`, short };
  return { message: `${verb} ${noun} code (${term}): ${WHY[hit.rule]}`, short };
}

/** A line inside a function whose name puts it in a rule's context. */
export function functionContextText(hit: RuleHit, fn: string, verb: Verb, category?: string): Text {
  const noun = hit.rule === 'auth' && category ? category : NOUN[hit.rule];
  return { message: `${verb} \`${fn}\`, which is ${noun} code: ${WHY[hit.rule]}`, short: SHORT[hit.rule] };
}

/** A line in a file whose path puts it in a rule's context (`src/auth/…`, `routes/…`). */
export function pathContextText(hit: RuleHit, verb: Verb, category?: string): Text {
  const noun = hit.rule === 'auth' && category ? category : NOUN[hit.rule];
  return { message: `${verb} ${noun} code (its path mentions "${hit.term}"): ${WHY[hit.rule]}`, short: SHORT[hit.rule] };
}

export function appChangeText(verb: Verb): Text {
  return verb === 'removes'
    ? { message: 'removes application code that runs in production: ship it to a canary first', short: 'app change' }
    : { message: 'changes application behaviour in production: ship it to a canary first', short: 'app change' };
}

const WRAPPED: Record<ContentRuleId, string> = {
  auth: 'authentication code',
  payment: 'payment processing code',
  'data-write': 'database writes',
  middleware: 'middleware',
  api: 'API code',
};

/** Existing lines a new guard switches off, since its flag ships OFF. */
export function wrapText(rule: ContentRuleId | undefined, category: string | undefined, first: string, count: number, flag: string): Text {
  const noun = rule === 'auth' && category && category !== 'authentication' ? `${category} code` : rule ? WRAPPED[rule] : 'code';
  const shown = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  const more = count > 1 ? ` and ${count - 1} more line${count > 2 ? 's' : ''}` : '';
  return {
    message: `puts existing ${noun} (\`${shown}\`${more}) behind flag \`${flag}\`, which is OFF: deploying this turns that code off`,
    short: `turns off existing code (flag ${flag})`,
  };
}
