/**
 * What a file is, from its path: a test, documentation, tooling, CI, infrastructure, dependencies, an
 * API schema, settings, or code. Tests and docs are decided by path alone (a test that mentions
 * payments is still a test); everything else is then judged by what its changed lines do.
 */
import type { Policy } from '../policy/schema';
import { extensionOf, languageOf, type LanguageId } from './languages';
import { toWords, type CompiledRules, type RuleHit } from './rules';
import { innermostFunctionByLine, type FunctionSpan } from './functions';
import type { ScannedLine } from './scan';
import type { PathKind } from './types';

export type { PathKind } from './types';

/**
 * One test for a list of patterns: those sharing flags joined into one alternation, so a path is
 * scanned once per list instead of once per pattern. The patterns use no back-references.
 */
export function anyOf(res: readonly RegExp[]): (s: string) => boolean {
  const byFlags = new Map<string, string[]>();
  for (const re of res) byFlags.set(re.flags, [...(byFlags.get(re.flags) ?? []), `(?:${re.source})`]);
  const joined = [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags.replace(/[gy]/g, '')));
  return joined.length === 1 ? (s) => joined[0].test(s) : (s) => joined.some((re) => re.test(s));
}

const TEST = [
  /(?:^|\/)(?:test|tests|__tests__|__mocks__|spec|specs|e2e|cypress|testdata|test-data|fixtures|testing)\//,
  /\.(?:test|spec|e2e|stories)\.[cm]?[jt]sx?$/,
  /_test\.(?:go|py|rb|exs?)$/,
  /(?:^|\/)test_[^/]*\.py$/,
  /(?:^|\/)conftest\.py$/,
  /_spec\.rb$/,
  /(?:Test|Tests|IT|Spec)\.(?:java|kt|scala|groovy)$/,
  /(?:^|\/)src\/(?:test|androidTest|integrationTest)\//,
  /\.snap$/,
  /(?:^|\/)(?:jest|vitest|karma|cypress|playwright|wdio)\.config\.\w+$|(?:^|\/)\.mocharc(?:\.\w+)?$|(?:^|\/)(?:pytest\.ini|tox\.ini|\.rspec)$/,
];
const DOCS = [
  /\.(?:md|mdx|markdown|rst|adoc|asciidoc|txt)$/i,
  /(?:^|\/)(?:docs?|documentation|man)\//,
  // Documentation sites' own settings: they build the docs, not the service.
  /(?:^|\/)(?:mkdocs\.ya?ml|\.?readthedocs\.ya?ml|antora(?:-playbook)?\.ya?ml|book\.toml|docusaurus\.config\.[cm]?[jt]s|typedoc\.json|jsdoc\.json)$/,
  /(?:^|\/)(?:LICEN[CS]E|COPYING|NOTICE|AUTHORS|CONTRIBUTORS|CHANGELOG|CHANGES|HISTORY|README|CODEOWNERS)(?:\.\w+)?$/i,
  // Example settings for people to copy (`paperless.conf.example`, `.env.sample`, `config.example.yml`): the service reads its own copy.
  /\.(?:example|sample)$|\.(?:example|sample)\.(?:ya?ml|json|toml|ini|cfg|conf|env|properties|xml)$/i,
];
const NOT_DOCS = /(?:^|\/)(?:requirements[\w.-]*\.txt|[\w-]*requirements\.txt|requirements\/[\w.-]+\.txt|constraints[\w.-]*\.txt|CMakeLists\.txt)$/;
const TOOLING = [
  /(?:^|\/)\.(?:eslintrc|prettierrc|stylelintrc|markdownlint|editorconfig|gitignore|gitattributes|dockerignore|npmignore|prettierignore|eslintignore|nvmrc|node-version|python-version|ruby-version|tool-versions|lintstagedrc|commitlintrc)(?:\.\w+)?$/,
  /(?:^|\/)(?:eslint|prettier|stylelint|commitlint|lint-staged)\.config\.\w+$/,
  /(?:^|\/)\.rollout-lens\.json$/, // this tool's own policy: read by the analysis, not deployed
  /(?:^|\/)\.(?:vscode|idea|husky|devcontainer|githooks)\//,
  // Spell checkers read the source in the editor or in CI.
  /(?:^|\/)(?:\.?cspell(?:\.config)?\.(?:json|jsonc|ya?ml|[cm]?js)|\.codespellrc|_?typos\.toml)$/,
  // Git hooks run on developers' machines, at commit or push.
  /(?:^|\/)(?:\.pre-commit-config\.ya?ml|\.?lefthook\.ya?ml|\.pre-commit-hooks\.ya?ml)$/,
  /(?:^|\/)\.github\/(?!workflows\/)/,
  /(?:^|\/)(?:\.golangci\.ya?ml|\.rubocop\.ya?ml|\.flake8|\.pylintrc|ruff\.toml|\.clang-format|\.swiftlint\.yml|detekt\.ya?ml|checkstyle\.xml)$/,
  // Static security scanners' settings and accepted findings (Brakeman, Bandit, Semgrep): read in CI.
  /(?:^|\/)(?:brakeman\.ignore|\.brakeman\.ya?ml|\.bandit|\.semgrepignore|\.semgrep\.ya?ml)$/,
];
const CI = [
  /(?:^|\/)\.github\/workflows\//,
  /(?:^|\/)(?:\.gitlab-ci\.ya?ml|\.travis\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|Jenkinsfile|\.drone\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml)$/,
  /(?:^|\/)\.(?:circleci|buildkite|gitlab)\//,
];
const INFRASTRUCTURE = [
  /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.dockerfile$/i,
  /(?:^|\/)(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/,
  /\.(?:tf|tfvars|hcl)$/,
  /(?:^|\/)(?:Procfile|fly\.toml|app\.ya?ml|serverless\.ya?ml|Chart\.yaml|kustomization\.ya?ml|skaffold\.ya?ml|render\.ya?ml|vercel\.json|netlify\.toml|nginx[\w.-]*\.conf|[\w-]+\.service|cloudformation[\w.-]*\.(?:ya?ml|json)|template\.ya?ml)$/,
];
/**
 * A developer's local environment: container files in a `dev/` or `development/` folder, or named for
 * it (`docker-compose.dev.yml`, `compose.local.yaml`, `Dockerfile.dev`). They start the service on a
 * laptop; production never reads them.
 */
const DEV_ENVIRONMENT = /(?:^|\/)(?:dev|development|local)\/(?:[^/]+\/)*[^/]+$|(?:^|\/)[^/]*[.-](?:dev|development|local)(?:\.ya?ml)?$/i;
const COMPOSE = /(?:^|\/)(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/;
/** A compose service that mounts the project's own folder (`- .:/src/app`, `source: .`) runs the working copy: a developer's environment. */
const SOURCE_MOUNT = /^\s*-\s*["']?\.\/?:\/|^\s*source:\s*["']?\.\/?["']?\s*$/m;
const DEV_WORDS = /\b(?:development|dev only|local dev|for dev)\b/i;

/** A compose file for development, by what it says of itself in its first comment lines or by mounting the project's folder. */
function devCompose(path: string, content: string | undefined): boolean {
  if (content === undefined || !COMPOSE.test(path)) return false;
  let header = '';
  for (const line of content.split('\n', 20)) {
    if (!/^\s*(?:#|$)/.test(line)) break;
    header += `${line}\n`;
  }
  return DEV_WORDS.test(header) || SOURCE_MOUNT.test(content);
}
const DEPENDENCIES = /(?:^|\/)(?:package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|requirements[\w.-]*\.txt|constraints[\w.-]*\.txt|Pipfile(?:\.lock)?|poetry\.lock|pyproject\.toml|setup\.py|setup\.cfg|uv\.lock|go\.mod|go\.sum|Gemfile(?:\.lock)?|gems\.(?:rb|locked)|[\w-]+\.gemspec|pom\.xml|[\w.-]+\.gradle(?:\.kts)?|gradle\.lockfile|libs\.versions\.toml|pdm\.lock|[\w-]*requirements\.txt|requirements\/[\w.-]+\.txt|Cargo\.(?:toml|lock)|composer\.(?:json|lock)|[\w.-]+\.csproj|packages\.lock\.json|mix\.(?:exs|lock))$/;
const API_SCHEMA = [/(?:^|\/)(?:openapi|swagger)[\w.-]*\.(?:ya?ml|json)$/i, /\.(?:graphql|graphqls|gql|proto|avsc|wsdl|raml)$/];
const CONFIG_EXT = new Set(['json', 'json5', 'jsonc', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'properties', 'env', 'xml', 'plist']);
const IMAGE_EXT = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'avif', 'tiff']);
/**
 * Folders of deployment files. Their settings are infrastructure; source code in them is not: in
 * DDD and hexagonal layouts `infrastructure/` is the layer of repositories, security adapters and
 * clients, and what that code does is read from its lines like any other code.
 */
const INFRASTRUCTURE_DIRS = /(?:^|\/)(?:k8s|kubernetes|helm|charts|manifests|deploy|deployment|deployments|infra|infrastructure|terraform|ansible|pulumi|cdk|kustomize|argocd|nginx)\//;
// A Kubernetes manifest anywhere: `apiVersion:` and `kind:` at the top level.
const K8S = /^apiVersion:\s*\S+[\s\S]*^kind:\s*\S+/m;

export type PathKeywordKinds = 'test' | 'docs' | 'infrastructure' | 'migration';

export interface PathClassifier {
  kind(path: string, content?: string): PathKind;
  /** Whether the policy's `keywords.migration` names this path. */
  isMigrationByKeyword(path: string): boolean;
}

function keywordMatcher(words: string[] | undefined): ((path: string) => boolean) | undefined {
  if (!words?.length) return undefined;
  const phrases = words.map((w) => toWords(w).trim()).filter(Boolean);
  if (!phrases.length) return undefined;
  const re = new RegExp(` (?:${phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})s? `);
  return (path) => re.test(toWords(path));
}

const IS_TEST = anyOf(TEST);
const IS_DOCS = anyOf(DOCS);
const IS_CI = anyOf(CI);
const IS_TOOLING = anyOf(TOOLING);
const IS_API_SCHEMA = anyOf(API_SCHEMA);
const IS_INFRASTRUCTURE = anyOf(INFRASTRUCTURE);

export function compilePathClassifier(policy: Pick<Policy, 'keywords'>): PathClassifier {
  const kwTest = keywordMatcher(policy.keywords.test);
  const kwDocs = keywordMatcher(policy.keywords.docs);
  const kwInfra = keywordMatcher(policy.keywords.infrastructure);
  const kwMigration = keywordMatcher(policy.keywords.migration);
  return {
    isMigrationByKeyword: (path) => !!kwMigration?.(path),
    kind(path, content) {
      if (IS_TEST(path) || kwTest?.(path)) return 'test';
      if ((!NOT_DOCS.test(path) && IS_DOCS(path)) || kwDocs?.(path)) return 'docs';
      if (IS_CI(path)) return 'ci';
      if (IS_TOOLING(path)) return 'tooling';
      if (DEPENDENCIES.test(path)) return 'dependencies';
      if (IS_API_SCHEMA(path)) return 'api-schema';
      const ext = extensionOf(path);
      const lang = languageOf(path);
      if (IS_INFRASTRUCTURE(path)) return DEV_ENVIRONMENT.test(path) || devCompose(path, content) ? 'tooling' : 'infrastructure';
      if (kwInfra?.(path)) return 'infrastructure';
      if (!lang && INFRASTRUCTURE_DIRS.test(path)) return 'infrastructure';
      if ((ext === 'yaml' || ext === 'yml') && content !== undefined && K8S.test(content)) return 'infrastructure';
      if (IMAGE_EXT.has(ext)) return 'binary-image';
      if (lang) return 'code';
      if (CONFIG_EXT.has(ext) || /(?:^|\/)\.env(?:\.[\w-]+)?$/.test(path)) return 'config';
      return 'text';
    },
  };
}

/** The rule a file's path puts a changed line in, when the code around that line agrees. */
export interface PathContext {
  /** For a line of the new version; 0 (a removed line, whose place is not known) asks about the whole file. */
  at(line: number): RuleHit | undefined;
}

/**
 * The rule a file's path puts its otherwise unremarkable lines in, when the file's content agrees.
 * A path word is the weakest evidence there is: `auth/cors.go` is CORS settings, not login code. A
 * path word that would raise lines to HIGH (auth, payment) counts for a changed line only when the
 * declaration the line is part of (the innermost function around it, else its top-level statement)
 * matches the same rule outside its strings, or the header of its top-level declaration does (every
 * method of `class Provider::Stripe` is the payment client's), or a line of the file that does uses the name it
 * declares (`ROUNDS = 12` beside `bcrypt.hash(p, ROUNDS)`), or the file imports a module that does (`"crypto/rand"`):
 * in `constants/auth.ts`, a length limit of a name schema is not authentication code because the
 * same file also lists sign-in providers. MEDIUM contexts (API, middleware) raise nothing and need no proof.
 */
export function confirmedPathContext(path: string, scanned: readonly ScannedLine[], lang: LanguageId, rules: CompiledRules, functions: readonly FunctionSpan[] = []): PathContext {
  const hit = rules.contextOf(path, 'path');
  if (!hit || hit.tier !== 'HIGH' || lang === 'config' || lang === 'text') return { at: () => hit };
  const matches = (n: number) => {
    const s = scanned[n];
    if (!s?.code || PACKAGE_CLAUSE.test(s.code)) return false;
    // Read without string contents, a header name (`"access-control-allow-origin"`) confirms nothing;
    // an import's module does (`"crypto/rand"`).
    const text = IMPORT_LINE.test(s.code) ? s.code : s.bare;
    return rules.match(text, lang).some((h) => h.rule === hit.rule);
  };
  // The lines that match the rule, found once: each region and each use is then checked against them only.
  let matching: number[] | undefined;
  let matchingSet: Set<number> | undefined;
  const matchingLines = () => (matching ??= scanned.map((_, n) => n).filter(matches));
  const isMatching = (n: number) => (matchingSet ??= new Set(matchingLines())).has(n);
  const byImport = () => matchingLines().some((n) => IMPORT_LINE.test(scanned[n].code));
  const regions = new Map<string, boolean>();
  /** Whether lines from..to (0-based) match the rule, or a line elsewhere that does uses the name they declare. */
  const confirmed = (from: number, to: number, name: string | undefined) => {
    const key = `${from}:${to}`;
    let yes = regions.get(key);
    if (yes === undefined) {
      const uses = name ? new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`) : undefined;
      yes = matchingLines().some((n) => (n >= from && n <= to) || (!!uses && uses.test(scanned[n].code)));
      regions.set(key, yes);
    }
    return yes;
  };
  let fnAt: Int32Array | undefined;
  return {
    at(line) {
      if (line <= 0 || line > scanned.length) return confirmed(0, scanned.length - 1, undefined) ? hit : undefined;
      if (byImport()) return hit;
      fnAt ??= innermostFunctionByLine(functions, scanned.length);
      const fn = fnAt[line] >= 0 ? functions[fnAt[line]] : undefined;
      const [top, end] = topLevelStatement(scanned, line - 1);
      // The header of the top-level declaration around the line counts too: in `class Provider::Stripe`, every method is the payment client's.
      if (isMatching(top)) return hit;
      const [from, to] = fn ? [fn.start - 1, fn.end - 1] : [top, end];
      const name = fn ? fn.name : DECLARED.exec(scanned[from].code)?.[1];
      return confirmed(from, to, name && /^[\w$]+$/.test(name) ? name : undefined) ? hit : undefined;
    },
  };
}

// The name a top-level statement declares: `export const ROUNDS = 12`, `ROUNDS = 12`, `var Rounds = 12`, `const Rounds int = 12`.
const DECLARED = /^(?:export\s+)?(?:(?:const|let|var|val|def|func|function|class|type)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]*)?(?:\s+[\w.*[\]]+\s*)?(?:=|\(|\{|<)/;

/** A line that starts a top-level statement: code at the first column that does not close one (`}`, `)`, `end`). */
const opensTopLevel = (code: string) => code !== '' && !/^\s/.test(code) && !/^(?:[)\]}]|end\b)/.test(code);

/** The 0-based first and last line of the top-level statement that line `n` (0-based) is part of, by indentation. */
function topLevelStatement(scanned: readonly ScannedLine[], n: number): [number, number] {
  let from = n;
  while (from > 0 && !opensTopLevel(scanned[from].code)) from--;
  let to = n;
  while (to + 1 < scanned.length && !opensTopLevel(scanned[to + 1].code)) to++;
  return [from, to];
}

// A package clause repeats the folder's name (`package auth`): it confirms nothing.
const PACKAGE_CLAUSE = /^\s*package\s+[\w.]+;?\s*$/;
const IMPORT_LINE = /^\s*(?:import\s|from\s+[\w.]+\s+import\s|require(?:_relative)?[\s(]|"[\w./-]+"\s*$|\w+\s+"[\w./-]+"\s*$|(?:const|let|var)\s+[\w{},\s]+=\s*require\()/;

/**
 * Files whose mention of new code does not integrate it into what runs: tests and docs, developer
 * tooling (a `.gitignore` line keeps a file in version control, it loads nothing) and CI pipelines
 * (they run on the build machines, not in the service).
 */
export function wiresNothing(kind: PathKind): boolean {
  return kind === 'test' || kind === 'docs' || kind === 'tooling' || kind === 'ci';
}
