import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { oldText } from '../../../src/core/risk/syntax/old';
import { L } from './corpus';
import { changedFile, changeSetOf, memorySearch, treeAfter, type Contents } from './helpers';

async function run(before: Contents, after: Record<string, string | null>): Promise<Assessment> {
  return assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
}
const verdict = (a: Assessment, path: string) => {
  const f = a.files.find((x) => x.path === path)!;
  return `${f.tier} ${f.findings.map((x) => x.rule).join(',')}`;
};

const PKG = (dev: string, dep = '"express": "4.19.2"') => L('{', '  "name": "shop",', '  "dependencies": {', `    ${dep}`, '  },', '  "devDependencies": {', `    ${dev},`, '    "typescript": "5.4.0"', '  },', '  "scripts": {', '    "start": "node server.js",', '    "test": "mocha"', '  }', '}');

describe('risk: dependency manifests, runtime against development', () => {
  it('rebuilds the old version of a file from the new one and its diff', () => {
    const before = L('a', 'b', 'c', 'd');
    const after = L('a', 'x', 'c', 'd', 'e');
    assert.deepEqual(oldText(changedFile('f', 'modified', before, after))?.split('\n').slice(0, 4), ['a', 'b', 'c', 'd']);
  });

  describe('package.json', () => {
    it('a devDependencies bump does not ship, and its lockfile follows it', async () => {
      const a = await run(
        { 'package.json': PKG('"mocha": "10.0.0"'), 'yarn.lock': L('mocha@10.0.0') },
        { 'package.json': PKG('"mocha": "10.4.0"'), 'yarn.lock': L('mocha@10.4.0') },
      );
      assert.equal(a.tier, 'ZERO');
      assert.equal(verdict(a, 'package.json'), 'ZERO dev-dependencies');
      assert.match(a.files.find((f) => f.path === 'package.json')!.findings[0].message, /devDependencies.*do not ship/);
      assert.equal(verdict(a, 'yarn.lock'), 'ZERO dev-dependencies');
    });

    it('a removed devDependency is judged where it was', async () => {
      const before = PKG('"mocha": "10.0.0"');
      const after = before.replace('    "mocha": "10.0.0",\n', '');
      assert.equal((await run({ 'package.json': before }, { 'package.json': after })).tier, 'ZERO');
    });

    it('a runtime bump stays MEDIUM and names its section; so does its lockfile', async () => {
      const a = await run(
        { 'package.json': PKG('"mocha": "10.0.0"'), 'yarn.lock': L('express@4.19.2') },
        { 'package.json': PKG('"mocha": "10.0.0"', '"express": "5.1.0"'), 'yarn.lock': L('express@5.1.0') },
      );
      assert.equal(verdict(a, 'package.json'), 'MEDIUM dependencies');
      assert.match(a.files.find((f) => f.path === 'package.json')!.findings[0].message, /\(dependencies\)/);
      assert.equal(verdict(a, 'yarn.lock'), 'MEDIUM dependencies');
    });

    it('a dev and a runtime change together are MEDIUM', async () => {
      const a = await run({ 'package.json': PKG('"mocha": "10.0.0"') }, { 'package.json': PKG('"mocha": "10.4.0"', '"express": "5.1.0"') });
      assert.equal(a.tier, 'MEDIUM');
    });

    it('the test script is the developers\'; the start script runs the service', async () => {
      const base = PKG('"mocha": "10.0.0"');
      assert.equal((await run({ 'package.json': base }, { 'package.json': base.replace('"test": "mocha"', '"test": "mocha --parallel"') })).tier, 'ZERO');
      assert.equal((await run({ 'package.json': base }, { 'package.json': base.replace('node server.js', 'node --max-old-space-size=512 server.js') })).tier, 'MEDIUM');
    });

    it('package-lock.json read on its own: a package marked "dev" does not ship, another does', async () => {
      const LOCK = (mocha: string, express: string) =>
        L('{', '  "name": "shop",', '  "lockfileVersion": 3,', '  "packages": {', '    "node_modules/mocha": {', `      "version": "${mocha}",`, '      "dev": true', '    },', '    "node_modules/express": {', `      "version": "${express}"`, '    }', '  }', '}');
      const a = await run({ 'package-lock.json': LOCK('10.0.0', '4.19.2') }, { 'package-lock.json': LOCK('10.4.0', '4.19.2') });
      assert.equal(verdict(a, 'package-lock.json'), 'ZERO dev-dependencies');
      assert.match(a.files[0].findings[0].message, /mocha, a development package/);
      const b = await run({ 'package-lock.json': LOCK('10.0.0', '4.19.2') }, { 'package-lock.json': LOCK('10.0.0', '4.21.0') });
      assert.equal(verdict(b, 'package-lock.json'), 'MEDIUM dependencies');
    });

    it('a yarn.lock changed on its own stays MEDIUM: which packages moved is not read', async () => {
      const a = await run({ 'package.json': PKG('"mocha": "10.0.0"'), 'yarn.lock': L('mocha@10.0.0') }, { 'yarn.lock': L('mocha@10.4.0') });
      assert.equal(verdict(a, 'yarn.lock'), 'MEDIUM dependencies');
    });
  });

  describe('Gemfile', () => {
    const GEMFILE = (rubocop: string, rails = '7.1.0', inline = '"~> 5.0"') =>
      L('source "https://rubygems.org"', `gem "rails", "${rails}"`, `gem "shoulda-matchers", ${inline}, group: :test`, '', 'group :development, :test do', `  gem "rubocop", "${rubocop}", require: false`, '  platforms :mri do', '    gem "debug"', '  end', 'end', '', 'gem "pg"');

    it('a gem in `group :development, :test do … end` does not ship; Gemfile.lock follows', async () => {
      const a = await run({ Gemfile: GEMFILE('1.60'), 'Gemfile.lock': L('    rubocop (1.60.0)') }, { Gemfile: GEMFILE('1.61'), 'Gemfile.lock': L('    rubocop (1.61.0)') });
      assert.equal(a.tier, 'ZERO');
      assert.match(a.files.find((f) => f.path === 'Gemfile')!.findings[0].message, /group :development, :test/);
      assert.equal(verdict(a, 'Gemfile.lock'), 'ZERO dev-dependencies');
    });

    it('a `group: :test` option counts like a group block', async () => {
      assert.equal((await run({ Gemfile: GEMFILE('1.60') }, { Gemfile: GEMFILE('1.60', '7.1.0', '"~> 6.0"') })).tier, 'ZERO');
    });

    it('a gem after the group\'s `end` is in the default group again', async () => {
      const before = GEMFILE('1.60');
      const a = await run({ Gemfile: before }, { Gemfile: before.replace('gem "pg"', 'gem "pg", "1.5.6"') });
      assert.equal(a.tier, 'MEDIUM');
      assert.match(a.files[0].findings[0].message, /default group/);
    });
  });

  describe('Python', () => {
    const PYPROJECT = (pytest: string, django = '4.2') =>
      L('[project]', 'name = "shop"', 'dependencies = [', `  "django>=${django}",`, ']', '', '[project.optional-dependencies]', `test = ["pytest>=${pytest}"]`, '', '[tool.poetry.group.dev.dependencies]', 'ruff = "0.4"', '', '[tool.ruff]', 'line-length = 100');

    it('PEP 621 test extras, Poetry dev groups and tool settings do not ship', async () => {
      const before = PYPROJECT('8.0');
      assert.equal((await run({ 'pyproject.toml': before }, { 'pyproject.toml': PYPROJECT('8.2') })).tier, 'ZERO');
      assert.equal((await run({ 'pyproject.toml': before }, { 'pyproject.toml': before.replace('ruff = "0.4"', 'ruff = "0.5"') })).tier, 'ZERO');
      assert.equal((await run({ 'pyproject.toml': before }, { 'pyproject.toml': before.replace('line-length = 100', 'line-length = 120') })).tier, 'ZERO');
    });

    it('a line of the multi-line `dependencies` array ships', async () => {
      assert.equal((await run({ 'pyproject.toml': PYPROJECT('8.0') }, { 'pyproject.toml': PYPROJECT('8.0', '5.0') })).tier, 'MEDIUM');
    });

    it('poetry.lock: a package whose groups are all development ones does not ship', async () => {
      const LOCK = (venv: string, django: string) =>
        L('[[package]]', 'name = "django"', `version = "${django}"`, 'groups = ["main"]', '', '[[package]]', 'name = "virtualenv"', `version = "${venv}"`, 'groups = ["dev"]', '', '[package.dependencies]', 'filelock = ">=3.12"', '', '[metadata]', 'lock-version = "2.1"');
      assert.equal((await run({ 'poetry.lock': LOCK('20.31', '4.2') }, { 'poetry.lock': LOCK('20.36', '4.2').replace('filelock = ">=3.12"', 'filelock = ">=3.20"') })).tier, 'ZERO');
      assert.equal((await run({ 'poetry.lock': LOCK('20.31', '4.2') }, { 'poetry.lock': LOCK('20.31', '5.0') })).tier, 'MEDIUM');
    });

    it('requirements-dev.txt does not ship; requirements.txt does', async () => {
      assert.equal((await run({ 'requirements-dev.txt': L('pytest==8.0') }, { 'requirements-dev.txt': L('pytest==8.2') })).tier, 'ZERO');
      assert.equal((await run({ 'requirements/test.txt': L('pytest==8.0') }, { 'requirements/test.txt': L('pytest==8.2') })).tier, 'ZERO');
      assert.equal((await run({ 'requirements.txt': L('django==4.2') }, { 'requirements.txt': L('django==5.0') })).tier, 'MEDIUM');
    });
  });

  describe('Maven and Gradle', () => {
    const POM = (junit: string, spotless: string, guava = '33.0') =>
      L(
        '<project>',
        '  <properties>',
        `    <spotless.version>${spotless}</spotless.version>`,
        '  </properties>',
        '  <dependencies>',
        '    <dependency>',
        '      <groupId>com.google.guava</groupId>',
        '      <artifactId>guava</artifactId>',
        `      <version>${guava}</version>`,
        '    </dependency>',
        '    <dependency>',
        '      <groupId>org.junit.jupiter</groupId>',
        '      <artifactId>junit-jupiter</artifactId>',
        `      <version>${junit}</version>`,
        '      <scope>test</scope>',
        '    </dependency>',
        '  </dependencies>',
        '  <build>',
        '    <plugins>',
        '      <plugin>',
        '        <groupId>com.diffplug.spotless</groupId>',
        '        <artifactId>spotless-maven-plugin</artifactId>',
        '        <version>${spotless.version}</version>',
        '      </plugin>',
        '    </plugins>',
        '  </build>',
        '</project>',
      );

    it('a test-scoped dependency does not ship, even when <scope> comes after the changed <version>', async () => {
      assert.equal((await run({ 'pom.xml': POM('5.10', '2.43') }, { 'pom.xml': POM('5.11', '2.43') })).tier, 'ZERO');
    });

    it('a property used only by a formatting plugin does not ship', async () => {
      const a = await run({ 'pom.xml': POM('5.10', '2.43') }, { 'pom.xml': POM('5.10', '2.44') });
      assert.equal(a.tier, 'ZERO');
      assert.match(a.files[0].findings[0].message, /spotless/);
    });

    it('a compile-scope dependency ships', async () => {
      assert.equal((await run({ 'pom.xml': POM('5.10', '2.43') }, { 'pom.xml': POM('5.10', '2.43', '33.1') })).tier, 'MEDIUM');
    });

    const GRADLE = (selenium: string, guava = '33.0') =>
      L('plugins {', "  id 'java'", "  id 'com.diffplug.spotless' version '6.25.0'", '}', '', 'dependencies {', `  implementation "com.google.guava:guava:${guava}"`, `  testImplementation("org.seleniumhq.selenium:selenium-java:${selenium}") {`, '    exclude(module: "mail")', '  }', '  testRuntimeOnly "org.junit.platform:junit-platform-launcher"', '}');

    it('testImplementation and a check plugin do not ship; implementation does', async () => {
      const before = GRADLE('4.18');
      assert.equal((await run({ 'build.gradle': before }, { 'build.gradle': GRADLE('4.25') })).tier, 'ZERO');
      assert.equal((await run({ 'build.gradle': before }, { 'build.gradle': before.replace('6.25.0', '7.0.0') })).tier, 'ZERO');
      assert.equal((await run({ 'build.gradle': before }, { 'build.gradle': before.replace('    exclude(module: "mail")', '    exclude(module: "activation")') })).tier, 'ZERO');
      assert.equal((await run({ 'build.gradle': before }, { 'build.gradle': GRADLE('4.18', '33.1') })).tier, 'MEDIUM');
    });

    it('any *.gradle file is a manifest, not application code', async () => {
      const a = await run({ 'dependencies.gradle': L('versions.guava = "33.0"') }, { 'dependencies.gradle': L('versions.guava = "33.1"') });
      assert.equal(verdict(a, 'dependencies.gradle'), 'MEDIUM dependencies');
    });
  });

  describe('Gradle version catalogs', () => {
    const SCRIPT = (webdriver: string, guava = '33.0') =>
      L(`versions.webdriver = "${webdriver}"`, `libraries.guava = "com.google.guava:guava:${guava}"`, 'libraries.browser = "org.example:browser-driver:${versions.webdriver}"', 'libraries.browserGrid = "org.example:browser-grid:${versions.webdriver}"');
    const BUILD = L('dependencies {', '    implementation(libraries.guava)', '    testImplementation(libraries.browser)', '    integrationTestRuntimeOnly libraries.browserGrid', '}');

    it('an entry of a script catalog that only test configurations use does not ship, nor does the version only such entries use', async () => {
      const a = await run({ 'deps.gradle': SCRIPT('4.1'), 'app/build.gradle': BUILD }, { 'deps.gradle': SCRIPT('4.2') });
      assert.equal(verdict(a, 'deps.gradle'), 'ZERO dev-dependencies');
      assert.match(a.files[0].findings[0].message, /versions\.webdriver, used only by testImplementation dependency/);
    });

    it('an entry that an implementation dependency uses ships', async () => {
      const a = await run({ 'deps.gradle': SCRIPT('4.1'), 'app/build.gradle': BUILD }, { 'deps.gradle': SCRIPT('4.1', '33.1') });
      assert.equal(verdict(a, 'deps.gradle'), 'MEDIUM dependencies');
    });

    it('a version that a build file also names in a runtime dependency ships', async () => {
      const build = BUILD.replace('}', '    runtimeOnly "org.example:browser-core:${versions.webdriver}"\n}');
      const a = await run({ 'deps.gradle': SCRIPT('4.1'), 'app/build.gradle': build }, { 'deps.gradle': SCRIPT('4.2') });
      assert.equal(verdict(a, 'deps.gradle'), 'MEDIUM dependencies');
    });

    it('an entry no build file uses ships when added, and not when removed with its last test use', async () => {
      const before = { 'deps.gradle': SCRIPT('4.1') + 'libraries.oldMock = "org.example:mock:1.0"\n', 'app/build.gradle': BUILD.replace('}', '    testImplementation(libraries.oldMock)\n}') };
      const removed = await run(before, { 'deps.gradle': SCRIPT('4.1'), 'app/build.gradle': BUILD });
      assert.equal(removed.tier, 'ZERO');
      const added = await run({ 'deps.gradle': SCRIPT('4.1'), 'app/build.gradle': BUILD }, { 'deps.gradle': SCRIPT('4.1') + 'libraries.unused = "org.example:unused:1.0"\n' });
      assert.equal(verdict(added, 'deps.gradle'), 'MEDIUM dependencies');
    });

    const TOML = (junit: string, okhttp = '4.12.0') =>
      L('[versions]', `junit = "${junit}"`, `okhttp = "${okhttp}"`, '', '[libraries]', 'junit-jupiter = { module = "org.junit.jupiter:junit-jupiter", version.ref = "junit" }', 'okhttp = { module = "com.squareup.okhttp3:okhttp", version.ref = "okhttp" }', '', '[plugins]', 'spotless = { id = "com.diffplug.spotless", version = "6.25.0" }');
    const KTS = L('plugins {', '    alias(libs.plugins.spotless)', '}', 'dependencies {', '    implementation(libs.okhttp)', '    testImplementation(libs.junit.jupiter)', '}');

    it('libs.versions.toml: a version only test libraries refer to does not ship; one a runtime library refers to does', async () => {
      const tree = { 'gradle/libs.versions.toml': TOML('5.10.0'), 'build.gradle.kts': KTS };
      assert.equal((await run(tree, { 'gradle/libs.versions.toml': TOML('5.11.0') })).tier, 'ZERO');
      assert.equal((await run(tree, { 'gradle/libs.versions.toml': TOML('5.10.0', '4.12.1') })).tier, 'MEDIUM');
    });

    it('libs.versions.toml: a check plugin used in plugins { } does not ship', async () => {
      const tree = { 'gradle/libs.versions.toml': TOML('5.10.0'), 'build.gradle.kts': KTS };
      assert.equal((await run(tree, { 'gradle/libs.versions.toml': TOML('5.10.0').replace('6.25.0', '7.0.0') })).tier, 'ZERO');
    });

    it('an entry used from a build file the search cannot read ships', async () => {
      const before = { 'deps.gradle': SCRIPT('4.1'), 'app/build.gradle': BUILD };
      const after = { 'deps.gradle': SCRIPT('4.2') };
      const search = memorySearch(treeAfter(before, after));
      delete search.read;
      const a = await assess(changeSetOf(before, after), PolicySchema.parse({}), search);
      assert.equal(a.tier, 'MEDIUM');
    });
  });

  describe('go.mod', () => {
    const MOD = (testify: string, crypto = 'v0.20.0') => L('module example.com/app', '', 'go 1.22', '', 'require (', `\tgithub.com/stretchr/testify ${testify}`, `\tgolang.org/x/crypto ${crypto}`, '\tgithub.com/pmezard/go-difflib v1.0.0 // indirect', ')');
    const tree = {
      'main.go': L('package main', '', 'import "golang.org/x/crypto/bcrypt"', '', 'func main() { _ = bcrypt.MinCost }'),
      'main_test.go': L('package main', '', 'import "github.com/stretchr/testify/assert"'),
    };

    it('a module imported only by _test.go files does not ship; go.sum follows', async () => {
      const a = await run({ ...tree, 'go.mod': MOD('v1.8.4'), 'go.sum': L('github.com/stretchr/testify v1.8.4 h1:x') }, { 'go.mod': MOD('v1.9.0'), 'go.sum': L('github.com/stretchr/testify v1.9.0 h1:y') });
      assert.equal(a.tier, 'ZERO');
      assert.match(a.files.find((f) => f.path === 'go.mod')!.findings[0].message, /imported only by tests/);
      assert.equal(verdict(a, 'go.sum'), 'ZERO dev-dependencies');
    });

    it('a module production code imports ships', async () => {
      assert.equal((await run({ ...tree, 'go.mod': MOD('v1.8.4') }, { 'go.mod': MOD('v1.8.4', 'v0.21.0') })).tier, 'MEDIUM');
    });

    it('an indirect module nothing imports, or the go directive, counts as runtime', async () => {
      const before = MOD('v1.8.4');
      assert.equal((await run({ ...tree, 'go.mod': before }, { 'go.mod': before.replace('v1.0.0 // indirect', 'v1.0.1 // indirect') })).tier, 'MEDIUM');
      assert.equal((await run({ ...tree, 'go.mod': before }, { 'go.mod': before.replace('go 1.22', 'go 1.23') })).tier, 'MEDIUM');
    });
  });
});
