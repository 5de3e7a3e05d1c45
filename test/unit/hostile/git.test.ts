/**
 * Hostile repositories against the way git is started and the repository is opened: FIFOs and
 * devices where git opens a file, a damaged index or HEAD, a worktree elsewhere, revision
 * syntax as a base, more drivers than can be switched off. Each must end in exit 2 naming what
 * is wrong (or, for config routes, in a normal read), never in a hang or someone else's words.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readChange } from '../../../src/core/change';
import { InputError } from '../../../src/core/errors';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

/** Small, so a stalled call is stopped quickly; mocha's own timeout is the backstop. */
const SHORT = 1500;

const mkfifo = (p: string) => execFileSync('mkfifo', [p]);

/** Mocha cannot interrupt a synchronous spawn: where the CLI could hang, bound it here. */
function runBounded(cli: CliUnderTest, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(cli.dir, 'cli.js'), 'analyze', ...args], { cwd: cli.dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...env } });
  assert.equal(r.signal, null, `the CLI hung: ${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectExit2(res: { code: number | null; stdout: string; stderr: string }, mentions: RegExp): void {
  assert.equal(res.code, 2, res.stderr);
  assert.equal(res.stdout, '');
  assert.equal(res.stderr.trimEnd().split('\n').length, 1, res.stderr);
  assert.match(res.stderr, mentions);
}

/** git processes whose working folder is inside `dir` (Linux: read from /proc). */
function gitProcessesIn(dir: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm === 'git' && (cwd === dir || cwd.startsWith(dir + '/'))) found.push(Number(pid));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n') || e.message.split('\n').length === 1, 'one line');
    return e;
  }
  assert.fail('expected the read to fail');
}

const base = () => makeRepo({ commits: [{ 'a.txt': 'a\n', 'sub/b.txt': 'b\n' }], unstaged: { 'a.txt': 'a\nmore\n' } });

describe('hostile repositories: FIFOs and devices where git opens a file', function () {
  this.timeout(30_000);
  let r: FixtureRepo;
  beforeEach(() => {
    r = base();
  });
  afterEach(() => r.cleanup());

  /**
   * Files whose index entries are older than the index: git trusts their stat data and reads none
   * of them again. An entry written in the index's own second is "racily clean", and git re-reads
   * its content, looking up its folder's .gitattributes on the way: whether it does then depends
   * on the clock, not on the change.
   */
  const settle = () => {
    const old = new Date(Date.now() - 3600_000);
    for (const f of ['a.txt', 'sub/b.txt']) utimesSync(path.join(r.dir, f), old, old);
    r.git('update-index', '-q', '--refresh');
  };

  // git lists untracked files through every folder's .gitignore, but looks up a folder's
  // .gitattributes only for a path of that folder it diffs: the change edits sub/b.txt.
  for (const where of ['sub/.gitignore', 'sub/.gitattributes', '.gitignore']) {
    it(`stops git at a FIFO ${where}, names it, and leaves no git running`, async () => {
      settle();
      if (where === 'sub/.gitattributes') writeFileSync(path.join(r.dir, 'sub/b.txt'), 'b\nmore\n');
      mkfifo(path.join(r.dir, where));
      const e = await inputError(readChange({ repo: r.dir, timeoutMs: SHORT }));
      assert.match(e.message, new RegExp(`^${path.join(r.dir, where).replace(/\./g, '\\.')}: a FIFO where git reads a file; git [a-z-]+ waited on it and was stopped after ${SHORT} ms`));
      assert.deepEqual(gitProcessesIn(r.dir), []);
    });
  }

  for (const where of ['info/exclude', 'info/attributes', 'config.worktree', 'config', 'packed-refs', 'objects/info/alternates', 'refs/heads/main', 'index']) {
    it(`refuses a FIFO at .git/${where} before running git`, async () => {
      const file = path.join(r.dir, '.git', where);
      mkdirSync(path.dirname(file), { recursive: true });
      rmSync(file, { force: true });
      mkfifo(file);
      const e = await inputError(readChange({ repo: r.dir, timeoutMs: SHORT }));
      assert.equal(e.message, `${file}: a FIFO where git reads a file (expected a regular file)`);
    });
  }

  it('refuses a .git that is a FIFO, naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-gitfifo-'));
    try {
      mkfifo(path.join(dir, '.git'));
      const e = await inputError(readChange({ repo: dir, timeoutMs: SHORT }));
      assert.equal(e.message, `${path.join(dir, '.git')}: a FIFO where git reads a file (expected a regular file)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an include.path (through an includeIf) that is a FIFO, naming it', async () => {
    const fifo = path.join(r.dir, '.git', 'inc.fifo');
    mkfifo(fifo);
    appendFileSync(path.join(r.dir, '.git', 'config'), `[includeIf "gitdir:${r.dir}/.git"]\n\tpath = inc.fifo\n`);
    const e = await inputError(readChange({ repo: r.dir, timeoutMs: SHORT }));
    assert.equal(e.message, `${fifo}: a FIFO where git reads a file (expected a regular file)`);
  });

  it('refuses an include.path written after its section header that is a FIFO, naming it', async () => {
    const fifo = path.join(r.dir, '.git', 'same-line.fifo');
    mkfifo(fifo);
    appendFileSync(path.join(r.dir, '.git', 'config'), `[include] path = ${fifo}\n`);
    const e = await inputError(readChange({ repo: r.dir, timeoutMs: SHORT }));
    assert.equal(e.message, `${fifo}: a FIFO where git reads a file (expected a regular file)`);
  });

  for (const [key, target] of [
    ['core.excludesFile', 'fifo'],
    ['core.attributesFile', 'fifo'],
    ['core.attributesFile', '/dev/zero'],
    ['core.excludesFile', '/dev/zero'],
  ]) {
    it(`reads the change when ${key} is ${target}: the route is pointed at /dev/null`, async () => {
      let file = target;
      if (target === 'fifo') {
        file = path.join(r.dir, '..', `${path.basename(r.dir)}.fifo`);
        mkfifo(file);
      }
      try {
        r.git('config', key, file);
        const { change, search } = await readChange({ repo: r.dir, timeoutMs: 10_000 });
        assert.deepEqual(change.files.map((f) => [f.path, f.status]), [['a.txt', 'modified']]);
        assert.deepEqual((await search.referencesTo(['more'])).get('more'), ['a.txt']);
      } finally {
        if (target === 'fifo') unlinkSync(file);
      }
    });
  }

  it('still honours a core.excludesFile that is a regular file', async () => {
    const file = path.join(r.dir, '..', `${path.basename(r.dir)}.ignore`);
    writeFileSync(file, 'secret.txt\n');
    try {
      r.git('config', 'core.excludesFile', file);
      r.write({ 'secret.txt': 'x\n', 'fresh.txt': 'y\n' });
      const { change } = await readChange({ repo: r.dir });
      assert.deepEqual(change.files.map((f) => f.path), ['a.txt', 'fresh.txt']);
    } finally {
      unlinkSync(file);
    }
  });

  it('a read can be cancelled: it rejects as aborted and leaves no git running', async () => {
    mkfifo(path.join(r.dir, 'sub', '.gitignore'));
    const ac = new AbortController();
    const read = readChange({ repo: r.dir, timeoutMs: 60_000, signal: ac.signal });
    // Cancel once git is waiting on the FIFO, however long a busy machine takes to start it.
    while (gitProcessesIn(r.dir).length === 0) await new Promise((ok) => setTimeout(ok, 25));
    ac.abort();
    await assert.rejects(read, (e: Error) => e.name === 'AbortError');
    assert.deepEqual(gitProcessesIn(r.dir), []);
  });
});

/** Every path under `dir` with its modification time and size. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      const st = statSync(abs);
      out.push(`${path.relative(dir, abs)} ${st.mtimeMs} ${e.isDirectory() ? '-' : st.size}`);
      if (e.isDirectory()) walk(abs);
    }
  };
  walk(dir);
  return out.sort();
}

describe('hostile repositories: a diff driver whose hunk-header regex backtracks', () => {
  for (const key of ['xfuncname', 'funcname']) {
    it(`diff.<driver>.${key} is switched off: the read finishes well inside its bound`, async () => {
      const line = 'a'.repeat(100) + 'b\n';
      const r = makeRepo({ commits: [{ 'f.r': line.repeat(300) }], unstaged: { 'f.r': line.repeat(300) + 'tail\n' } });
      try {
        writeFileSync(path.join(r.dir, '.git', 'info', 'attributes'), '*.r diff=rx\n');
        const pattern = key === 'xfuncname' ? '^(a|a)*(a|a)*(a|a)*(a|a)*\\1\\2\\3\\4c$' : '^\\(a*\\)*\\(a*\\)*\\(a*\\)*\\1\\2\\3c$';
        r.git('config', `diff.rx.${key}`, pattern);
        const { change } = await readChange({ repo: r.dir, timeoutMs: 10_000 });
        assert.deepEqual(change.files.find((f) => f.path === 'f.r')?.addedLines, [{ line: 301, text: 'tail' }]);
      } finally {
        r.cleanup();
      }
    });
  }
});

describe('hostile repositories: a split index', () => {
  it('reads the change without touching anything under .git (not even the shared index timestamps)', async () => {
    const r = makeRepo({ config: { 'core.splitIndex': 'true' }, commits: [{ 'a.txt': 'a\n' }], staged: { 'b.txt': 'b\n' }, unstaged: { 'a.txt': 'a\nmore\n' } });
    try {
      const shared = readdirSync(path.join(r.dir, '.git')).filter((n) => n.startsWith('sharedindex.'));
      assert.ok(shared.length > 0, 'the fixture has a split index');
      // Old timestamps, so that a freshening shows whatever the clock's resolution.
      const old = new Date('2020-01-01T00:00:00Z');
      for (const n of shared) utimesSync(path.join(r.dir, '.git', n), old, old);
      const before = listing(path.join(r.dir, '.git'));
      const { change, search } = await readChange({ repo: r.dir });
      assert.deepEqual(change.files.map((f) => [f.path, f.status]), [['a.txt', 'modified'], ['b.txt', 'added']]);
      assert.deepEqual((await search.referencesTo(['more'])).get('more'), ['a.txt']);
      assert.deepEqual(listing(path.join(r.dir, '.git')), before);
      assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith('rollout-lens-index-')), [], 'the private copy is gone');
    } finally {
      r.cleanup();
    }
  });
});

describe('hostile repositories: exit 2 naming what is wrong', function () {
  this.timeout(60_000);
  let cli: CliUnderTest;
  let r: FixtureRepo;
  before(async () => {
    cli = await buildCli('analyze', 'UTC');
  });
  after(() => cli.cleanup());
  beforeEach(() => {
    r = base();
  });
  afterEach(() => r.cleanup());

  it('a FIFO .gitignore under ROLLOUT_LENS_GIT_TIMEOUT_MS: exit 2 naming the FIFO', () => {
    mkfifo(path.join(r.dir, 'sub', '.gitignore'));
    const res = runBounded(cli, { ROLLOUT_LENS_GIT_TIMEOUT_MS: String(SHORT) }, '--repo', r.dir);
    expectExit2(res, new RegExp(`${r.dir}/sub/\\.gitignore: a FIFO where git reads a file`));
    assert.deepEqual(gitProcessesIn(r.dir), []);
  });

  it('a ROLLOUT_LENS_GIT_TIMEOUT_MS that is not a number: exit 2 naming it', () => {
    process.env.ROLLOUT_LENS_GIT_TIMEOUT_MS = 'soon';
    try {
      cli.expectBadInput(['--repo', r.dir], /ROLLOUT_LENS_GIT_TIMEOUT_MS: expected a whole number of milliseconds above 0, got "soon"/);
    } finally {
      delete process.env.ROLLOUT_LENS_GIT_TIMEOUT_MS;
    }
  });

  it('a tracked file replaced by a FIFO: exit 2 naming it, no hang', () => {
    unlinkSync(path.join(r.dir, 'sub', 'b.txt'));
    mkfifo(path.join(r.dir, 'sub', 'b.txt'));
    const res = runBounded(cli, { ROLLOUT_LENS_GIT_TIMEOUT_MS: '10000' }, '--repo', r.dir);
    expectExit2(res, new RegExp(`^rollout-lens: ${r.dir}/sub/b\\.txt: neither a file, a symlink nor a folder`));
  });

  it('.git/HEAD naming a missing commit: exit 2 naming HEAD and the commit', () => {
    const missing = '1234567890123456789012345678901234567890';
    writeFileSync(path.join(r.dir, '.git', 'HEAD'), `${missing}\n`);
    cli.expectBadInput(['--repo', r.dir], new RegExp(`${r.dir}/\\.git/HEAD: HEAD \\(a detached HEAD\\) names ${missing}, which is not a commit`));
  });

  it('a branch naming a missing commit: exit 2 naming the branch and the commit', () => {
    const missing = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';
    const branch = r.git('symbolic-ref', '--short', 'HEAD').trim();
    writeFileSync(path.join(r.dir, '.git', 'refs', 'heads', branch), `${missing}\n`);
    cli.expectBadInput(['--repo', r.dir], new RegExp(`HEAD \\(branch ${branch}\\) names ${missing}, which is not a commit`));
  });

  it('a repository without commits still reads as such (exit 0)', () => {
    const empty = makeRepo({ unstaged: { 'new.txt': 'x\n' } });
    try {
      const res = cli.run('--repo', empty.dir, '--json');
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(JSON.parse(res.stdout).files.map((f: { path: string }) => f.path), ['new.txt']);
    } finally {
      empty.cleanup();
    }
  });

  it('core.worktree pointing elsewhere: exit 2 naming core.worktree', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'rollout-lens-elsewhere-'));
    try {
      r.git('config', 'core.worktree', elsewhere);
      cli.expectBadInput(['--repo', r.dir], new RegExp(`core\\.worktree points at ${elsewhere}, which does not contain this folder`));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  for (const ref of ['^main', 'main^!', 'main^@', 'HEAD^-', 'main..HEAD', 'main...HEAD']) {
    it(`--base ${ref}: exit 2, not a single commit`, () => {
      cli.expectBadInput(['--repo', r.dir, '--base', ref], new RegExp(`^rollout-lens: --base: "${ref.replace(/[.^$]/g, '\\$&')}" is a range or set of commits, not a single commit`));
    });
  }

  it('a --base that is one commit still works', () => {
    const res = cli.run('--repo', r.dir, '--base', 'main', '--json');
    assert.equal(res.code, 0, res.stderr);
  });

  it('a damaged .git/index (garbage, truncated, one byte flipped): exit 2 naming the index', () => {
    const index = path.join(r.dir, '.git', 'index');
    const good = readFileSync(index);
    const flipped = Buffer.from(good);
    flipped[40] ^= 0xff;
    for (const bad of [Buffer.from('garbage-garbage-garbage-garbage'), good.subarray(0, 40), flipped]) {
      writeFileSync(index, bad);
      cli.expectBadInput(['--repo', r.dir], new RegExp(`^rollout-lens: ${index.replace(/\./g, '\\.')}: .*(git index|DIRC)`));
    }
    writeFileSync(index, good);
    assert.equal(cli.run('--repo', r.dir).code, 0);
  });

  it('30,000 configured drivers: exit 2 naming the count and the limit', () => {
    const lines: string[] = [];
    const attrs: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      lines.push(`[filter "driver${i}"]\n\tclean = cat\n`);
      attrs.push(`*.d${i} filter=driver${i}\n`);
    }
    appendFileSync(path.join(r.dir, '.git', 'config'), lines.join(''));
    writeFileSync(path.join(r.dir, '.git', 'info', 'attributes'), attrs.join(''));
    cli.expectBadInput(['--repo', r.dir], /30000 filter, diff and merge drivers are configured; at most 500 can be switched off/);
  });

  it('a repository whose path holds a newline is read at that path', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'rollout-lens-nl-'));
    const dir = path.join(parent, 'two\nlines');
    mkdirSync(dir);
    try {
      spawnSync('git', ['init', '-q'], { cwd: dir });
      writeFileSync(path.join(dir, 'new.txt'), 'x\n');
      const { change } = await readChange({ repo: dir });
      assert.equal(change.root, dir);
      assert.deepEqual(change.files.map((f) => f.path), ['new.txt']);
      assert.ok(statSync(dir).isDirectory());
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
