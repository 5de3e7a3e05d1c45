/**
 * Dependency manifests: does a changed line reach what ships? Each changed line is placed in its
 * manifest's structure (the package.json field, the Gemfile group, the TOML table, the Maven block,
 * the Gradle configuration) on its own side of the change, and a change whose every line sits in a
 * development-only place (test and lint dependencies, build checks, metadata) does not ship.
 * Anything not understood counts as runtime: the safe answer for a manifest is "production changes".
 */
import type { ChangedFile, ChangedLine } from '../change/types';
import type { Finding } from './types';
import { oldText } from './syntax/old';

/** Where a changed line sits: in what ships, in development only, in descriptive metadata, or in a Go module to look up. */
export type Place =
  | { kind: 'runtime'; where: string }
  | { kind: 'development'; where: string }
  | { kind: 'metadata'; where: string }
  | { kind: 'module'; module: string }
  /** A version catalog's entry: what it is depends on where the build files use it, by the names it is reached by. */
  | { kind: 'alias'; accessors: string[]; where: string };

type Placer = (lines: readonly string[]) => (Place | undefined)[];

const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dir = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

// ---------------------------------------------------------------------------------------------------
// JSON manifests: package.json, composer.json

const NPM_RUNTIME = new Set(['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies', 'overrides', 'resolutions', 'engines', 'main', 'module', 'exports', 'type', 'browser', 'bin', 'files', 'imports', 'require', 'conflict', 'replace', 'provide', 'autoload', 'extra', 'config', 'workspaces', 'browserslist', 'sideEffects']);
const NPM_DEV = new Set(['devDependencies', 'require-dev', 'autoload-dev', 'eslintConfig', 'prettier', 'stylelint', 'jest', 'mocha', 'ava', 'c8', 'nyc', 'lint-staged', 'husky', 'commitlint', 'devEngines', 'packageManager', 'volta', 'publishConfig', 'simple-git-hooks', 'knip', 'typeCoverage']);
const NPM_METADATA = new Set(['name', 'description', 'keywords', 'author', 'authors', 'contributors', 'maintainers', 'license', 'homepage', 'bugs', 'repository', 'funding', 'private', 'support', 'minimum-stability', 'prefer-stable', '$schema', 'scripts-descriptions']);
// Scripts that run the service or build what is deployed; the others (test, lint, format…) are the developers'.
const RUNTIME_SCRIPT = /^(?:pre|post)?(?:start|serve|build|install|prepare|prepublish|prepublishOnly|preinstall|postinstall|deploy|migrate|worker)(?::.*)?$/;

function jsonPlace(top: string | undefined, second: string | undefined): Place | undefined {
  if (top === undefined) return undefined;
  if (top === 'scripts') {
    if (second === undefined) return undefined;
    return RUNTIME_SCRIPT.test(second) ? { kind: 'runtime', where: `script "${second}"` } : { kind: 'development', where: `script "${second}"` };
  }
  if (NPM_DEV.has(top)) return { kind: 'development', where: top };
  if (NPM_METADATA.has(top)) return { kind: 'metadata', where: top };
  return { kind: 'runtime', where: NPM_RUNTIME.has(top) ? top : `field "${top}"` };
}

/** Each line's key path (`["devDependencies", "mocha"]`), from one pass over the text with string awareness. */
function jsonPaths(lines: readonly string[]): string[][] {
  const out: string[][] = [];
  const stack: (string | undefined)[] = [];
  let pending: string | undefined;
  const path = (extra?: string) => [...stack.slice(1), ...(extra === undefined ? [] : [extra])].map((k) => k ?? '');
  for (const line of lines) {
    let lineKeys: string[] | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === '"') {
        let j = i + 1;
        let s = '';
        while (j < line.length && line[j] !== '"') {
          if (line[j] === '\\') j++;
          s += line[j] ?? '';
          j++;
        }
        i = j;
        if (/^\s*:/.test(line.slice(j + 1))) {
          pending = s;
          lineKeys ??= path(s);
        }
      } else if (c === '{' || c === '[') {
        stack.push(pending);
        pending = undefined;
      } else if (c === '}' || c === ']') {
        lineKeys ??= path();
        stack.pop();
      }
    }
    out.push(lineKeys ?? path());
  }
  return out;
}

const placeJson: Placer = (lines) => jsonPaths(lines).map((keys) => jsonPlace(keys[0], keys[1]));

const LOCK_HEADER = new Set(['name', 'version', 'lockfileVersion', 'requires']);

/**
 * package-lock.json: each package entry says `"dev": true` when only development dependencies need
 * it; the root entry (`""`) repeats package.json's sections.
 */
const placePackageLock: Placer = (lines) => {
  const paths = jsonPaths(lines);
  const dev = new Set<string>();
  paths.forEach((keys, n) => {
    if (keys.length === 3 && keys[2] === 'dev' && /:\s*true\b/.test(lines[n])) dev.add(`${keys[0]}\0${keys[1]}`);
  });
  return paths.map((keys) => {
    if (keys[0] !== 'packages' && keys[0] !== 'dependencies') return LOCK_HEADER.has(keys[0] ?? '') ? { kind: 'metadata', where: 'lockfile header' } : keys.length ? { kind: 'runtime', where: 'package-lock.json' } : undefined;
    if (keys[1] === undefined) return undefined;
    if (keys[1] === '') return jsonPlace(keys[2], keys[3]);
    return dev.has(`${keys[0]}\0${keys[1]}`) ? { kind: 'development', where: `${keys[1].replace(/^.*node_modules\//, '')}, a development package` } : { kind: 'runtime', where: keys[1].replace(/^.*node_modules\//, '') };
  });
};

/** poetry.lock: each `[[package]]` names the groups that need it (`groups = ["dev"]`, older `category = "dev"`). */
const placePoetryLock: Placer = (lines) => {
  const out: (Place | undefined)[] = new Array(lines.length);
  let start = -1;
  const flush = (end: number) => {
    if (start < 0) {
      for (let n = 0; n < end; n++) out[n] = undefined;
      return;
    }
    let name = 'a package';
    let groups: string[] | undefined;
    for (let n = start; n < end; n++) {
      const m = /^(name|groups|category)\s*=\s*(.*)$/.exec(lines[n]);
      if (!m) continue;
      const values = [...m[2].matchAll(/"([^"]*)"/g)].map((v) => v[1]);
      if (m[1] === 'name') name = values[0] ?? name;
      else groups = values;
    }
    const place: Place = groups?.length && groups.every((g) => DEV_NAME.test(g)) ? { kind: 'development', where: `${name}, in group ${groups.join(', ')}` } : { kind: 'runtime', where: name };
    for (let n = start; n < end; n++) out[n] = place;
  };
  for (let n = 0; n < lines.length; n++) {
    if (/^\[\[package\]\]\s*$/.test(lines[n])) {
      flush(n);
      start = n;
    } else if (/^\[metadata\]\s*$/.test(lines[n])) {
      flush(n);
      start = -1;
      for (let m = n; m < lines.length; m++) out[m] = { kind: 'metadata', where: 'lockfile metadata' };
      return out;
    }
  }
  flush(lines.length);
  return out;
};

// ---------------------------------------------------------------------------------------------------
// Gemfile

const DEV_GROUPS = new Set(['development', 'test', 'ci', 'lint', 'linters', 'rubocop', 'tools']);
const symbols = (s: string) => [...s.matchAll(/:(\w+)|["'](\w+)["']/g)].map((m) => m[1] ?? m[2]);

const placeGemfile: Placer = (lines) => {
  const out: (Place | undefined)[] = [];
  // Each open `do` block: the groups it names (undefined for other blocks, which inherit).
  const stack: (string[] | undefined)[] = [];
  const current = () => [...stack].reverse().find((g) => g !== undefined);
  for (const raw of lines) {
    const line = raw.replace(/#.*$/, '');
    const group = /^\s*group\s+(.+?)\s+do\b/.exec(line);
    const opens = /\bdo\s*(?:\|[^|]*\|\s*)?$/.test(line);
    if (group) stack.push(symbols(group[1]));
    else if (opens) stack.push(undefined);
    const option = /\bgroups?:\s*(\[[^\]]*\]|:\w+|["']\w+["'])/.exec(line);
    const groups = option ? symbols(option[1]) : current();
    out.push(
      groups && groups.length && groups.every((g) => DEV_GROUPS.has(g))
        ? { kind: 'development', where: `group ${groups.map((g) => `:${g}`).join(', ')}` }
        : { kind: 'runtime', where: groups?.length ? `group ${groups.map((g) => `:${g}`).join(', ')}` : 'the default group' },
    );
    if (/^\s*end\b/.test(line)) stack.pop();
  }
  return out;
};

// ---------------------------------------------------------------------------------------------------
// TOML manifests: pyproject.toml, Pipfile, Cargo.toml

const DEV_NAME = /^(?:dev|develop|development|test|tests|testing|lint|linting|linters|docs|doc|typing|types|mypy|ci|style|format|coverage|bench|benchmark|benchmarks|debug|tools|devel|qa)$/i;
const TOOL_TABLES = /^tool\.(?:black|ruff|isort|mypy|pytest|coverage|pylint|flake8|pyright|bandit|codespell|tox|commitizen|bumpversion|towncrier|pydocstyle|interrogate|semantic_release|cibuildwheel|djlint|pre_commit)\b/;

function tomlPlace(table: string, key: string | undefined): Place | undefined {
  const where = key ? `[${table}] ${key}` : `[${table}]`;
  const dev = { kind: 'development' as const, where };
  const runtime = { kind: 'runtime' as const, where };
  if (TOOL_TABLES.test(table)) return dev;
  if (table === 'project') {
    if (key === undefined) return undefined;
    if (['description', 'readme', 'authors', 'maintainers', 'keywords', 'classifiers', 'urls', 'license', 'license-files'].includes(key)) return { kind: 'metadata', where };
    return runtime;
  }
  if (table === 'project.urls') return { kind: 'metadata', where };
  if (table === 'project.optional-dependencies' || table === 'dependency-groups') {
    if (key === undefined) return undefined;
    // Groups (PEP 735) are not part of the package; an extra ships when someone installs it by name.
    return DEV_NAME.test(key) || (table === 'dependency-groups' && !/prod|runtime|server|deploy/i.test(key)) ? dev : runtime;
  }
  const poetryGroup = /^tool\.poetry\.group\.([\w-]+)\.dependencies$/.exec(table);
  if (poetryGroup) return DEV_NAME.test(poetryGroup[1]) ? dev : runtime;
  if (table === 'tool.poetry.dev-dependencies' || table === 'dev-packages' || table === 'dev-dependencies' || /^target\..*\.dev-dependencies$/.test(table)) return dev;
  if (table === 'tool.uv' && key === 'dev-dependencies') return dev;
  return runtime;
}

const placeToml: Placer = (lines) => {
  const out: (Place | undefined)[] = [];
  let table = '';
  let key: string | undefined;
  let depth = 0;
  for (const raw of lines) {
    const line = raw.replace(/(^|\s)#.*$/, '');
    const header = depth === 0 ? /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*$/.exec(line) : null;
    if (header) {
      table = header[1].replace(/["']/g, '');
      key = undefined;
      out.push(tomlPlace(table, undefined));
      continue;
    }
    const kv = depth === 0 ? /^\s*["']?([\w.-]+)["']?\s*=/.exec(line) : null;
    if (kv) key = kv[1];
    out.push(tomlPlace(table, key));
    for (const c of line.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '')) {
      if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && depth > 0) depth--;
    }
  }
  return out;
};

// ---------------------------------------------------------------------------------------------------
// requirements files: the file's name says what it installs

const DEV_REQUIREMENTS = /(?:^|[/_.-])(?:dev|develop|development|test|tests|testing|lint|docs|doc|typing|ci|local|coverage)(?:[/_.-]|$)/i;

function placeRequirements(path: string): Placer {
  const place: Place = DEV_REQUIREMENTS.test(path.replace(/\.txt$/, '').replace(/(?:^|\/)requirements/, '/')) ? { kind: 'development', where: name(path) } : { kind: 'runtime', where: name(path) };
  return (lines) => lines.map(() => place);
}

// ---------------------------------------------------------------------------------------------------
// Maven

// Plugins that check, test, format, sign or publish: they do not change what the built artifact contains.
const CHECK_PLUGINS = /^(?:spotless|maven-surefire|maven-failsafe|jacoco|maven-checkstyle|checkstyle|license|license-maven|maven-gpg|central-publishing|nexus-staging|maven-javadoc|maven-source|maven-enforcer|maven-pmd|spotbugs|maven-release|maven-deploy|maven-site|versions|maven-project-info-reports|sonar|pitest|maven-invoker|formatter|impsort|sortpom|fmt|git-code-format|maven-dependency|owasp|dependency-check|errorprone|modernizer|revapi|japicmp|cyclonedx|maven-clean|maven-install)(?:-maven-plugin|-plugin)?$/;

interface XmlBlock {
  tag: string;
  start: number;
  end: number;
  parent?: XmlBlock;
  text: Map<string, string>;
}

/** The element blocks of an XML file that matter here, with their line ranges and simple child values. */
function xmlBlocks(lines: readonly string[]): { blocks: XmlBlock[]; at: (XmlBlock | undefined)[] } {
  const blocks: XmlBlock[] = [];
  const at: (XmlBlock | undefined)[] = [];
  const stack: XmlBlock[] = [];
  const TAG = /<(\/?)([\w.-]+)([^>]*?)(\/?)>(?:([^<]*)<\/\2>)?/g;
  let inComment = false;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n];
    if (inComment) {
      const close = line.indexOf('-->');
      if (close < 0) {
        at.push(stack[stack.length - 1]);
        continue;
      }
      line = line.slice(close + 3);
      inComment = false;
    }
    line = line.replace(/<!--.*?-->/g, '');
    const open = line.indexOf('<!--');
    if (open >= 0) {
      line = line.slice(0, open);
      inComment = true;
    }
    let lineBlock: XmlBlock | undefined;
    for (const m of line.matchAll(TAG)) {
      const [, closing, tag, , selfClosing, value] = m;
      if (value !== undefined) {
        stack[stack.length - 1]?.text.set(tag, value.trim());
        continue;
      }
      if (selfClosing) continue;
      if (closing) {
        const b = stack.pop();
        if (b) b.end = n + 1;
        lineBlock ??= b;
      } else {
        const b: XmlBlock = { tag, start: n + 1, end: lines.length, parent: stack[stack.length - 1], text: new Map() };
        blocks.push(b);
        stack.push(b);
        lineBlock ??= b;
      }
    }
    at.push(lineBlock ?? stack[stack.length - 1]);
  }
  return { blocks, at };
}

function ancestors(b: XmlBlock | undefined): XmlBlock[] {
  const out: XmlBlock[] = [];
  for (let x = b; x; x = x.parent) out.push(x);
  return out;
}

function mavenBlockPlace(b: XmlBlock | undefined): Place | undefined {
  const chain = ancestors(b);
  const dep = chain.find((x) => x.tag === 'dependency');
  if (dep) {
    const scope = dep.text.get('scope');
    const what = dep.text.get('artifactId') ?? 'a dependency';
    if (scope === 'test') return { kind: 'development', where: `test-scoped dependency ${what}` };
    // Under a plugin, a dependency is the plugin's own: it ships when the plugin shapes the artifact.
    const plugin = chain.find((x) => x.tag === 'plugin');
    if (!plugin) return { kind: 'runtime', where: `dependency ${what}${scope ? ` (scope ${scope})` : ''}` };
  }
  const plugin = chain.find((x) => x.tag === 'plugin');
  if (plugin) {
    const id = plugin.text.get('artifactId') ?? '';
    return CHECK_PLUGINS.test(id) ? { kind: 'development', where: `build plugin ${id}` } : { kind: 'runtime', where: `build plugin ${id || 'of the build'}` };
  }
  // The element under <project> (or the outermost one, when <project> spans lines the reader skips).
  const project = chain.findIndex((x) => x.tag === 'project');
  const top = (project > 0 ? chain[project - 1] : project < 0 ? chain[chain.length - 1] : undefined)?.tag;
  if (top && ['name', 'description', 'url', 'licenses', 'developers', 'scm', 'issueManagement', 'ciManagement', 'organization', 'inceptionYear', 'contributors', 'mailingLists', 'distributionManagement'].includes(top)) return { kind: 'metadata', where: `<${top}>` };
  return undefined;
}

const placeMaven: Placer = (lines) => {
  const { at } = xmlBlocks(lines);
  const out: (Place | undefined)[] = [];
  for (let n = 0; n < lines.length; n++) {
    const b = at[n];
    const inProperties = b?.tag === 'properties' || b?.parent?.tag === 'properties';
    const prop = inProperties ? /<([\w.-]+)>[^<]*<\/\1>/.exec(lines[n]) : null;
    if (prop) {
      // A property is what its uses are: `${spotless.version}` inside a check plugin is a check's.
      const uses: (Place | undefined)[] = [];
      const ref = '${' + prop[1] + '}';
      for (let u = 0; u < lines.length; u++) if (u !== n && lines[u].includes(ref)) uses.push(mavenBlockPlace(at[u]) ?? { kind: 'runtime', where: `property ${prop[1]}` });
      out.push(
        uses.length && uses.every((p) => p?.kind === 'development')
          ? { kind: 'development', where: `property ${prop[1]}, used by ${(uses[0] as { where: string }).where}` }
          : { kind: 'runtime', where: `property ${prop[1]}` },
      );
      continue;
    }
    out.push(mavenBlockPlace(b) ?? { kind: 'runtime', where: 'pom.xml' });
  }
  return out;
};

// ---------------------------------------------------------------------------------------------------
// Gradle

// Configurations and blocks only tests, checks and formatters read.
const GRADLE_DEV_CONFIG = /^(?:test|test[A-Z]\w*|\w+Test(?:[A-Z]\w*)?|detekt\w*|ktlint\w*|checkstyle|pmd|spotbugs\w*|jacocoAgent|jacocoAnt|errorprone|lintChecks)$/;
const GRADLE_DEV_BLOCK = /^(?:test|tests|spotless|checkstyle|pmd|spotbugs|jacoco|jacocoTestReport|jacocoTestCoverageVerification|detekt|ktlint|sonarqube|sonar|testing|integrationTest|\w*Test|tasks\.(?:test|withType\(Test\))|tasks\.named\(["']test["']\)|dependencyCheck|licenseReport)\b/;
const GRADLE_CHECK_PLUGIN = /(?:spotless|checkstyle|jacoco|detekt|ktlint|sonarqube|org\.sonarqube|spotbugs|pmd|com\.github\.ben-manes\.versions|dependency-check|errorprone|jacoco-report-aggregation|test-logger|com\.adarshr\.test-logger|kover)/;

// A catalog kept in a script: `libraries.guava = "…"`, `versions.selenium = "4.25.0"`, `ext.libs.x = …`, outside any block.
const GRADLE_CATALOG_ENTRY = /^\s*(?:(?:rootProject\.)?ext\.)?((?:libraries|libs|deps|dependencies|versions)\.\w+)\s*=/;

/** Where the lines of `lines` mention `accessor` as a whole name (`libraries.selenium`, not `libraries.seleniumHttp` or `libs.selenium.java`). */
function mentionLines(lines: readonly string[], accessor: string): number[] {
  const re = new RegExp(`(?<![\\w$.])${accessor.replace(/[.$]/g, '\\$&')}(?![\\w$]|\\.\\w)`);
  const out: number[] = [];
  lines.forEach((l, n) => {
    if (re.test(l)) out.push(n);
  });
  return out;
}

const placeGradle: Placer = (lines) => {
  const out: (Place | undefined)[] = [];
  // Catalog entries outside any block, by line.
  const entries = new Map<number, string>();
  // Each open brace: the word that opened it (`dependencies`, `testImplementation(...)`, `plugins`).
  const stack: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\/\/.*$/, '');
    const opener = /^\s*([\w.]+(?:\([^)]*\))?)/.exec(line)?.[1] ?? '';
    const word = opener.replace(/\(.*$/, '');
    const config = /^\s*(\w+)\s*[\s(]\s*(?:["'(]|libs\.|libraries\.|project\(|platform\(|files\(|\w+\.)/.exec(line)?.[1];
    const inside = [...stack];
    const entry = inside.length === 0 ? GRADLE_CATALOG_ENTRY.exec(line)?.[1] : undefined;
    let place: Place;
    const devBlock = inside.find((o) => GRADLE_DEV_BLOCK.test(o) || GRADLE_DEV_CONFIG.test(o.replace(/\(.*$/, '')));
    if (entry !== undefined) {
      entries.set(out.length, entry);
      place = { kind: 'alias', accessors: [entry], where: entry };
    } else if (devBlock) place = { kind: 'development', where: `${devBlock.replace(/\(.*$/, '')} block` };
    else if (inside[inside.length - 1] === 'plugins' || /^\s*(?:id|apply\s+plugin:)/.test(line)) {
      place = GRADLE_CHECK_PLUGIN.test(line) ? { kind: 'development', where: 'a check plugin' } : { kind: 'runtime', where: 'a build plugin' };
    } else if (config && GRADLE_DEV_CONFIG.test(config)) {
      place = { kind: 'development', where: `${config} dependency` };
    } else if (GRADLE_DEV_BLOCK.test(opener) && /\{\s*$/.test(line)) place = { kind: 'development', where: `${word} block` };
    else place = { kind: 'runtime', where: config && inside.includes('dependencies') ? `${config} dependency` : 'the build' };
    out.push(place);
    for (const c of line.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '')) {
      if (c === '{') stack.push(opener);
      else if (c === '}') stack.pop();
    }
  }
  // A version is also what the entries of the same file built from it are (`"…:${versions.selenium}"`).
  for (const [n, entry] of entries) {
    const place = out[n] as Extract<Place, { kind: 'alias' }>;
    for (const u of mentionLines(lines, entry)) {
      const other = entries.get(u);
      if (other !== undefined && !place.accessors.includes(other)) place.accessors.push(other);
    }
  }
  return out;
};

/**
 * A Gradle version catalog (`gradle/libs.versions.toml`): each entry of `[libraries]`, `[bundles]`
 * and `[plugins]` is reached from the build files by its accessor (`selenium-java` in `libs` as
 * `libs.selenium.java`, a plugin as `libs.plugins.x`), and a `[versions]` entry is what the
 * entries referring to it (`version.ref = "selenium"`) are, or where `libs.versions.x` is named.
 */
function placeCatalog(path: string): Placer {
  const catalog = name(path).replace(/\.versions\.toml$/, '');
  const accessor = (table: string, key: string) => {
    const dotted = key.replace(/[-_.]+/g, '.');
    return table === 'libraries' ? `${catalog}.${dotted}` : `${catalog}.${table}.${dotted}`;
  };
  return (lines) => {
    const out: (Place | undefined)[] = [];
    const versions = new Map<string, number>();
    const refs: { line: number; version: string }[] = [];
    let table = '';
    let key: string | undefined;
    let depth = 0;
    lines.forEach((raw, n) => {
      const line = raw.replace(/(^|\s)#.*$/, '');
      const header = depth === 0 ? /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(line) : null;
      if (header) {
        table = header[1].replace(/["']/g, '');
        key = undefined;
        out.push({ kind: 'metadata', where: `[${table}]` });
        return;
      }
      const kv = depth === 0 ? /^\s*["']?([\w.-]+)["']?\s*=/.exec(line) : null;
      if (kv) key = kv[1];
      if (key === undefined || !['libraries', 'bundles', 'plugins', 'versions'].includes(table)) out.push(line.trim() ? { kind: 'runtime', where: `[${table}]` } : undefined);
      else {
        if (table === 'versions' && kv) versions.set(key, n);
        const ref = /\bref\s*=\s*["']([\w.-]+)["']/.exec(line)?.[1];
        if (ref && table !== 'versions') refs.push({ line: n, version: ref });
        out.push({ kind: 'alias', accessors: [accessor(table, key)], where: `[${table}] ${key}` });
      }
      for (const c of line.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '')) {
        if (c === '[' || c === '{') depth++;
        else if ((c === ']' || c === '}') && depth > 0) depth--;
      }
    });
    for (const r of refs) {
      const v = versions.get(r.version);
      const from = out[r.line];
      const to = v === undefined ? undefined : out[v];
      if (from?.kind === 'alias' && to?.kind === 'alias') for (const a of from.accessors) if (!to.accessors.includes(a)) to.accessors.push(a);
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------------
// go.mod: a module's scope is where the repository imports it, looked up through the repository search

const placeGoMod: Placer = (lines) => {
  const out: (Place | undefined)[] = [];
  let block: string | undefined;
  for (const raw of lines) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const opens = /^(require|replace|exclude|retract|tool)\s*\($/.exec(line);
    if (opens) {
      block = opens[1];
      out.push(undefined);
      continue;
    }
    if (line === ')') {
      block = undefined;
      out.push(undefined);
      continue;
    }
    const single = /^(require|replace|exclude)\s+(.*)$/.exec(line);
    const directive = single?.[1] ?? block;
    const rest = single ? single[2] : line;
    const mod = /^([\w.~/-]+\.[\w.~/-]+)\s/.exec(`${rest} `)?.[1];
    if (line === '') out.push(undefined);
    else if ((directive === 'require' || directive === 'replace' || directive === 'exclude') && mod) out.push({ kind: 'module', module: mod });
    else if (directive === 'tool' || /^tool\s/.test(line)) out.push({ kind: 'development', where: 'a tool directive' });
    else out.push({ kind: 'runtime', where: line.split(/\s/)[0] === 'module' ? 'the module path' : `the ${line.split(/\s/)[0]} directive` });
  }
  return out;
};

// ---------------------------------------------------------------------------------------------------

function placerFor(path: string): Placer | undefined {
  const base = name(path);
  if (base === 'package.json' || base === 'composer.json') return placeJson;
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return placePackageLock;
  if (base === 'poetry.lock') return placePoetryLock;
  if (base === 'Gemfile' || base === 'gems.rb') return placeGemfile;
  if (base === 'pyproject.toml' || base === 'Pipfile' || base === 'Cargo.toml') return placeToml;
  if (/^(?:requirements|constraints)[\w.-]*\.txt$|^[\w-]*requirements\.txt$/.test(base) || /(?:^|\/)requirements\/[\w.-]+\.txt$/.test(path)) return placeRequirements(path);
  if (base === 'pom.xml') return placeMaven;
  if (/\.gradle(?:\.kts)?$/.test(base)) return placeGradle;
  if (/\.versions\.toml$/.test(base)) return placeCatalog(path);
  if (base === 'go.mod') return placeGoMod;
  return undefined;
}

/** Lockfiles and the manifests they follow, in the same folder. */
const LOCKFILES: Record<string, string[]> = {
  'package-lock.json': ['package.json'],
  'npm-shrinkwrap.json': ['package.json'],
  'yarn.lock': ['package.json'],
  'pnpm-lock.yaml': ['package.json'],
  'bun.lock': ['package.json'],
  'bun.lockb': ['package.json'],
  'Gemfile.lock': ['Gemfile'],
  'gems.locked': ['gems.rb'],
  'poetry.lock': ['pyproject.toml'],
  'uv.lock': ['pyproject.toml'],
  'pdm.lock': ['pyproject.toml'],
  'Pipfile.lock': ['Pipfile'],
  'go.sum': ['go.mod'],
  'gradle.lockfile': ['build.gradle', 'build.gradle.kts'],
  'composer.lock': ['composer.json'],
  'Cargo.lock': ['Cargo.toml'],
};

const significant = (l: ChangedLine) => l.text.trim() !== '';

/** Each changed line's place, on its own side of the change; undefined when the format is not one read here. */
export function placesOf(file: ChangedFile): { line: ChangedLine; place: Place | undefined }[] | undefined {
  const placer = placerFor(file.path);
  if (!placer) return undefined;
  const now = placer(file.content === undefined ? [] : file.content.split('\n'));
  // A removed line whose old version cannot be rebuilt (a file read in part) has no place: it counts as runtime.
  const before = file.removedLines.length ? placer(oldText(file)?.split('\n') ?? []) : [];
  return [
    ...file.addedLines.filter(significant).map((line) => ({ line, place: now[line.line - 1] })),
    ...file.removedLines.filter(significant).map((line) => ({ line, place: before[line.line - 1] })),
  ];
}

/** Manifests whose lines the repository search places: go.mod's modules, the entries of a Gradle catalog. */
const SEARCHED = /(?:^|\/)go\.mod$|\.gradle(?:\.kts)?$|\.versions\.toml$/;

/** What the repository search must tell of a manifest: the Go modules of go.mod's changed lines, the accessors of a catalog's changed entries. */
export function manifestTerms(file: ChangedFile): string[] {
  if (!SEARCHED.test(file.path)) return [];
  const out = new Set<string>();
  for (const p of placesOf(file) ?? []) {
    if (p.place?.kind === 'module') out.add(p.place.module);
    else if (p.place?.kind === 'alias') for (const a of p.place.accessors) out.add(a);
  }
  return [...out];
}

const GRADLE_BUILD = /\.gradle(?:\.kts)?$/;

/** The build files whose text tells where a catalog's changed entries are used: those the search found naming them. */
export function catalogUsers(file: ChangedFile, refs: ReadonlyMap<string, readonly string[]>): string[] {
  if (!SEARCHED.test(file.path)) return [];
  const out = new Set<string>();
  for (const p of placesOf(file) ?? []) {
    if (p.place?.kind !== 'alias') continue;
    for (const a of p.place.accessors) for (const u of refs.get(a) ?? []) if (u !== file.path && GRADLE_BUILD.test(u)) out.add(u);
  }
  return [...out];
}

/**
 * A catalog entry is development-only when every build file line naming one of its accessors sits
 * in a test or check configuration, and some line does (or the entry is removed: no build file
 * names it any more, or the build would fail). A build file the search found but that could not be
 * read, or any other use, makes it runtime.
 */
function aliasPlace(place: Extract<Place, { kind: 'alias' }>, catalog: string, removed: boolean, refs: ReadonlyMap<string, readonly string[]>, texts: ReadonlyMap<string, string>): Place {
  const runtime: Place = { kind: 'runtime', where: place.where };
  const uses: Place[] = [];
  for (const a of place.accessors) {
    for (const u of refs.get(a) ?? []) {
      if (u === catalog) continue;
      if (!GRADLE_BUILD.test(u)) return runtime;
      const text = texts.get(u);
      if (text === undefined) return runtime;
      const lines = text.split('\n');
      const placed = placeGradle(lines);
      for (const n of mentionLines(lines, a)) {
        const at = placed[n];
        if (at?.kind === 'alias') continue;
        if (at?.kind !== 'development') return runtime;
        uses.push(at);
      }
    }
  }
  if (uses.length) return { kind: 'development', where: `${place.where}, used only by ${(uses[0] as { where: string }).where}` };
  return removed ? { kind: 'development', where: `${place.where}, which no build file uses` } : runtime;
}

/** Where Go code may import a module from: not go.mod, go.sum or vendor's own list. */
const GO_BOOKKEEPING = /(?:^|\/)(?:go\.mod|go\.sum|go\.work(?:\.sum)?|vendor\/modules\.txt)$/;

/** A module imported by test files only is a test dependency; one nothing imports (indirect) is counted as runtime. */
function modulePlace(module: string, refs: ReadonlyMap<string, readonly string[]>, isTest: (path: string) => boolean): Place {
  const users = (refs.get(module) ?? []).filter((p) => !GO_BOOKKEEPING.test(p));
  if (users.length && users.every(isTest)) return { kind: 'development', where: `${module}, imported only by tests` };
  return { kind: 'runtime', where: module };
}

export interface ManifestVerdict {
  /** Every changed line is development-only or metadata. */
  devOnly: boolean;
  findings: Finding[];
}

function firstLine(file: ChangedFile): number {
  return file.addedLines[0]?.line ?? file.removedLines[0]?.line ?? 0;
}

/**
 * The judgement of one manifest; undefined when its format is not read here (the caller's MEDIUM
 * applies). `texts`: the build files catalogUsers named, as read.
 */
export function judgeManifest(file: ChangedFile, refs: ReadonlyMap<string, readonly string[]>, isTest: (path: string) => boolean, texts: ReadonlyMap<string, string> = new Map()): ManifestVerdict | undefined {
  const places = placesOf(file);
  if (!places || !places.length) return undefined;
  const removed = new Set(file.removedLines);
  const resolved = places.map(({ line, place }) => ({
    line,
    place: place?.kind === 'module' ? modulePlace(place.module, refs, isTest) : place?.kind === 'alias' ? aliasPlace(place, file.path, removed.has(line), refs, texts) : place,
  }));
  const runtime = resolved.find((p) => p.place === undefined || p.place.kind === 'runtime');
  if (runtime) {
    const where = runtime.place?.kind === 'runtime' ? ` (${runtime.place.where})` : '';
    return { devOnly: false, findings: [{ rule: 'dependencies', tier: 'MEDIUM', line: runtime.line.line, message: `changes dependencies${where}: different library code runs in production`, short: 'dependencies' }] };
  }
  const dev = resolved.filter((p) => p.place?.kind === 'development').map((p) => (p.place as { where: string }).where);
  const wheres = [...new Set(dev)];
  const shown = wheres.length > 2 ? `${wheres.slice(0, 2).join(', ')} and ${wheres.length - 2} more` : wheres.join(', ');
  const message = dev.length
    ? `changes only development dependencies and settings (${shown}): they do not ship`
    : 'changes only package metadata: nothing that runs changes';
  return { devOnly: true, findings: [{ rule: 'dev-dependencies', tier: 'ZERO', line: firstLine(file), message, short: dev.length ? 'dev only' : 'metadata' }] };
}

/**
 * The findings of every manifest and lockfile of a change that this module can judge. A lockfile
 * follows its manifest when the manifest is in the change and changes development dependencies only.
 * package-lock.json and poetry.lock say which packages only development needs, and are read on
 * their own; another lockfile changed without its manifest keeps the caller's MEDIUM.
 */
export function judgeManifests(files: readonly ChangedFile[], refs: ReadonlyMap<string, readonly string[]>, isTest: (path: string) => boolean, texts: ReadonlyMap<string, string> = new Map()): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const verdicts = new Map<string, ManifestVerdict>();
  for (const f of files) {
    const v = judgeManifest(f, refs, isTest, texts);
    if (v) {
      verdicts.set(f.path, v);
      out.set(f.path, v.findings);
    }
  }
  for (const f of files) {
    const manifests = LOCKFILES[name(f.path)];
    if (!manifests) continue;
    const followed = manifests.map((m) => dir(f.path) + m).find((m) => verdicts.has(m));
    const v = followed ? verdicts.get(followed) : undefined;
    // A lockfile read on its own (package-lock.json, poetry.lock) already has its verdict.
    if (v?.devOnly && !out.get(f.path)?.every((x) => x.tier === 'ZERO')) {
      out.set(f.path, [{ rule: 'dev-dependencies', tier: 'ZERO', line: firstLine(f), message: `lockfile of ${name(followed!)}, which changes development dependencies only: they do not ship`, short: 'dev only' }]);
    }
  }
  return out;
}
