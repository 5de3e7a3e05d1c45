/**
 * Words are matched by what the code does with them, in every language with a grammar: a word in a
 * comment, a string, an error message, a DTO field or accessor, a column name or a middleware handed
 * over by name is no auth or payment code, while the same word in a call that acts still is.
 */
import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../../src/core/risk';
import { parseStats } from '../../../../src/core/risk/syntax';
import { changeSetOf, memorySearch, treeAfter } from '../helpers';

interface Case {
  name: string;
  path: string;
  before: string[];
  after: string[];
  /** `rule TIER line` of each finding of the file. */
  expect: string[];
}

async function findings(c: Case): Promise<{ got: string[]; a: Assessment }> {
  const before = { [c.path]: c.before.join('\n') + '\n' };
  const after = { [c.path]: c.after.join('\n') + '\n' };
  const a = await assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
  const file = a.files.find((f) => f.path === c.path)!;
  return { got: file.findings.map((f) => `${f.rule} ${f.tier} ${f.line}`), a };
}

const CASES: Record<string, Case[]> = {
  TypeScript: [
    {
      name: 'crypto.randomUUID() for an element id is no cryptography',
      path: 'src/ui/list.ts',
      before: ['export function rowKey(row: Row): string {', '  return row.key;', '}'],
      after: ['export function rowKey(row: Row): string {', '  return row.key ?? crypto.randomUUID();', '}'],
      expect: ['app-change MEDIUM 2'],
    },
    {
      name: 'a cipher made from the crypto module still is',
      path: 'src/ui/list.ts',
      before: ["import crypto from 'node:crypto';", 'export function seal(data: Buffer, key: Buffer): Buffer {', '  return data;', '}'],
      after: ["import crypto from 'node:crypto';", 'export function seal(data: Buffer, key: Buffer): Buffer {', "  return crypto.createHmac('sha256', key).digest();", '}'],
      expect: ['auth HIGH 3'],
    },
    {
      name: 'a sessionId field of an analytics event is no session handling (an interface field is erased at run time)',
      path: 'src/analytics/events.ts',
      before: ['export interface PageView {', '  url: string;', '}'],
      after: ['export interface PageView {', '  url: string;', '  sessionId: string;', '}'],
      expect: ['cosmetic ZERO 3'],
    },
    {
      name: 'DTO fields and a getter named after payments are no payment processing',
      path: 'src/loans/loan-dto.ts',
      before: ['export class LoanDto {', '  amount = 0;', '}'],
      after: ['export class LoanDto {', '  amount = 0;', '  chargeOffReason?: string;', '  private downPaymentEnabled = false;', '  get isDownPaymentEnabled(): boolean {', '    return this.downPaymentEnabled;', '  }', '}'],
      expect: ['app-change MEDIUM 3'],
    },
    {
      name: 'charging a card is payment processing',
      path: 'src/loans/loan-dto.ts',
      before: ['export async function close(loan: Loan) {', '  await loan.close();', '}'],
      after: ['export async function close(loan: Loan) {', '  await gateway.charge(loan.balance);', '}'],
      expect: ['payment HIGH 2'],
    },
    {
      name: 'a secretPath inside an error message is no credentials code',
      path: 'src/config/files.ts',
      before: ['export function check(secretPath: string, ok: boolean) {', "  if (!ok) throw new Error('missing file');", '}'],
      after: ['export function check(secretPath: string, ok: boolean) {', '  if (!ok) throw new Error(`missing file ${secretPath}`);', '}'],
      expect: ['app-change MEDIUM 2'],
    },
    {
      name: 'reading the secret is',
      path: 'src/config/files.ts',
      before: ['export function load(secretPath: string) {', '  return undefined;', '}'],
      after: ['export function load(secretPath: string) {', '  return readSecret(secretPath);', '}'],
      expect: ['auth HIGH 2'],
    },
    {
      name: 'a CSRF middleware handed to app.use is a middleware change, not authorization code',
      path: 'src/server.ts',
      before: ['export const app = express();', 'app.use(bodyParser.json());'],
      after: ['export const app = express();', 'app.use(bodyParser.json());', 'app.use(csrfProtection);'],
      expect: ['middleware MEDIUM 3'],
    },
    {
      name: 'a word in a comment or a log string is no code',
      path: 'src/server.ts',
      before: ['export function start() {', "  log.info('started');", '}'],
      after: ['export function start() {', "  log.info('started, payment and login pages ready'); // see the checkout flow", '}'],
      expect: ['app-change MEDIUM 2'],
    },
    {
      name: 'an API key read from the settings and handed to a mail transport is no credentials code',
      path: 'src/mail/transport.ts',
      before: ['export function transport() {', '  return makeTransport({ host: cfg.host });', '}'],
      after: ['export function transport() {', "  return makeTransport({ host: cfg.host, apiKey: env('MAIL_API_KEY') });", '}'],
      expect: ['app-change MEDIUM 2'],
    },
    {
      name: 'a payment key read from the environment to see whether billing is on is no payment or credentials code',
      path: 'src/worker/poll.ts',
      before: ['export async function due() {', '  return db.feed.findMany({});', '}'],
      after: ['export async function due() {', '  return db.feed.findMany({', '    where: process.env.STRIPE_SECRET_KEY ? { paid: true } : {},', '  });', '}'],
      expect: ['app-change MEDIUM 2'],
    },
    {
      name: 'hashing the password that a key is given is credentials code',
      path: 'src/mail/transport.ts',
      before: ['export async function signUp(email: string, password: string) {', '  return users.add({ email });', '}'],
      after: ['export async function signUp(email: string, password: string) {', '  return users.add({ email, digest: await hash(password) });', '}'],
      expect: ['auth HIGH 2'],
    },
    {
      name: 'an apiKey field of a settings interface is no credentials code (an interface field is erased at run time)',
      path: 'src/mail/types.ts',
      before: ['export interface MailSettings {', '  host: string;', '}'],
      after: ['export interface MailSettings {', '  host: string;', '  apiKey?: string;', '}'],
      expect: ['cosmetic ZERO 3'],
    },
  ],
  JavaScript: [
    {
      name: 'window.crypto.getRandomValues for a nonce of a DOM id is no cryptography',
      path: 'web/widgets/ids.js',
      before: ['export function makeId() {', '  return String(Date.now());', '}'],
      after: ['export function makeId() {', '  return String(window.crypto.getRandomValues(new Uint32Array(1))[0]);', '}'],
      expect: ['app-change MEDIUM 2'],
    },
    {
      name: 'an object key named session_id is no session handling',
      path: 'web/widgets/track.js',
      before: ['export function track(id) {', '  send({ page: id });', '}'],
      after: ['export function track(id, sid) {', '  send({ page: id, session_id: sid });', '}'],
      expect: ['app-change MEDIUM 1'],
    },
  ],
  Python: [
    {
      name: 'a "crypto" word in an error message is no cryptography',
      path: 'app/reports/export.py',
      before: ['def export(rows):', '    if not rows:', '        raise ValueError("nothing to export")', '    return rows'],
      after: ['def export(rows):', '    if not rows:', '        raise ValueError(f"nothing to export, encrypt flag {rows!r}")', '    return rows'],
      expect: ['app-change MEDIUM 3'],
    },
    {
      name: 'an HMAC is cryptography',
      path: 'app/reports/export.py',
      before: ['def sign(key, body):', '    return body'],
      after: ['def sign(key, body):', '    return hmac.new(key, body, hashlib.sha256).hexdigest()'],
      expect: ['auth HIGH 2'],
    },
    {
      name: 'a session_id column of an analytics model is no session handling',
      path: 'app/analytics/models.py',
      before: ['class PageView(Base):', '    __tablename__ = "page_views"', '    url = Column(String(512))'],
      after: ['class PageView(Base):', '    __tablename__ = "page_views"', '    url = Column(String(512))', '    session_id = Column(String(64), index=True)'],
      expect: ['app-change MEDIUM 4'],
    },
    {
      name: 'flushing the login session is',
      path: 'app/analytics/models.py',
      before: ['def leave(request):', '    return None'],
      after: ['def leave(request):', '    request.session.flush()'],
      expect: ['auth HIGH 2'],
    },
    {
      name: 'dataclass fields and a property named after payments are no payment processing',
      path: 'app/loans/dto.py',
      before: ['@dataclass', 'class LoanView:', '    amount: int = 0'],
      after: ['@dataclass', 'class LoanView:', '    amount: int = 0', '    charge_off_reason: str | None = None', '', '    @property', '    def is_down_payment_enabled(self):', '        return self._down_payment_enabled'],
      expect: ['app-change MEDIUM 4'],
    },
    {
      name: 'a secret_path inside an error message is no credentials code',
      path: 'app/settings_loader.py',
      before: ['def load(secret_path):', '    if not os.path.exists(secret_path):', '        raise FileNotFoundError("missing")'],
      after: ['def load(secret_path):', '    if not os.path.exists(secret_path):', '        raise FileNotFoundError(f"no file at {secret_path}")'],
      expect: ['app-change MEDIUM 3'],
    },
    {
      name: 'a CSRF middleware handed to add_middleware is a middleware change',
      path: 'app/main.py',
      before: ['app = FastAPI()', 'app.add_middleware(GZipMiddleware)'],
      after: ['app = FastAPI()', 'app.add_middleware(GZipMiddleware)', 'app.add_middleware(CSRFMiddleware)'],
      expect: ['middleware MEDIUM 3'],
    },
    {
      name: 'a database password handed to a connection as a keyword argument is no credentials code',
      path: 'app/db.py',
      before: ['def connect_db():', '    return connect(host=settings.DB_HOST)'],
      after: ['def connect_db():', '    return connect(host=settings.DB_HOST, password=settings.DB_PASSWORD)'],
      expect: ['app-change MEDIUM 2'],
    },
    {
      name: 'checking the password given as a keyword argument is',
      path: 'app/db.py',
      before: ['def sign_in(request, name, raw):', '    return None'],
      after: ['def sign_in(request, name, raw):', '    return check_password(password=raw, encoded=lookup(name))'],
      expect: ['auth HIGH 2'],
    },
    {
      name: 'a password field of a model, declared with a new column type, is the shape of stored data, not credentials code',
      path: 'app/mail/models.py',
      before: ['class MailAccount(models.Model):', '    username = models.CharField(max_length=256)', '    password = models.CharField(max_length=3072)'],
      after: ['class MailAccount(models.Model):', '    username = models.CharField(max_length=256)', '    password = models.TextField()'],
      expect: ['app-change MEDIUM 3'],
    },
    {
      name: 'setting the password of an account is',
      path: 'app/mail/models.py',
      before: ['def reset(account, raw):', '    return None'],
      after: ['def reset(account, raw):', '    account.set_password(raw)'],
      expect: ['auth HIGH 2'],
    },
  ],
  Go: [
    {
      name: 'a "decrypt" word in a wrapped error is no cryptography',
      path: 'internal/store/load.go',
      before: ['package store', '', 'func load(name string) error {', '\treturn nil', '}'],
      after: ['package store', '', 'func load(name string) error {', '\treturn fmt.Errorf("cannot decrypt or read %s", name)', '}'],
      expect: ['app-change MEDIUM 4'],
    },
    {
      name: 'a GCM cipher is cryptography',
      path: 'internal/store/load.go',
      before: ['package store', '', 'func seal(block Block) error {', '\treturn nil', '}'],
      after: ['package store', '', 'func seal(block Block) error {', '\t_, err := cipher.NewGCM(block)', '\treturn err', '}'],
      expect: ['auth HIGH 4'],
    },
    {
      name: 'a SessionID struct field of an analytics event is no session handling',
      path: 'internal/analytics/event.go',
      before: ['package analytics', '', 'type Event struct {', '\tURL string `json:"url"`', '}'],
      after: ['package analytics', '', 'type Event struct {', '\tURL string `json:"url"`', '\tSessionID string `json:"session_id"`', '}'],
      expect: ['app-change MEDIUM 5'],
    },
    {
      name: 'a struct field and a getter named after payments are no payment processing',
      path: 'internal/loans/loan.go',
      before: ['package loans', '', 'type Loan struct {', '\tAmount int', '}'],
      after: ['package loans', '', 'type Loan struct {', '\tAmount int', '\tChargeOffReason string', '\tdownPaymentEnabled bool', '}', '', 'func (l Loan) IsDownPaymentEnabled() bool { return l.downPaymentEnabled }'],
      // The new exported getter is not called yet: that is its own, lower reason.
      expect: ['app-change MEDIUM 5', 'unused-export LOW 9'],
    },
    {
      name: 'a secretPath argument of an error message is no credentials code',
      path: 'internal/config/files.go',
      before: ['package config', '', 'func check(secretPath string) error {', '\treturn errors.New("missing")', '}'],
      after: ['package config', '', 'func check(secretPath string) error {', '\treturn fmt.Errorf("missing %s", secretPath)', '}'],
      expect: ['app-change MEDIUM 4'],
    },
    {
      name: 'a CSRF middleware handed to r.Use is a middleware change',
      path: 'cmd/web/main.go',
      before: ['package main', '', 'func routes(r *mux.Router) {', '\tr.Use(gzipMiddleware)', '}'],
      after: ['package main', '', 'func routes(r *mux.Router) {', '\tr.Use(gzipMiddleware)', '\tr.Use(csrfMiddleware)', '}'],
      expect: ['middleware MEDIUM 5'],
    },
    {
      name: 'a database password copied into the fields of a connection string is no credentials code',
      path: 'cmd/server/db.go',
      before: ['package main', '', 'func dsn(c Config) string {', '\tfields := map[string]string{', '\t\t"host": c.Host,', '\t}', '\treturn join(fields)', '}'],
      after: ['package main', '', 'func dsn(c Config) string {', '\tfields := map[string]string{', '\t\t"host": c.Host,', '\t\t"password": c.Password,', '\t}', '\treturn join(fields)', '}'],
      expect: ['app-change MEDIUM 6'],
    },
    {
      name: 'comparing a password is credentials code',
      path: 'cmd/server/db.go',
      before: ['package main', '', 'func ok(c Config, given string) bool {', '\treturn false', '}'],
      after: ['package main', '', 'func ok(c Config, given string) bool {', '\treturn subtle.ConstantTimeCompare([]byte(given), []byte(c.Password)) == 1', '}'],
      expect: ['auth HIGH 4'],
    },
  ],
  Java: [
    {
      name: 'a "crypto" word in an exception message is no cryptography',
      path: 'src/main/java/com/acme/report/Exporter.java',
      before: ['class Exporter {', '  void export(String name) {', '    if (name == null) throw new IllegalArgumentException("no name");', '  }', '}'],
      after: ['class Exporter {', '  void export(String name) {', '    if (name == null) throw new IllegalArgumentException("no name for the crypto report " + name);', '  }', '}'],
      expect: ['app-change MEDIUM 3'],
    },
    {
      name: 'a Cipher is cryptography',
      path: 'src/main/java/com/acme/report/Exporter.java',
      before: ['class Exporter {', '  byte[] seal(byte[] data) throws Exception {', '    return data;', '  }', '}'],
      after: ['class Exporter {', '  byte[] seal(byte[] data) throws Exception {', '    return Cipher.getInstance("AES/GCM/NoPadding").doFinal(data);', '  }', '}'],
      expect: ['auth HIGH 3'],
    },
    {
      name: 'an annotated session_id column is no session handling',
      path: 'src/main/java/com/acme/analytics/PageView.java',
      before: ['@Entity', 'class PageView {', '  @Column(name = "url") private String url;', '}'],
      after: ['@Entity', 'class PageView {', '  @Column(name = "url") private String url;', '  @Column(name = "session_id") private String sessionId;', '}'],
      expect: ['app-change MEDIUM 4'],
    },
    {
      name: 'a DTO field and getter named after payments are no payment processing',
      path: 'src/main/java/com/acme/loans/LoanDto.java',
      before: ['public class LoanDto {', '  private long amount;', '}'],
      after: ['public class LoanDto {', '  private long amount;', '  private String chargeOffReason;', '  private boolean downPaymentEnabled;', '  public boolean isDownPaymentEnabled() {', '    return downPaymentEnabled;', '  }', '}'],
      expect: ['app-change MEDIUM 3', 'unused-export LOW 5'],
    },
    {
      name: 'a secretPath in an exception message is no credentials code',
      path: 'src/main/java/com/acme/config/Files.java',
      before: ['class Files {', '  void check(String secretPath, boolean ok) {', '    if (!ok) throw new IllegalStateException("missing");', '  }', '}'],
      after: ['class Files {', '  void check(String secretPath, boolean ok) {', '    if (!ok) throw new IllegalStateException("missing " + secretPath);', '  }', '}'],
      expect: ['app-change MEDIUM 3'],
    },
    {
      name: 'a CSRF filter handed to addFilterBefore is a middleware change',
      path: 'src/main/java/com/acme/web/Chain.java',
      before: ['class Chain {', '  void configure(HttpSecurity http) {', '    http.cors();', '  }', '}'],
      after: ['class Chain {', '  void configure(HttpSecurity http) {', '    http.cors();', '    http.addFilterBefore(csrfFilter, LogFilter.class);', '  }', '}'],
      expect: ['middleware MEDIUM 4'],
    },
  ],
  Ruby: [
    {
      name: 'a "crypto" word in a raised message is no cryptography',
      path: 'app/services/exporter.rb',
      before: ['class Exporter', '  def run(rows)', '    raise ArgumentError, "no rows" if rows.empty?', '  end', 'end'],
      after: ['class Exporter', '  def run(rows)', '    raise ArgumentError, "no rows for the crypto ticker #{rows.size}" if rows.empty?', '  end', 'end'],
      expect: ['app-change MEDIUM 3'],
    },
    {
      name: 'an OpenSSL cipher is cryptography',
      path: 'app/services/exporter.rb',
      before: ['class Exporter', '  def seal(data)', '    data', '  end', 'end'],
      after: ['class Exporter', '  def seal(data)', "    OpenSSL::Cipher.new('aes-256-gcm').encrypt", '  end', 'end'],
      expect: ['auth HIGH 3'],
    },
    {
      name: 'a validated session_id attribute of an analytics model is no session handling',
      path: 'app/models/page_view.rb',
      before: ['class PageView < ApplicationRecord', '  validates :url, presence: true', 'end'],
      after: ['class PageView < ApplicationRecord', '  validates :url, presence: true', '  validates :session_id, length: { maximum: 64 }', 'end'],
      expect: ['app-change MEDIUM 3'],
    },
    {
      name: 'readers and a predicate named after payments are no payment processing',
      path: 'app/models/loan_view.rb',
      before: ['class LoanView', '  attr_reader :amount', 'end'],
      after: ['class LoanView', '  attr_reader :amount, :charge_off_reason', '', '  def down_payment_enabled?', '    @down_payment_enabled', '  end', 'end'],
      expect: ['app-change MEDIUM 2', 'unused-export LOW 4'],
    },
    {
      name: 'a secret_path inside a raised message is no credentials code',
      path: 'lib/config_files.rb',
      before: ['def check(secret_path, found)', '  raise ArgumentError, "missing" unless found', 'end'],
      after: ['def check(secret_path, found)', '  raise ArgumentError, "missing #{secret_path}" unless found', 'end'],
      expect: ['app-change MEDIUM 2'],
    },
    {
      name: 'a CSRF check named in before_action is a middleware change',
      path: 'app/models/base_screen.rb',
      before: ['class BaseScreen < Screen', '  before_action :load_user', 'end'],
      after: ['class BaseScreen < Screen', '  before_action :load_user', '  before_action :verify_csrf_header', 'end'],
      expect: ['middleware MEDIUM 3'],
    },
  ],
};

describe('risk: words read by their role in the syntax', () => {
  for (const [lang, cases] of Object.entries(CASES)) {
    describe(lang, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const { got } = await findings(c);
          assert.deepEqual(got, c.expect);
        });
      }
    });
  }
});

describe('risk: which files the lexical pass sends to the parser', () => {
  const parsedFor = async (after: string[]): Promise<number> => {
    const before = ['export function noop() {', '  return 0;', '}'];
    const from = parseStats.files;
    await findings({ name: '', path: 'src/sessions/load.ts', before, after, expect: [] });
    return parseStats.files - from;
  };

  it('sends no file whose only sensitive word is the name of a function with typed parameters', async () => {
    const parsed = await parsedFor([
      'export async function loadSession(id: string, opts: { retries?: number } = {}): Promise<Session | undefined> {',
      '  return repository.findSession(id);',
      '}',
    ]);
    assert.equal(parsed, 0, 'the parameter list looks like keys, but no key or value holds the word');
  });

  it('sends a file where a key holds the word, so its role can be read', async () => {
    const parsed = await parsedFor(['export function transport() {', "  return makeTransport({ host: cfg.host, apiKey: env('MAIL_API_KEY') });", '}']);
    assert.equal(parsed, 1);
  });
});
