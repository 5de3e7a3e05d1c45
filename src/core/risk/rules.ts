/**
 * The content rules: which changed lines touch authentication, payments, stored data, middleware or an
 * API. Word rules read identifiers split into words (`verifyPassword` → "verify password"), so they
 * catch camelCase and snake_case alike; syntax rules read the code itself (SQL in strings, ORM calls,
 * route registrations). Everything is compiled once per policy.
 */
import type { Policy } from '../policy/schema';
import type { Tier } from '../tier';
import type { LanguageId } from './languages';
import type { RuleId } from '../catalog';
import type { DataWriteRuleId } from './rules/data-writes';
import type { Name } from './syntax';

/** The rules a changed line's content can hit (see rules/catalog.ts). */
export type ContentRuleId = Extract<RuleId, 'auth' | 'auth-settings' | 'payment' | 'data-write' | 'middleware' | 'api'> | DataWriteRuleId;

export interface RuleHit {
  rule: ContentRuleId;
  tier: Tier;
  /** What matched, as written in the code (or the word, for word rules). */
  term: string;
}

/** Identifiers split into lower-case words separated by single spaces, padded with spaces. */
export function toWords(text: string): string {
  return NON_ASCII.test(text) ? toWordsByDefinition(text) : toWordsAscii(text);
}

// Lower-casing other scripts can yield ASCII letters (the Kelvin sign gives `k`): those take the general path.
const NON_ASCII = /[^\x00-\x7f]/;
const OTHER = 0;
const LOWER = 1;
const DIGIT = 2;
const UPPER = 3;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CLASS[c] = /[a-z]/.test(ch) ? LOWER : /[0-9]/.test(ch) ? DIGIT : /[A-Z]/.test(ch) ? UPPER : OTHER;
}

/**
 * The same words in one pass over ASCII text: a word ends at a non-alphanumeric character, before an
 * upper-case letter that follows a lower-case letter or digit (`fooBar`), and before the last capital
 * of a run followed by a lower-case letter (`HTMLParser`).
 */
function toWordsAscii(text: string): string {
  const lower = text.toLowerCase();
  const n = text.length;
  let out = ' ';
  let start = -1;
  for (let i = 0; i < n; i++) {
    const cls = CLASS[text.charCodeAt(i)];
    if (cls === OTHER) {
      if (start >= 0) {
        out += lower.slice(start, i) + ' ';
        start = -1;
      }
    } else if (start < 0) start = i;
    else if (cls === UPPER) {
      const prev = CLASS[text.charCodeAt(i - 1)];
      if (prev === LOWER || prev === DIGIT || (prev === UPPER && i + 1 < n && CLASS[text.charCodeAt(i + 1)] === LOWER)) {
        out += lower.slice(start, i) + ' ';
        start = i;
      }
    }
  }
  if (start >= 0) out += lower.slice(start) + ' ';
  return out === ' ' ? '  ' : out;
}

/** The definition of the words rules read, for any script; toWords takes a faster path for ASCII text. */
export function toWordsByDefinition(text: string): string {
  return ` ${text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

const AUTH_WORDS = {
  authentication: [
    'auth', 'authn', 'authenticate', 'authenticated', 'authentication', 'authenticator', 'login', 'logout', 'log in', 'log out',
    'sign in', 'sign out', 'signin', 'signout', 'jwt', 'oauth', 'oauth2', 'oidc', 'openid', 'saml', 'sso', 'mfa', 'otp', 'totp',
    '2fa', 'passport', 'devise', 'warden', 'bearer',
  ],
  authorization: [
    'authz', 'authorize', 'authorized', 'authorization', 'authorizer', 'unauthorized', 'permission', 'authorities', 'granted authority', 'rbac', 'acl', 'csrf', 'xsrf', 'access control',
    // Who counts as an administrator: `if !user.IsAdmin`, `adminOnly`, `is_staff`, `is_superuser`.
    'is admin', 'admin only', 'admins only', 'require admin', 'admin required', 'is staff', 'staff member required', 'superuser',
  ],
  // A bare "token" is as often a lexer's or a paginator's: only tokens that prove who someone is count.
  'session handling': [
    'session', 'access token', 'refresh token', 'auth token', 'id token', 'api token', 'bearer token', 'session token', 'session id',
    'session cookie', 'csrf token', 'reset token', 'verification token', 'oauth token', 'verify token', 'validate token',
    'revoke token', 'token expiry', 'token expiration', 'token ttl', 'kick out',
  ],
  credentials: ['password', 'passwd', 'pwd', 'passphrase', 'credential', 'secret', 'api key', 'private key', 'signing key', 'client secret'],
  cryptography: ['crypto', 'cryptography', 'encrypt', 'decrypt', 'encryption', 'decryption', 'cipher', 'hmac', 'bcrypt', 'argon2', 'scrypt', 'pbkdf2'],
};

const PAYMENT_WORDS = [
  'payment', 'pay', 'payout', 'payee', 'payer', 'charge', 'refund', 'invoice', 'billing', 'checkout', 'purchase', 'stripe', 'braintree',
  'paypal', 'adyen', 'klarna', 'credit card', 'card number', 'cvv', 'cvc', 'iban',
];
/**
 * Words with an everyday meaning besides the security or payment one ("jam session", "battery charge",
 * "person in charge"). They count only in identifiers, never inside string literals, and not next to a
 * word that gives them the other meaning.
 */
const WEAK_WORDS: Record<string, { notAfter: string[]; notBefore: string[] }> = {
  session: {
    notAfter: ['jam', 'music', 'practice', 'recording', 'study', 'training', 'workout', 'gym', 'yoga', 'therapy', 'game', 'gaming', 'listening', 'tutoring', 'coaching', 'photo', 'brainstorm', 'planning', 'chat', 'debug', 'tmux', 'terminal', 'repl'],
    notBefore: [],
  },
  // `resetPwd`, `user_pwd`; not the working directory (`process.env.PWD`, `os.getcwd` beside `pwd`).
  pwd: {
    notAfter: ['env', 'os', 'process', 'shell', 'working', 'current', 'cwd', 'print', 'unix'],
    notBefore: ['dir', 'directory', 'path', 'folder', 'cwd'],
  },
  charge: {
    notAfter: ['battery', 'electric', 'electrical', 'static', 'ion', 'particle', 'phone', 'device', 'fast', 'full', 'depth', 'in', 'free', 'nuclear', 'formal'],
    notBefore: ['level', 'levels', 'percent', 'percentage', 'capacity', 'cycle', 'cycles', 'voltage', 'current', 'indicator', 'icon', 'state', 'time', 'port', 'cable', 'controller', 'density'],
  },
};
const isWeak = (w: string) => Object.hasOwn(WEAK_WORDS, w);

const MIDDLEWARE_WORDS = ['middleware', 'interceptor', 'before action', 'before request', 'after request', 'before filter', 'around action'];
const API_WORDS = ['endpoint', 'api route', 'graphql', 'openapi', 'swagger', 'grpc'];

/** Words a path must contain to put a whole file in a rule's context (narrower than the content words). */
const PATH_WORDS: Record<'auth' | 'payment' | 'middleware' | 'api', string[]> = {
  auth: ['auth', 'authn', 'authz', 'authentication', 'authorization', 'login', 'logout', 'session', 'password', 'credential', 'oauth', 'sso', 'saml', 'jwt', 'permission', 'rbac', 'acl', 'security', 'crypto', 'iam', 'api token', 'access token'],
  payment: ['payment', 'billing', 'checkout', 'stripe', 'paypal', 'invoice', 'refund', 'charge', 'braintree', 'adyen'],
  middleware: ['middleware', 'interceptor'],
  api: ['route', 'controller', 'endpoint', 'api', 'resolver', 'handler', 'urls', 'views'],
};

// Receivers whose `.update(`/`.create(`/`.save(` are not data writes: hashes, dicts, canvases, sockets, options.
const NOT_A_STORE = String.raw`(?<!\b(?:Object|Reflect|axios|Symbol|React|crypto|hash|hasher|hmac|md5|sha\d*|digest|cipher|ctx|context|canvas|socket|sock|stream|req|request|res|response|dict|params|headers|options|opts|kwargs|environ|cache|map|set|chart|window|document|super|editor|form|state|store|h|m))`;

const DATA_WRITE_PATTERNS: RegExp[] = [
  /\b(?:INSERT\s+INTO|UPDATE\s+[\w."`[\]]+\s+SET|DELETE\s+FROM|MERGE\s+INTO|REPLACE\s+INTO|UPSERT\s+INTO|TRUNCATE\s+TABLE|ON\s+CONFLICT)\b/i,
  new RegExp(
    NOT_A_STORE +
      String.raw`\.\s*(?:save|saveAll|saveAndFlush|update|updateOne|updateMany|updateAll|update_all|update_attribute|update_attributes|update_column|update_columns|create|createMany|bulkCreate|bulk_create|bulk_update|get_or_create|update_or_create|insertOne|insertMany|insert_one|insert_many|update_one|update_many|replaceOne|replace_one|delete_one|delete_many|deleteOne|deleteMany|findOneAndUpdate|findByIdAndUpdate|findOneAndDelete|findByIdAndDelete|findOneAndReplace|bulkWrite|bulk_write|upsert|destroy|destroy_all|delete_all|insert_all|upsert_all|persist|executeUpdate|executeBatch|batchUpdate|Create|Save|Updates|UpdateColumn|Exec|ExecContext|NamedExec|MustExec)\s*\(`,
  ),
  /\.insert\s*\(\s*[{[]/,
  /\bsession\.(?:add|add_all|merge|delete|bulk_save_objects|bulk_insert_mappings|bulk_update_mappings|commit)\s*\(/,
  /\bentityManager\.(?:persist|merge|remove)\s*\(/,
];
// Ruby calls need no parentheses: `user.update! name: n`, `order.save`.
const RUBY_DATA_WRITE = /(?:^|[\s(])(?:self\.)?(?:save|update|create|destroy|update_columns?|update_attribute|increment|decrement|toggle)!|\.(?:save|update|create|destroy|update_all|delete_all|destroy_all|insert_all|upsert_all|update_column|update_columns|toggle|increment|decrement)(?:!|(?=\s+[:\w"'])|\s*$)/;

const MIDDLEWARE_PATTERNS: RegExp[] = [
  /\b(?:app|router|server|api|fastify)\.use\s*\(/,
  /\bMIDDLEWARE(?:_CLASSES)?\s*=/,
  /@(?:Middleware|UseInterceptors)\b/,
  /func\s*\(\s*next\s+http\.Handler\s*\)\s*http\.Handler/,
  /\b(?:before|after|around)_(?:action|request|filter)\b/,
  /\bimplements\s+(?:[\w.]+\.)?(?:Filter|HandlerInterceptor|WebFilter)\b/,
  /\.addFilter(?:Before|After|At)?\s*\(/,
];
const API_PATTERNS: RegExp[] = [
  /\.(?:get|post|put|patch|delete|head|options|all|route|GET|POST|PUT|PATCH|DELETE|HandleFunc|Handle|Any)\s*\(\s*['"`]\//,
  /^\s*@\w*\.(?:route|get|post|put|patch|delete|api_route|websocket)\s*\(/,
  /@(?:Get|Post|Put|Delete|Patch|Request)Mapping\b|@(?:RestController|Path|GET|POST|PUT|DELETE|PATCH)\b/,
  /\b(?:re_path|urlpatterns)\b/,
  /@(?:Query|Mutation|Resolver|Subscription)\s*\(/,
];
// Calls that put a view behind a login or a role check (Django's `admin_site.admin_view(view)`).
const AUTH_SYNTAX = /\badmin_view\s*\(/;
const RUBY_API = /^\s*(?:get|post|put|patch|delete|resources?|namespace|match)\s+['":]/;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A phrase of the word regex; a weak word carries lookarounds that rule out its everyday meaning. */
function phraseSource(phrase: string): string {
  const weak = WEAK_WORDS[phrase];
  if (!weak) return escapeRegex(phrase);
  const after = weak.notAfter.length ? `(?<! (?:${weak.notAfter.join('|')}) ${phrase})` : '';
  const before = weak.notBefore.length ? `(?!(?:s|es|d|ed)? (?:${weak.notBefore.join('|')}) )` : '';
  return `${escapeRegex(phrase)}${after}${before}`;
}

/** A word regex: each word or phrase, optionally plural, between word boundaries of the `toWords` text. */
function wordRegex(words: string[]): RegExp | undefined {
  const phrases = [...new Set(words.map((w) => toWords(w).trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (!phrases.length) return undefined;
  return new RegExp(` (${phrases.map(phraseSource).join('|')})(?:s|es|d|ed)? `);
}

// String literals, for the weak words: `"open jam session"` is a label, `session.user` is code.
const STRING_LITERAL = /(["'`])(?:\\.|(?!\1)[^\\])*\1/g;
const MAY_BE_WEAK = new RegExp(Object.keys(WEAK_WORDS).join('|'), 'i');

// A payment provider's own API (`stripe.paymentIntents.update(`, `Stripe::Charge.create`) is a payment
// call, not a write to this service's database.
const PAYMENT_CLIENT = /(?:stripe|braintree|paypal|adyen|klarna|mollie|razorpay)[\w$.:]*$/i;

/** One alternation of case-sensitive patterns: one regex run per line instead of one per pattern. */
function combine(patterns: RegExp[]): RegExp {
  return new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'));
}

export interface CompiledRules {
  /** The rules a line of code matches, HIGH first. */
  match(code: string, lang: LanguageId): readonly RuleHit[];
  /** The rule a name (function or path) puts its lines in, by its words: auth, payment, middleware or api. */
  contextOf(name: string, kind: 'function' | 'path'): RuleHit | undefined;
  /** Auth and payment only: what a settings line may reveal (secrets, payment keys). */
  matchSensitive(text: string): RuleHit[];
  /** Category of an auth term, for messages: "credentials", "session handling"… */
  authCategory(term: string): string;
  /**
   * The rules a line read as syntax matches: auth and payment words count only in names that act,
   * never in comments, strings, declared data (a field or column, even one holding a password) or
   * names passed on as they are; SQL, ORM, middleware and
   * route patterns still read the line's code, strings included. `unregistered`: the line takes a
   * registration out (`app.use(requireLogin)` removed), so the names it handed over count as acting.
   */
  matchNames(code: string, names: readonly Name[], lang: LanguageId, unregistered?: boolean): readonly RuleHit[];
}

/** A line's names as `toWords` texts, by what they do. */
interface NameWords {
  acting: string;
  /** Every name outside comments and strings except imports: what middleware and API words read. */
  all: string;
}

// `session` as a database session's receiver (`db.session.add(…)`) is no login session.
const DB_SESSION_METHODS = new Set(['add', 'add_all', 'commit', 'query', 'execute', 'flush', 'delete', 'merge', 'rollback', 'refresh', 'get', 'scalar', 'scalars', 'begin', 'close', 'bulk_save_objects', 'bulk_insert_mappings', 'bulk_update_mappings']);
// The Web Crypto and Node `crypto` calls that only make random ids: no key, cipher or hash involved.
const WEB_REQUEST = /^(?:request|req|flask)$/;
const CRYPTO_ID_METHODS = new Set(['randomUUID', 'getRandomValues', 'randomInt']);

function nameWords(names: readonly Name[], unregistered: boolean): NameWords {
  const acting: string[] = [];
  const all: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (n.role === 'import') continue;
    all.push(n.text);
    if (n.role !== 'code' && !(unregistered && n.role === 'named')) continue;
    // `request.session.flush()` is the web session's, whatever the method.
    if (n.calls !== undefined && /^session$/i.test(n.text) && DB_SESSION_METHODS.has(n.calls) && !WEB_REQUEST.test(names[i - 1]?.text ?? '')) continue;
    if (n.calls !== undefined && n.text === 'crypto' && CRYPTO_ID_METHODS.has(n.calls)) continue;
    acting.push(n.text);
  }
  // Names are joined by a comma so that two names never read as one phrase of words.
  return { acting: toWords(acting.join(',')), all: toWords(all.join(',')) };
}

// Database sessions (SQLAlchemy, GORM) are not login sessions.
const DB_SESSION = /\b(?:db\.)?session\.(?:add|add_all|commit|query|execute|flush|delete|merge|rollback|refresh|get|scalars?|bulk_\w+|begin|close)\b/g;
const HAS_DB_SESSION = new RegExp(DB_SESSION.source);

/** Lines remembered with their rule hits: bounded, so memory does not grow with the change. */
const MEMO_LINES = 1 << 16;
const MEMO_LINE_CHARS = 1024;

export function compileRules(policy: Pick<Policy, 'keywords'>): CompiledRules {
  const kw = policy.keywords;
  const authWords = Object.values(AUTH_WORDS).flat();
  const authRe = wordRegex([...authWords, ...(kw.auth ?? [])])!;
  const paymentRe = wordRegex([...PAYMENT_WORDS, ...(kw.payment ?? [])])!;
  // Strong words count anywhere in a line; the weak ones only in its identifiers (see WEAK_WORDS).
  const authStrongRe = wordRegex([...authWords.filter((w) => !isWeak(w)), ...(kw.auth ?? [])])!;
  const paymentStrongRe = wordRegex([...PAYMENT_WORDS.filter((w) => !isWeak(w)), ...(kw.payment ?? [])])!;
  const authWeakRe = wordRegex(authWords.filter(isWeak));
  const paymentWeakRe = wordRegex(PAYMENT_WORDS.filter(isWeak));
  const middlewareRe = wordRegex([...MIDDLEWARE_WORDS, ...(kw.middleware ?? [])])!;
  const apiRe = wordRegex([...API_WORDS, ...(kw.api ?? [])])!;
  const dataWriteWordsRe = wordRegex(kw['data-write'] ?? []);
  const dataWriteRe = combine(DATA_WRITE_PATTERNS.slice(1));
  const sqlRe = DATA_WRITE_PATTERNS[0];
  const middlewareSyntax = combine(MIDDLEWARE_PATTERNS);
  const apiSyntax = combine(API_PATTERNS);
  const pathRes = {
    auth: wordRegex([...PATH_WORDS.auth, ...(kw.auth ?? [])])!,
    payment: wordRegex([...PATH_WORDS.payment, ...(kw.payment ?? [])])!,
    middleware: wordRegex([...PATH_WORDS.middleware, ...(kw.middleware ?? [])])!,
    api: wordRegex([...PATH_WORDS.api, ...(kw.api ?? [])])!,
  };
  const functionRes = { auth: authRe, payment: paymentRe, middleware: middlewareRe, api: apiRe };
  const pathContexts = new Map<string, RuleHit | undefined>();
  const functionContexts = new Map<string, RuleHit | undefined>();
  const categories = new Map<string, string>();
  for (const [cat, words] of Object.entries(AUTH_WORDS)) for (const w of words) categories.set(w, cat);

  const wordHit = (re: RegExp, words: string, rule: ContentRuleId, tier: Tier): RuleHit | undefined => {
    const m = re.exec(words);
    return m ? { rule, tier, term: m[1] } : undefined;
  };

  /**
   * Auth and payment hits: strong words anywhere in `words`; weak ones only in the identifiers of
   * `code` (its words without string literals), read only when a weak word may be there.
   */
  const sensitiveWords = (words: string, code: string, literals: boolean, dbSession: boolean): RuleHit[] => {
    const out: RuleHit[] = [];
    let a = wordHit(authStrongRe, words, 'auth', 'HIGH');
    let p = wordHit(paymentStrongRe, words, 'payment', 'HIGH');
    if ((!a || !p) && MAY_BE_WEAK.test(code)) {
      let bare = literals ? code.replace(STRING_LITERAL, '""') : code;
      if (dbSession) bare = bare.replace(DB_SESSION, ' ');
      const ids = toWords(bare);
      if (!a && authWeakRe) a = wordHit(authWeakRe, ids, 'auth', 'HIGH');
      if (!p && paymentWeakRe) p = wordHit(paymentWeakRe, ids, 'payment', 'HIGH');
    }
    if (a) out.push(a);
    if (p) out.push(p);
    return out;
  };
  const matchSensitive = (text: string): RuleHit[] => {
    // Settings values have no string syntax to strip.
    return sensitiveWords(toWords(text.replace(DB_SESSION, ' ')), text, false, true);
  };

  const matchCode = (code: string, lang: LanguageId): RuleHit[] => {
    const words = toWords(code);
    const dbSession = HAS_DB_SESSION.test(code);
    const out = sensitiveWords(dbSession ? toWords(code.replace(DB_SESSION, ' ')) : words, code, true, dbSession);
    if (!out.some((h) => h.rule === 'auth') && AUTH_SYNTAX.test(code)) out.unshift({ rule: 'auth', tier: 'HIGH', term: 'admin_view' });
    const sql = sqlRe.exec(code);
    let orm = sql ?? dataWriteRe.exec(code) ?? (lang === 'ruby' ? RUBY_DATA_WRITE.exec(code) : null);
    if (orm && !sql && PAYMENT_CLIENT.test(code.slice(0, orm.index))) orm = null;
    if (orm) out.push({ rule: 'data-write', tier: 'HIGH', term: orm[0].replace(/\s+/g, ' ').trim() });
    else if (dataWriteWordsRe) {
      const w = wordHit(dataWriteWordsRe, words, 'data-write', 'HIGH');
      if (w) out.push(w);
    }
    const mw = middlewareSyntax.exec(code);
    if (mw) out.push({ rule: 'middleware', tier: 'MEDIUM', term: mw[0].trim() });
    else {
      const w = wordHit(middlewareRe, words, 'middleware', 'MEDIUM');
      if (w) out.push(w);
    }
    const api = apiSyntax.exec(code) ?? (lang === 'ruby' ? RUBY_API.exec(code) : null);
    if (api) out.push({ rule: 'api', tier: 'MEDIUM', term: api[0].trim() });
    else {
      const w = wordHit(apiRe, words, 'api', 'MEDIUM');
      if (w) out.push(w);
    }
    return out;
  };
  const matchByNames = (code: string, w: NameWords, lang: LanguageId): RuleHit[] => {
    const out: RuleHit[] = [];
    const a = wordHit(authRe, w.acting, 'auth', 'HIGH') ?? (AUTH_SYNTAX.test(code) ? { rule: 'auth' as const, tier: 'HIGH' as const, term: 'admin_view' } : undefined);
    const p = wordHit(paymentRe, w.acting, 'payment', 'HIGH');
    if (a) out.push(a);
    if (p) out.push(p);
    const sql = sqlRe.exec(code);
    let orm = sql ?? dataWriteRe.exec(code) ?? (lang === 'ruby' ? RUBY_DATA_WRITE.exec(code) : null);
    if (orm && !sql && PAYMENT_CLIENT.test(code.slice(0, orm.index))) orm = null;
    if (orm) out.push({ rule: 'data-write', tier: 'HIGH', term: orm[0].replace(/\s+/g, ' ').trim() });
    else if (dataWriteWordsRe) {
      const hit = wordHit(dataWriteWordsRe, w.acting, 'data-write', 'HIGH');
      if (hit) out.push(hit);
    }
    const mw = middlewareSyntax.exec(code);
    if (mw) out.push({ rule: 'middleware', tier: 'MEDIUM', term: mw[0].trim() });
    else {
      const hit = wordHit(middlewareRe, w.all, 'middleware', 'MEDIUM');
      if (hit) out.push(hit);
    }
    const api = apiSyntax.exec(code) ?? (lang === 'ruby' ? RUBY_API.exec(code) : null);
    if (api) out.push({ rule: 'api', tier: 'MEDIUM', term: api[0].trim() });
    else {
      const hit = wordHit(apiRe, w.all, 'api', 'MEDIUM');
      if (hit) out.push(hit);
    }
    return out;
  };
  // The same line recurs across a change (`}`, `return null;`, a repeated call): each distinct line
  // is matched once. Ruby reads a few more patterns, so its lines are kept apart.
  const seen = new Map<string, readonly RuleHit[]>();
  const seenRuby = new Map<string, readonly RuleHit[]>();
  const seenNames = new Map<string, readonly RuleHit[]>();

  return {
    matchSensitive,
    matchNames(code, names, lang, unregistered = false) {
      const key = `${lang === 'ruby' ? 'r' : ''}${unregistered ? 'u' : ''}${code}\0${names.map((n) => `${n.text}:${n.role}:${n.calls ?? ''}`).join(' ')}`;
      if (key.length > MEMO_LINE_CHARS) return matchByNames(code, nameWords(names, unregistered), lang);
      let hits = seenNames.get(key);
      if (hits === undefined) {
        if (seenNames.size >= MEMO_LINES) seenNames.clear();
        hits = matchByNames(code, nameWords(names, unregistered), lang);
        seenNames.set(key, hits);
      }
      return hits;
    },
    match(code, lang) {
      if (code.length > MEMO_LINE_CHARS) return matchCode(code, lang);
      const memo = lang === 'ruby' ? seenRuby : seen;
      let hits = memo.get(code);
      if (hits === undefined) {
        if (memo.size >= MEMO_LINES) memo.clear();
        hits = matchCode(code, lang);
        memo.set(code, hits);
      }
      return hits;
    },
    contextOf(name, kind) {
      // Asked once per changed line for its function's name: each name is split and matched once.
      const cache = kind === 'path' ? pathContexts : functionContexts;
      if (cache.has(name)) return cache.get(name);
      const words = toWords(name);
      const res = kind === 'path' ? pathRes : functionRes;
      const hit =
        wordHit(res.auth, words, 'auth', 'HIGH') ??
        wordHit(res.payment, words, 'payment', 'HIGH') ??
        wordHit(res.middleware, words, 'middleware', 'MEDIUM') ??
        wordHit(res.api, words, 'api', 'MEDIUM');
      cache.set(name, hit);
      return hit;
    },
    authCategory(term) {
      const base = term.replace(/(?:es|s|ed|d)$/, '');
      return categories.get(term) ?? categories.get(base) ?? 'authentication';
    },
  };
}
