import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter, type Contents } from './helpers';

async function run(before: Contents, after: Record<string, string | null>): Promise<Assessment> {
  return assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
}
const file = (a: Assessment, path: string) => a.files.find((f) => f.path === path)!;
const rules = (a: Assessment, path: string) => file(a, path).findings.map((f) => `${f.rule} ${f.tier}`);

describe('risk: what wires code in, and what a path may say', () => {
  describe('content wins over path words', () => {
    const HASHER = 'src/main/java/shop/infrastructure/security/Hasher.java';
    const REPO = 'src/main/java/shop/infrastructure/persistence/OrderStore.java';

    it('source code under infrastructure/ (a DDD layer) is judged by its lines: password hashing shows as HIGH', async () => {
      const before = { [HASHER]: L('package shop.infrastructure.security;', '', 'public class Hasher {', '  public String hash(String password) {', '    return encoder.encode(password);', '  }', '}') };
      const a = await run(before, { [HASHER]: before[HASHER].replace('encoder.encode(password)', 'encoder.encode(password + pepper)') });
      assert.equal(file(a, HASHER).tier, 'HIGH');
      assert.ok(rules(a, HASHER).includes('auth HIGH'));
      assert.ok(!rules(a, HASHER).some((r) => r.startsWith('infrastructure')));
    });

    it('an ORM save under infrastructure/ is a data write, and a formatting-only edit there is ZERO', async () => {
      const before = { [REPO]: L('package shop.infrastructure.persistence;', '', 'class OrderStore {', '  void put(Order o) {', '    repository.save(o);', '  }', '}') };
      const a = await run(before, { [REPO]: before[REPO].replace('repository.save(o);', 'repository.saveAndFlush(o);') });
      assert.deepEqual(rules(a, REPO), ['data-write HIGH']);
      const b = await run(before, { [REPO]: before[REPO].replace('repository.save(o);', 'repository.save( o );') });
      assert.equal(b.tier, 'ZERO');
    });

    it('a documentation site\'s settings are documentation', async () => {
      const a = await run({ 'mkdocs.yml': L('site_name: Shop') }, { 'mkdocs.yml': L('site_name: Shop docs') });
      assert.deepEqual(rules(a, 'mkdocs.yml'), ['docs ZERO']);
    });

    it('example settings for people to copy are documentation; the settings file itself is not', async () => {
      for (const path of ['.env.example', 'shop.conf.example', 'config/app.sample.yml']) {
        const a = await run({ [path]: L('WORKERS=2') }, { [path]: L('WORKERS=2', 'DELETE_DUPLICATES=false') });
        assert.deepEqual(rules(a, path), ['docs ZERO'], path);
      }
      const b = await run({ 'config/app.yml': L('workers: 2') }, { 'config/app.yml': L('workers: 4') });
      assert.equal(b.tier, 'MEDIUM');
    });

    it('settings under infrastructure/ are still infrastructure', async () => {
      const a = await run({ 'infrastructure/app.conf': L('workers = 2') }, { 'infrastructure/app.conf': L('workers = 4') });
      assert.deepEqual(rules(a, 'infrastructure/app.conf'), ['infrastructure MEDIUM']);
    });

    it('a compose file of the local development environment is developer tooling, the deployed one infrastructure', async () => {
      const compose = L('services:', '  db:', '    image: postgres:16', '    volumes:', '      - ./data:/var/lib/postgresql/data');
      const moved = compose.replace('./data', './dev-data');
      for (const path of ['dev/docker-compose.yml', 'docker-compose.dev.yml', 'Dockerfile.dev']) {
        const a = await run({ [path]: compose }, { [path]: moved });
        assert.deepEqual(rules(a, path), ['tooling ZERO'], path);
      }
      const b = await run({ 'docker-compose.yml': compose }, { 'docker-compose.yml': moved });
      assert.deepEqual(rules(b, 'docker-compose.yml'), ['infrastructure MEDIUM']);
      // A root compose file that says it is for development, or mounts the project's own folder, is the developer's environment.
      const said = `# Docker compose for development purposes only.\n${compose}`;
      const c = await run({ 'docker-compose.yaml': said }, { 'docker-compose.yaml': said.replace('./data', './dev-data') });
      assert.deepEqual(rules(c, 'docker-compose.yaml'), ['tooling ZERO']);
      const mounted = `${compose}      - .:/src/app\n`;
      const d = await run({ 'compose.yaml': mounted }, { 'compose.yaml': mounted.replace('./data', './dev-data') });
      assert.deepEqual(rules(d, 'compose.yaml'), ['tooling ZERO']);
    });

    it('git hooks, their managers and spell checkers run on developers\' machines: tooling', async () => {
      for (const path of ['.githooks/pre-commit', '.husky/pre-push', '.pre-commit-config.yaml', 'lefthook.yml', '.cspell.json', 'cspell.config.yaml']) {
        const a = await run({ [path]: L('#!/bin/sh', 'go vet ./...') }, { [path]: L('#!/bin/sh', 'go vet ./...', 'go test ./...') });
        assert.deepEqual(rules(a, path), ['tooling ZERO'], path);
      }
    });

    it('rewording the summaries and descriptions of an OpenAPI document changes no contract; a new field does', async () => {
      const spec = (summary: string, extra: string[] = []) => L('paths:', '  /positions:', '    get:', `      summary: ${summary}`, '      responses:', "        '400':", '          description: Bad Request', ...extra);
      const a = await run({ 'openapi.yaml': spec('Fetches a list of Positions') }, { 'openapi.yaml': spec('Fetch a list of Positions').replace('Bad Request', 'Bad request') });
      assert.deepEqual(rules(a, 'openapi.yaml'), ['cosmetic ZERO']);
      const b = await run({ 'openapi.yaml': spec('Fetches a list of Positions') }, { 'openapi.yaml': spec('Fetches a list of Positions', ['      parameters:', '        - name: deviceId', '          in: query']) });
      assert.deepEqual(rules(b, 'openapi.yaml'), ['api MEDIUM']);
    });

    it('a folder word alone does not make CORS settings authentication code', async () => {
      const before = { 'auth/cors.go': L('package auth', '', 'func CorsConfig(c *Config) cors.Config {', '\tconf := cors.Config{MaxAge: 12}', '\tconf.AllowMethods = c.Methods', '\treturn conf', '}') };
      const a = await run(before, { 'auth/cors.go': before['auth/cors.go'].replace('c.Methods', 'c.AllowedMethods') });
      assert.equal(file(a, 'auth/cors.go').tier, 'MEDIUM');
      assert.deepEqual(rules(a, 'auth/cors.go'), ['app-change MEDIUM']);
    });

    it('a length limit of a name schema in constants/auth.ts is no authentication code because the same file lists sign-in providers', async () => {
      const before = {
        'lib/constants/auth.ts': L(
          "import { z } from 'zod';",
          '',
          'export const NameSchema = z',
          '  .string()',
          '  .min(3);',
          '',
          "export const IS_SSO_ENABLED = Boolean(env('SSO_CLIENT_ID'));",
        ),
      };
      const a = await run(before, { 'lib/constants/auth.ts': before['lib/constants/auth.ts'].replace('  .min(3);', '  .min(3)\n  .max(255);') });
      assert.deepEqual(rules(a, 'lib/constants/auth.ts'), ['app-change MEDIUM']);
      // A line of the sign-in providers' statement is.
      const b = await run(before, { 'lib/constants/auth.ts': before['lib/constants/auth.ts'].replace("env('SSO_CLIENT_ID')", "env('SSO_CLIENT_ID') && env('SSO_ISSUER')") });
      assert.equal(file(b, 'lib/constants/auth.ts').tier, 'HIGH');
    });

    it('a constant that the file\'s password hashing uses is confirmed by that use', async () => {
      const before = { 'src/auth/limits.ts': L('export const ROUNDS = 10;', 'export const MAX_NAME = 40;', 'export const digest = (p: string) => bcrypt.hash(p, ROUNDS);') };
      const a = await run(before, { 'src/auth/limits.ts': before['src/auth/limits.ts'].replace('ROUNDS = 10', 'ROUNDS = 12') });
      assert.equal(file(a, 'src/auth/limits.ts').tier, 'HIGH');
      const b = await run(before, { 'src/auth/limits.ts': before['src/auth/limits.ts'].replace('MAX_NAME = 40', 'MAX_NAME = 60') });
      assert.deepEqual(rules(b, 'src/auth/limits.ts'), ['app-change MEDIUM']);
    });

    it('a method of a class named for the payment provider, under a path that names it, is payment code', async () => {
      const before = { 'app/models/provider/stripe.rb': L('class Provider::Stripe', '  def fetch(id)', '    client.v2.events.retrieve(id)', '  end', 'end') };
      const a = await run(before, { 'app/models/provider/stripe.rb': before['app/models/provider/stripe.rb'].replace('client.v2.events', 'client.v1.events') });
      assert.equal(file(a, 'app/models/provider/stripe.rb').tier, 'HIGH');
      assert.ok(rules(a, 'app/models/provider/stripe.rb').includes('payment HIGH'));
    });

    it('an import of a cryptography module confirms the folder word', async () => {
      const before = { 'auth/token.go': L('package auth', '', 'import (', '\t"crypto/rand"', ')', '', 'var (', '\ttokenLength = 14', ')') };
      const a = await run(before, { 'auth/token.go': before['auth/token.go'].replace('tokenLength = 14', 'tokenLength = 22') });
      assert.equal(file(a, 'auth/token.go').tier, 'HIGH');
    });

    it('a middleware function in a file named for API tokens, whose own lines check bearer tokens, is authentication code', async () => {
      const T = 'pkg/routes/api_tokens.go';
      const mw = (skip: string) =>
        L('package routes', '', 'func SetupTokenMiddleware() echo.MiddlewareFunc {', '\treturn echojwt.WithConfig(echojwt.Config{', '\t\tSkipper: func(c *echo.Context) bool {', '\t\t\tfor _, s := range c.Request().Header.Values("Authorization") {', '\t\t\t\tif strings.HasPrefix(s, "Bearer "+models.APITokenPrefix) {', `\t\t\t\t\tskip := ${skip}`, '\t\t\t\t\treturn check(s, c, skip) == nil', '\t\t\t\t}', '\t\t\t}', '\t\t\treturn false', '\t\t},', '\t})', '}');
      const a = await run({ [T]: mw('c.Path() == "/api/v1/token/test"') }, { [T]: mw('c.Path() == "/api/v1/token/test" || c.Path() == "/api/v2/token/test"') });
      assert.equal(file(a, T).tier, 'HIGH', rules(a, T).join(', '));
      // The same middleware in a file whose path names no HIGH context stays middleware.
      const R = 'pkg/routes/middleware.go';
      const b = await run({ [R]: mw('c.Path() == "/api/v1/token/test"') }, { [R]: mw('c.Path() == "/api/v1/token/test" || c.Path() == "/api/v2/token/test"') });
      assert.deepEqual(rules(b, R), ['middleware MEDIUM']);
    });

    it('a Role manifest grants permissions: authorization code, not deployment settings', async () => {
      const role = (resources: string) => L('apiVersion: v1alpha1', 'kind: "Role"', 'metadata:', '  name: role-template-manage-themes', 'rules:', '  - apiGroups: [ "console.example.run" ]', `    resources: [ ${resources} ]`, '    verbs: [ "*" ]');
      const path = 'src/main/resources/extensions/role-template-theme.yaml';
      const a = await run({ [path]: role('"themes", "themes/reload"') }, { [path]: role('"themes", "themes/reload", "themes/upgrade"') });
      assert.deepEqual(rules(a, path), ['auth HIGH']);
      assert.equal(file(a, path).findings[0]!.subject?.category, 'authorization');
      const deploy = 'deploy/app.yaml';
      const manifest = (n: number) => L('apiVersion: apps/v1', 'kind: Deployment', 'spec:', `  replicas: ${n}`);
      const b = await run({ [deploy]: manifest(2) }, { [deploy]: manifest(3) });
      assert.deepEqual(rules(b, deploy), ['infrastructure MEDIUM']);
    });

    it('who counts as an administrator is authorization: an admin check, a staff check, Django\'s admin_view', async () => {
      const go = (cond: string) => L('package subsonic', '', 'func guard(next http.Handler) http.Handler {', '\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {', `\t\tif ${cond} {`, '\t\t\tsendError(w, r)', '\t\t\treturn', '\t\t}', '\t\tnext.ServeHTTP(w, r)', '\t})', '}');
      const a = await run({ 'server/guard.go': go('!u.Active') }, { 'server/guard.go': go('!u.Active || !u.IsAdmin') });
      assert.equal(file(a, 'server/guard.go').tier, 'HIGH', rules(a, 'server/guard.go').join(', '));
      const py = (view: string) => L('class Site(AdminSite):', '    def get_urls(self):', `        return [path("tasks/", ${view}, name="tasks")] + super().get_urls()`);
      const b = await run({ 'app/admin.py': py('tasks_view') }, { 'app/admin.py': py('self.admin_view(tasks_view)') });
      assert.equal(file(b, 'app/admin.py').tier, 'HIGH', rules(b, 'app/admin.py').join(', '));
      const java = (body: string) => L('public class UserService {', '    public void resetPwd(Set<Long> ids, String pwd) {', `        ${body}`, '    }', '}');
      const c = await run({ 'src/UserService.java': java('repo.resetPwd(ids, pwd);') }, { 'src/UserService.java': java('repo.resetPwd(ids, pwd); users.forEach(u -> flushCache(u.getUsername()));') });
      assert.equal(file(c, 'src/UserService.java').tier, 'HIGH', rules(c, 'src/UserService.java').join(', '));
      // The working directory is no password.
      const js = (v: string) => L(`export const root = process.env.PWD ?? ${v};`);
      const d = await run({ 'src/root.ts': js('"."'), 'src/main.ts': L("import { root } from './root';", 'console.log(root);') }, { 'src/root.ts': js('process.cwd()') });
      assert.equal(file(d, 'src/root.ts').tier, 'MEDIUM', rules(d, 'src/root.ts').join(', '));
    });

    it('translations are text people read: changed wording is MEDIUM, only new keys LOW, and their words are no auth code', async () => {
      const path = 'config/locales/en-GB.yml';
      const before = { [path]: L('en-GB:', '  sessions:', '    password_reset: "Reset your password"') };
      const a = await run(before, { [path]: L('en-GB:', '  sessions:', '    password_reset: "Choose a new password"') });
      assert.deepEqual(rules(a, path), ['translations MEDIUM']);
      const b = await run(before, { [path]: L('en-GB:', '  sessions:', '    password_reset: "Reset your password"', '  number:', '    words:', '      one: "one"') });
      assert.deepEqual(rules(b, path), ['translations LOW']);
      const c = await run({ 'src/main/resources/messages_fr.properties': L('login.title=Connexion') }, { 'src/main/resources/messages_fr.properties': L('login.title=Se connecter') });
      assert.deepEqual(rules(c, 'src/main/resources/messages_fr.properties'), ['translations MEDIUM']);
      // A settings file beside them is still settings.
      const settings = 'src/main/resources/application.properties';
      const d = await run({ [settings]: L('server.workers=2') }, { [settings]: L('server.workers=3') });
      assert.deepEqual(rules(d, settings), ['config MEDIUM']);
    });

    it('a static security scanner\'s accepted findings are tooling', async () => {
      const a = await run({ 'config/brakeman.ignore': L('{', '  "ignored_warnings": []', '}') }, { 'config/brakeman.ignore': L('{', '  "ignored_warnings": [{ "fingerprint": "ab12" }]', '}') });
      assert.deepEqual(rules(a, 'config/brakeman.ignore'), ['tooling ZERO']);
    });

    it('the same folder word counts where the file\'s own code is about sessions', async () => {
      const before = { 'auth/store.go': L('package auth', '', 'func Store(s *Session) {', '\tttl := 10', '\tkeep(s, ttl)', '}') };
      const a = await run(before, { 'auth/store.go': before['auth/store.go'].replace('ttl := 10', 'ttl := 20') });
      assert.equal(file(a, 'auth/store.go').tier, 'HIGH');
    });
  });

  describe('code loaded by convention', () => {
    it('a new Rails initializer runs at boot: its content is judged', async () => {
      const a = await run({ 'config/application.rb': L('module Shop; end') }, { 'config/initializers/sessions.rb': L('Rails.application.config.session_store :cookie_store, expire_after: 2.weeks') });
      assert.equal(file(a, 'config/initializers/sessions.rb').tier, 'HIGH');
    });

    it('a new Rails model nothing references is not called yet: LOW, as the same class in lib/ is', async () => {
      const a = await run({ 'app/models/user.rb': L('class User < ApplicationRecord', 'end') }, { 'app/models/audit_entry.rb': L('class AuditEntry < ApplicationRecord', '  def record!', '    update!(seen: true)', '  end', 'end') });
      assert.deepEqual(rules(a, 'app/models/audit_entry.rb'), ['unreferenced-file LOW']);
      const b = await run({}, { 'app/jobs/purge_job.rb': L('class PurgeJob < ApplicationJob', '  def perform', '    User.where(stale: true).delete_all', '  end', 'end') });
      assert.equal(b.tier, 'LOW');
    });

    it('a new Rails view helper is included in every view; a concern under app/helpers runs only once something includes it', async () => {
      const concern = L('module Shop', '  module ControllerHelpers', '    module Timezone', '      def zone', '        session[:zone] || "UTC"', '      end', '    end', '  end', 'end');
      const a = await run({ 'app/models/user.rb': L('class User < ApplicationRecord', 'end') }, { 'app/helpers/shop/controller_helpers/timezone.rb': concern });
      assert.deepEqual(rules(a, 'app/helpers/shop/controller_helpers/timezone.rb'), ['unreferenced-file LOW']);
      const b = await run({ 'app/models/user.rb': L('class User < ApplicationRecord', 'end') }, { 'app/helpers/zones_helper.rb': L('module ZonesHelper', '  def zone_label(z)', '    z.upcase', '  end', 'end') });
      assert.notDeepEqual(rules(b, 'app/helpers/zones_helper.rb'), ['unreferenced-file LOW']);
    });

    it('a new Rails controller is routed by name: judged', async () => {
      const a = await run({ 'config/routes.rb': L('resources :reports') }, { 'app/controllers/reports_controller.rb': L('class ReportsController < ApplicationController', '  def index', '    @reports = Report.all', '  end', 'end') });
      assert.equal(a.tier, 'MEDIUM');
    });

    it('a new file in a folder that a loader lists and requires is wired in: a queue processor deleting keys is HIGH', async () => {
      const loader = L("import { readdirSync } from 'node:fs';", "import { join } from 'node:path';", '', "for (const f of readdirSync(join(__dirname, 'processors'))) register(require(join(__dirname, 'processors', f)));");
      const before = { 'src/queue/index.ts': loader, 'src/queue/processors/welcome.ts': L('export default async function run(job: Job) {', '  await mail(job.user);', '}') };
      const a = await run(before, { 'src/queue/processors/purge-keys.ts': L('export default async function run(job: Job) {', '  await db.apiKey.deleteMany({ where: { userId: job.user } });', '}') });
      assert.equal(file(a, 'src/queue/processors/purge-keys.ts').tier, 'HIGH');
    });

    it('a folder name next to a listing call in a lockfile, or written as a bare word, wires nothing', async () => {
      const before = {
        'package-lock.json': L('{ "node_modules/readdirp": { "requires": { "readdir": "1", "processors": "2" } } }'),
        'src/queue/index.ts': L('// reads processors with readdirSync at start-up', 'export const processors = listed();'),
      };
      const a = await run(before, { 'src/queue/processors/purge-keys.ts': L('export default async function run(job: Job) {', '  await db.apiKey.deleteMany({ where: { userId: job.user } });', '}') });
      assert.deepEqual(rules(a, 'src/queue/processors/purge-keys.ts'), ['unreferenced-file LOW']);
    });

    it('a folder name in a file that lists no folder wires nothing', async () => {
      const before = { 'src/queue/index.ts': L("export const kind = 'processors';") };
      const a = await run(before, { 'src/queue/processors/purge-keys.ts': L('export default async function run(job: Job) {', '  await db.apiKey.deleteMany({ where: { userId: job.user } });', '}') });
      assert.deepEqual(rules(a, 'src/queue/processors/purge-keys.ts'), ['unreferenced-file LOW']);
    });

    it('a new TypeScript module is reached by an import path, not by its name as a word of other code', async () => {
      const tree = { 'src/pages/home.tsx': L("import { Shell } from './shell';", 'export const frame = 1;', 'export const Home = () => <Shell title="frame" />;') };
      const component = L('export function Frame(props: { title: string }) {', '  return <div className="frame">{props.title}</div>;', '}');
      const a = await run(tree, { 'src/components/frame.tsx': component });
      assert.deepEqual(rules(a, 'src/components/frame.tsx'), ['unreferenced-file LOW']);
      for (const from of ["'../components/frame'", "'@/components/frame.js'"]) {
        const b = await run(tree, { 'src/components/frame.tsx': component, 'src/pages/home.tsx': tree['src/pages/home.tsx'].replace("import { Shell } from './shell';", `import { Shell } from './shell';\nimport { Frame } from ${from};`) });
        assert.notDeepEqual(rules(b, 'src/components/frame.tsx'), ['unreferenced-file LOW'], from);
      }
      const c = await run({ 'src/index.ts': L("export * from './util';") }, { 'src/frame.ts': L('export const inset = 4;'), 'src/index.ts': L("export * from './util';", "export * from './frame';") });
      assert.notDeepEqual(rules(c, 'src/frame.ts'), ['unreferenced-file LOW']);
    });

    it('a new Django models.py is loaded by the app registry; a Spring @Configuration by the container', async () => {
      const a = await run({}, { 'shop/models.py': L('class Order(models.Model):', '    total = models.IntegerField()') });
      assert.equal(a.tier, 'MEDIUM');
      const b = await run({}, { 'src/main/java/shop/Jobs.java': L('@Configuration', 'public class Jobs {', '  @Scheduled(fixedRate = 1000)', '  public void purge() { repository.saveAll(stale); }', '}') });
      assert.equal(b.tier, 'HIGH');
    });
    it('a new settings module that only a .gitignore line or a CI workflow names is not loaded: LOW', async () => {
      const settings = L('from .base import *', '', 'if HOST:', '    CSRF_TRUSTED_ORIGINS.append(HOST)');
      const a = await run(
        { 'shop/settings/base.py': L('CSRF_TRUSTED_ORIGINS = []'), 'shop/settings/.gitignore': L('*', '!base.py') },
        { 'shop/settings/.gitignore': L('*', '!base.py', '!cloud.py'), 'shop/settings/cloud.py': settings },
      );
      assert.deepEqual(rules(a, 'shop/settings/cloud.py'), ['unreferenced-file LOW']);
      assert.equal(a.tier, 'LOW');
      const b = await run(
        { 'shop/settings/base.py': L('CSRF_TRUSTED_ORIGINS = []'), '.github/workflows/ci.yml': L('on: push') },
        { '.github/workflows/ci.yml': L('on: push', 'env:', '  SETTINGS: shop.settings.cloud'), 'shop/settings/cloud.py': settings },
      );
      assert.deepEqual(rules(b, 'shop/settings/cloud.py'), ['unreferenced-file LOW']);
      // Named by the service's own code, the same module is loaded and its content judged.
      const c = await run({ 'shop/settings/base.py': L('CSRF_TRUSTED_ORIGINS = []'), 'manage.py': L('import os') }, { 'manage.py': L('import os', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.cloud")'), 'shop/settings/cloud.py': settings });
      assert.equal(file(c, 'shop/settings/cloud.py').tier, 'HIGH');
    });
  });

  describe('"not integrated" on ordinary shapes', () => {
    const before = { 'src/app.ts': L("import { total } from './billing';", 'export const y = total();'), 'src/billing.ts': L('export function total() {', '  return 1;', '}') };

    it('an unused export whose parameters span many lines is not called yet', async () => {
      const after = L('export function total() {', '  return 1;', '}', '', 'export async function refundOrder(', '  orderId: string,', '  amount: number,', '  reason: string,', '  notify: boolean,', '  actor: string,', '  at: Date,', ') {', '  return gateway.refund(orderId, amount);', '}');
      const a = await run(before, { 'src/billing.ts': after });
      assert.deepEqual(rules(a, 'src/billing.ts'), ['unused-export LOW']);
    });

    it('a new template filter that no template uses is not called yet; one a template uses is live', async () => {
      const before = { 'core/templatetags/duration.py': L('from django import template', '', 'register = template.Library()', '', '', '@register.filter', 'def hours(d):', '    return d.seconds // 3600'), 'core/templates/card.html': L('<p>{{ nap.duration|hours }}</p>') };
      const filter = before['core/templatetags/duration.py'] + L('', '', '@register.filter', 'def deltasince(value, now=None):', '    now = now or timezone.now()', '    return now - value');
      const a = await run(before, { 'core/templatetags/duration.py': filter });
      assert.deepEqual(rules(a, 'core/templatetags/duration.py'), ['unused-export LOW']);
      const b = await run(before, { 'core/templatetags/duration.py': filter, 'core/templates/card.html': L('<p>{{ nap.duration|hours }}</p>', '<p>{{ nap.start|deltasince }}</p>') });
      assert.equal(file(b, 'core/templatetags/duration.py').tier, 'MEDIUM');
      // Registered under another name, the function's own name is not what templates write: it counts as called.
      const c = await run(before, { 'core/templatetags/duration.py': filter.replace('@register.filter\ndef deltasince', '@register.filter(name="since")\ndef deltasince') });
      assert.equal(file(c, 'core/templatetags/duration.py').tier, 'MEDIUM');
    });

    it('a new Django tag library is wired in by a template that loads it, not by its name as a word elsewhere', async () => {
      const MISC = 'core/templatetags/misc.py';
      const library = L('from django import template', '', 'register = template.Library()', '', '', '@register.filter', 'def next(items, i):', '    return items[i + 1]');
      const before = {
        'core/templates/list.html': L('{% load i18n duration %}', '<p>{% trans "Misc" %}</p>'),
        'static/css/site.css': L('.misc { color: red; }'),
        'core/utils.py': L('def misc(value):', '    return value'),
      };
      const a = await run(before, { [MISC]: library });
      assert.deepEqual(rules(a, MISC), ['unreferenced-file LOW']);
      const b = await run(before, { [MISC]: library, 'core/templates/list.html': L('{% load i18n duration misc %}', '<p>{{ items|next:0 }}</p>') });
      assert.equal(file(b, MISC).tier, 'MEDIUM');
      // Python reaches it through its module path.
      const c = await run(before, { [MISC]: library, 'core/views.py': L('from core.templatetags.misc import next', 'first = next([1, 2], 0)') });
      assert.equal(file(c, MISC).tier, 'MEDIUM');
    });

    it('a new class added to an existing module, listed in __all__ but used nowhere, is not used yet', async () => {
      const before = { 'ui/attrs.py': L('__all__ = (', "    'TextAttr',", ')', '', '', 'class TextAttr:', '    def render(self, v):', '        return str(v)') };
      const after = L('__all__ = (', "    'ListAttr',", "    'TextAttr',", ')', '', '', 'class TextAttr:', '    def render(self, v):', '        return str(v)', '', '', 'class ListAttr(TextAttr):', '    def render(self, v):', "        return ', '.join(str(x) for x in v)");
      const a = await run(before, { 'ui/attrs.py': after });
      assert.deepEqual(rules(a, 'ui/attrs.py'), ['unused-export LOW']);
      assert.match(file(a, 'ui/attrs.py').findings[0].message, /adds `ListAttr`, which nothing uses yet/);
      const b = await run({ ...before, 'ui/panels.py': L('from ui.attrs import TextAttr', 'NAME = TextAttr()') }, { 'ui/attrs.py': after, 'ui/panels.py': L('from ui.attrs import ListAttr, TextAttr', 'NAME = TextAttr()', 'TAGS = ListAttr()') });
      assert.equal(file(b, 'ui/attrs.py').tier, 'MEDIUM', JSON.stringify(file(b, 'ui/attrs.py').findings));
      const ts = { 'src/shapes.ts': L('export class Circle {', '  area(r: number) { return 3.14 * r * r; }', '}') };
      const c = await run(ts, { 'src/shapes.ts': ts['src/shapes.ts'] + L('', 'export class Square {', '  area(s: number) { return s * s; }', '}') });
      assert.deepEqual(rules(c, 'src/shapes.ts'), ['unused-export LOW']);
    });

    it('the private helpers of a new function nothing calls are not called yet either; a helper something else calls is', async () => {
      const J = 'src/main/java/geo/Distance.java';
      const before = { [J]: L('package geo;', '', 'public final class Distance {', '    public static double meters(double a) {', '        return a * 1000;', '    }', '}') };
      const helpers = ['    public static boolean crosses(double a, double b) {', '        return sign(a) != sign(b);', '    }', '', '    private static int sign(double x) {', '        return x < 0 ? -1 : 1;', '    }'];
      const a = await run(before, { [J]: L('package geo;', '', 'public final class Distance {', '    public static double meters(double a) {', '        return a * 1000;', '    }', '', ...helpers, '}') });
      assert.deepEqual(rules(a, J), ['unused-export LOW', 'unused-export LOW']);
      const b = await run(before, { [J]: L('package geo;', '', 'public final class Distance {', '    public static double meters(double a) {', '        return a * 1000 * sign(a);', '    }', '', ...helpers, '}') });
      assert.equal(file(b, J).tier, 'MEDIUM');
    });

    it('a TypeScript type literal in a function header is no body: the body after it belongs to the function', async () => {
      const U = 'src/utils/env.ts';
      const before = { [U]: L("export const name = 'app';"), 'src/index.ts': L("import { name } from './utils/env';", 'console.log(name);') };
      const a = await run(before, {
        [U]: L(
          "export const name = 'app';",
          'type Env = { env: Record<string, string> };',
          '',
          'const hasProxy = (c: any): c is { proxy: Env } => {',
          '  return !!c?.proxy?.env;',
          '};',
          '',
          'export function readEnv(name: string, c?: any): { value: string } {',
          '  return { value: hasProxy(c) ? c.proxy.env[name] : process.env[name] ?? "" };',
          '}',
        ),
      });
      assert.deepEqual(rules(a, U), ['unused-export LOW', 'unused-export LOW']);
    });

    it('a name added inside a multi-line import is an import, in TypeScript and in Python', async () => {
      const ts = (names: string[]) => L('import {', ...names.map((n) => `  ${n},`), "} from '@app/schemas';", '', 'export const ready = true;');
      const a = await run({ 'src/q.ts': ts(['Activities', 'type Activity']), 'src/main.ts': L("import { ready } from './q';", 'console.log(ready);') }, { 'src/q.ts': ts(['Activities', 'type Activity', 'type ActivityAction']) });
      assert.deepEqual(rules(a, 'src/q.ts'), ['imports LOW']);
      const py = (names: string[]) => L('from app.models import (', ...names.map((n) => `    ${n},`), ')', '', 'READY = True');
      const b = await run({ 'app/q.py': py(['Activity']), 'app/main.py': L('from app.q import READY') }, { 'app/q.py': py(['Activity', 'Action']) });
      assert.deepEqual(rules(b, 'app/q.py'), ['imports LOW']);
    });

    it('a new query a factory hands out by name, that nothing uses, is not called yet; one something uses is live', async () => {
      const Q = 'src/queries/activities.ts';
      const factory = (members: string[], extra: string[] = []) =>
        L('export const createActivityQueries = (pool: Pool) => {', '  const deleteActivities = async (id: string) => pool.query(sql`delete from activities where id = ${id}`);', ...extra, '', '  return {', ...members.map((m) => `    ${m},`), '  };', '};');
      const user = L("import { createActivityQueries } from './queries/activities';", 'export const queries = createActivityQueries(pool);', 'export const purge = (id: string) => queries.deleteActivities(id);');
      const before = { [Q]: factory(['deleteActivities']), 'src/app.ts': user };
      const added = ['  const insertActivity = buildInsertInto(pool)(Activities);', '  const countActivities = async (target: string): Promise<number> =>', '    Number(await pool.oneFirst(sql`select count(*) from activities where target = ${target}`));'];
      const a = await run(before, { [Q]: factory(['insertActivity', 'countActivities', 'deleteActivities'], added), 'src/queries/activities.test.ts': L("it('counts', () => queries.countActivities('x'));") });
      assert.deepEqual(rules(a, Q), ['unused-export LOW', 'unused-export LOW'], rules(a, Q).join(', '));
      const b = await run(before, { [Q]: factory(['insertActivity', 'countActivities', 'deleteActivities'], added), 'src/app.ts': `${user}export const count = (t: string) => queries.countActivities(t);\n` });
      assert.notDeepEqual(rules(b, Q), ['unused-export LOW', 'unused-export LOW'], rules(b, Q).join(', '));
    });

    it('a new Active Record scope nothing uses is not called yet', async () => {
      const M = 'app/models/access_token.rb';
      const before = { [M]: L('class AccessToken < ApplicationRecord', '  scope :live, -> { where(revoked_at: nil) }', 'end'), 'app/jobs/sweep.rb': L('AccessToken.live.count') };
      const a = await run(before, { [M]: L('class AccessToken < ApplicationRecord', '  scope :live, -> { where(revoked_at: nil) }', '  scope :expires_before, ->(time) { where(expires_at: ...time) }', 'end') });
      assert.deepEqual(rules(a, M), ['unused-export LOW']);
    });

    it('a new unexported Go function nothing in the package calls is not called yet', async () => {
      const before = { 'account.go': L('package app', '', 'func Login(u string) error {', '\treturn check(u)', '}', '', 'func check(u string) error { return nil }') };
      const a = await run(before, { 'account.go': before['account.go'] + L('', 'func loginViaEmail(alias string) error {', '\tu := lookupUser(alias)', '\treturn sendLoginLink(u)', '}') });
      assert.deepEqual(rules(a, 'account.go'), ['unused-export LOW']);
    });

    it('a new Go file whose methods share names with other code is still not wired in, and its package clause is no behaviour', async () => {
      const tree = { 'main.go': L('package main', '', 'func main() {', '\tGet()', '}', '', 'func Get() {}') };
      const a = await run(tree, { 'cache/cache.go': L('package cache', '', 'type Cache struct {', '\tn int', '}', '', 'func (c *Cache) Get() int {', '\treturn c.n', '}') });
      assert.deepEqual(rules(a, 'cache/cache.go'), ['unreferenced-file LOW']);
      const b = await run({ 'pay/pay.go': L('package pay', '', 'func Charge() int {', '\treturn Fee()', '}') }, { 'pay/fee.go': L('package pay', '', 'func Fee() int {', '\treturn 2', '}', '', 'func Unused() int {', '\treturn 3', '}') });
      assert.ok(!file(b, 'pay/fee.go').findings.some((f) => f.line === 1), 'the package clause is not a finding');
    });

    it('a new Go package is reached through an import of its path, not by its names in other packages', async () => {
      const STORE = 'backend/store/image/image.go';
      const image = L('package image', '', 'import "os"', '', 'type FileSystem struct {', '\tLocation string', '}', '', 'func (f FileSystem) Save(name string) error {', '\t_, err := os.Create(f.Location + name)', '\treturn err', '}');
      const before = {
        'go.mod': L('module example.com/app', '', 'go 1.22'),
        // Another package with a type of the same name, and the standard library's image package.
        'backend/disk/disk.go': L('package disk', '', 'import "image"', '', 'type FileSystem struct{}', '', 'func Decode() image.Image { return nil }'),
      };
      const a = await run(before, { [STORE]: image });
      assert.deepEqual(rules(a, STORE), ['unreferenced-file LOW']);
      const b = await run(before, { [STORE]: image, 'backend/main.go': L('package main', '', 'import "example.com/app/backend/store/image"', '', 'func main() {', '\t_ = image.FileSystem{Location: "/tmp/"}', '}') });
      assert.notDeepEqual(rules(b, STORE), ['unreferenced-file LOW']);
      // A file of the same package reaches it by name alone.
      const c = await run({ ...before, 'backend/store/image/load.go': L('package image', '', 'func Load() {}') }, { [STORE]: image, 'backend/store/image/load.go': L('package image', '', 'func Load() { _ = FileSystem{} }') });
      assert.notDeepEqual(rules(c, STORE), ['unreferenced-file LOW']);
    });
  });
});
