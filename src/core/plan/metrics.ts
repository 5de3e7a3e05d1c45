/**
 * The seed's "Custom Metrics to Track" for one change: a feature-specific metric for auth code, payment
 * success, database query time, cache hit rate and external API calls, each suggested by the facts the
 * assessment carries (the finding's rule, what it matched, the quoted code, the file's path, the
 * signals); then the policy's own custom gates. A finding's message is never read to choose: it is
 * only quoted, as the reason a metric is suggested.
 * Pure: the same assessment and stages always give the same list, in the same order.
 */
import { inGroup, type RuleId } from '../catalog';
import { METRICS } from '../policy/defaults';
import { CACHE_WORDS, HTTP_CALLS, toWords } from '../risk';
import type { Assessment, Finding } from '../risk/types';
import { thresholdText } from './markdown';
import type { CustomMetric, Gate, Stage } from './schema';

/** What a suggestion looks at: a finding, or a signal (a cache or an outgoing call no finding quotes). */
interface Evidence {
  path: string;
  line: number;
  /** The finding's rule; none for a signal. */
  rule?: RuleId;
  /** The code line, as the finding quotes it or the signal found it. */
  code: string;
  /** The code and what the rule matched in it (term, auth category, function name), as words. */
  words: string;
  /** A finding's own sentence up to its reason, which the metric's reason quotes: "changes session handling code (`jwt`)". */
  headline?: string;
}

interface Suggestion {
  metric: string;
  label: string;
  /** What the evidence shows, as the middle of a sentence ("calls out with `fetch`"); undefined when it does not call for this metric. */
  found(e: Evidence): string | undefined;
  /** What a move in the metric would tell, ending the sentence. */
  watch: string;
}

// Findings about code that runs nothing new (tests, docs, an unused export, imports only) call for no metric.
const silent = (r: RuleId) => r === 'test' || r === 'docs' || inGroup(r, 'shape');
const database = (r: RuleId) => inGroup(r, 'migration') || inGroup(r, 'data');

function findingEvidence(path: string, f: Finding): Evidence {
  const at = f.message.indexOf(': ');
  const s = f.subject;
  const code = f.quote ?? '';
  return {
    path,
    line: f.line,
    rule: f.rule,
    code,
    words: toWords([code, s?.term, s?.category, s?.function].filter((x) => x !== undefined).join(' ')),
    headline: at > 0 ? f.message.slice(0, at) : f.message,
  };
}

/** A rule-based suggestion: the finding's rule decides, with what it matched (`also`) where given. */
function byRule(rules: (r: RuleId) => boolean, metric: string, label: string, watch: string, also?: RegExp): Suggestion {
  return {
    metric,
    label,
    watch,
    found: (e) => (e.rule !== undefined && rules(e.rule) && (!also || also.test(e.words)) ? e.headline : undefined),
  };
}

// Auth code gets the metric that shows its feature working, named from what the finding matched; the
// first kind that matches a finding wins, so `jwt.sign` is "JWT tokens issued", not "tokens issued".
const AUTH = (r: RuleId) => r === 'auth';
const AUTH_KINDS: Suggestion[] = [
  byRule(AUTH, 'jwt_tokens_issued', 'JWT tokens issued', 'a drop means sign-ins are failing, a jump means tokens are re-issued in a loop', / (?:jwts?|jsonwebtoken|json web tokens?) /),
  byRule(AUTH, 'sso_logins_completed', 'OAuth/SSO sign-ins completed', 'a drop means users cannot sign in through the identity provider', / (?:oauth2?|oidc|openid|saml|sso|passport) /),
  byRule(AUTH, 'mfa_success_rate', 'MFA challenge success rate', 'a drop means second-factor checks reject the right users', / (?:mfa|otp|totp|2fa|two factor) /),
  byRule(AUTH, 'crypto_verification_failures', 'decryption and signature check failures', 'a rise means data or signatures no longer verify', / (?:encrypt\w*|decrypt\w*|cipher|hmac|signature|cryptography|crypto) /),
  byRule(AUTH, 'authz_denials', 'authorization denials (403s)', 'a jump means users are refused what they may do', / (?:authz|authori[sz]\w*|unauthori[sz]ed|permissions?|rbac|acl|forbidden|csrf|xsrf|access control) /),
  byRule(AUTH, 'session_validation_failures', 'session validation failures', 'a rise means users are being signed out', / sessions? /),
  byRule(AUTH, 'tokens_issued', 'tokens issued', 'a drop means clients cannot get or refresh their tokens', / tokens? /),
  byRule(AUTH, 'login_success_rate', 'login success rate', 'a drop means users are locked out'),
];


const cache: Suggestion = {
  metric: 'cache_hit_rate',
  label: 'cache hit rate',
  watch: 'a falling hit rate moves the load onto the database and raises latency',
  found(e) {
    const inCode = CACHE_WORDS.exec(toWords(e.code));
    if (inCode) return `uses a cache (${inCode[1]})`;
    const inPath = CACHE_WORDS.exec(toWords(e.path));
    return inPath ? `is cache code (its path mentions "${inPath[1]}")` : undefined;
  },
};

const PROVIDERS = / (stripe|braintree|paypal|adyen|klarna|mollie|razorpay) /;

const external: Suggestion = {
  metric: 'external_api_calls',
  label: 'external API call rate and error rate',
  watch: "more calls can hit the provider's rate limits, and its errors and timeouts become this service's",
  found(e) {
    for (const re of HTTP_CALLS) {
      const m = re.exec(e.code);
      if (m) return `calls out with \`${m[0].replace(/[\s(]+$/, '')}\``;
    }
    const provider = PROVIDERS.exec(`${e.words}${toWords(e.path)}`);
    return provider ? `calls the ${provider[1][0].toUpperCase()}${provider[1].slice(1)} API` : undefined;
  },
};

const SUGGESTIONS: Suggestion[] = [
  ...AUTH_KINDS,
  byRule((r) => r === 'payment', 'payment_success_rate', 'payment success rate', 'a drop means customers cannot pay or are charged wrongly'),
  byRule(database, 'db_query_p95_ms', 'database query performance (p95 query time)', 'a rise shows a missing index, a lock or heavier writes'),
  cache,
  external,
];

/** Every finding that runs new code, files by path and findings by line, so "the first place" is stable. */
function evidenceOf(assessment: Assessment): Evidence[] {
  const files = [...assessment.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return files.flatMap((f) =>
    [...f.findings]
      .filter((x) => x.tier !== 'ZERO' && !silent(x.rule))
      .sort((a, b) => a.line - b.line)
      .map((x) => findingEvidence(f.path, x))
      // A cache or an outgoing call further down a changed block is evidence too, though no finding quotes it.
      .concat(
        f.tier === 'ZERO'
          ? []
          : (f.signals ?? [])
              .filter((s) => !f.findings.some((x) => x.line === s.line))
              .map((s): Evidence => ({ path: f.path, line: s.line, code: s.text, words: toWords(s.text) })),
      ),
  );
}

function suggest(evidence: Evidence[]): CustomMetric[] {
  const hits = new Map<Suggestion, { e: Evidence; text: string; count: number }>();
  for (const e of evidence) {
    // An auth finding names one feature metric; the other suggestions each look at every finding.
    const auth = AUTH_KINDS.find((s) => s.found(e) !== undefined);
    const matches = [...(auth ? [auth] : []), ...SUGGESTIONS.filter((s) => !AUTH_KINDS.includes(s) && s.found(e) !== undefined)];
    for (const s of matches) {
      const hit = hits.get(s);
      if (hit) hit.count++;
      else hits.set(s, { e, text: s.found(e)!, count: 1 });
    }
  }
  return SUGGESTIONS.flatMap((s) => {
    const hit = hits.get(s);
    if (!hit) return [];
    const { path, line } = hit.e;
    const where = line > 0 ? `${path}:${line}` : path;
    const more = hit.count > 1 ? ` (and ${hit.count - 1} more place${hit.count > 2 ? 's' : ''})` : '';
    return [{ metric: s.metric, label: s.label, why: `${where} ${hit.text}${more}: ${s.watch}.`, source: 'suggested' as const, gated: false, file: path, line }];
  });
}

function stageList(numbers: number[]): string {
  return `stage${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')}`;
}

function policyMetric(g: Gate, stages: number[], suggested: CustomMetric | undefined): CustomMetric {
  const gate = `The policy gates it in ${stageList(stages)} (warning ${thresholdText(g, g.warning)}, critical ${thresholdText(g, g.critical)}, Level ${g.rollbackLevel} rollback)`;
  const where = suggested?.file !== undefined ? { file: suggested.file, line: suggested.line } : {};
  return { metric: g.metric, label: g.label, why: suggested ? `${gate}; ${suggested.why}` : `${gate}.`, source: 'policy', gated: true, ...where };
}

/**
 * The custom metrics for a plan: suggestions first (in the seed's order: feature-specific, payment,
 * database, cache, external calls), then the policy's custom gates in the policy's order. A suggestion
 * the policy already gates under the same name is listed once, as the policy's. A plan that watches no
 * gates (a ZERO-risk change deployed at once) gets none.
 */
export function customMetrics(assessment: Assessment, stages: Stage[]): CustomMetric[] {
  const watched = stages.filter((s) => s.gates.length);
  if (!watched.length) return [];
  const custom = watched[0].gates.filter((g) => !(METRICS as readonly string[]).includes(g.metric));
  const suggested = suggest(evidenceOf(assessment));
  const numbers = watched.map((s) => s.number);
  return [
    ...suggested.filter((m) => !custom.some((g) => g.metric === m.metric)),
    ...custom.map((g) => policyMetric(g, numbers, suggested.find((m) => m.metric === g.metric))),
  ];
}
