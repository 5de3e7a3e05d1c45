/**
 * Hostile inputs: a policy file or trace that is a link, a FIFO or a device, globs built to
 * backtrack, byte order marks, and user names that are also JavaScript's (`constructor`,
 * `__proto__`). What a user checks: the exit code, the line printed, what was (not) written.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { isInputError } from '../../../src/core/errors';
import { readRepositoryPolicy, writeRepositoryPolicy } from '../../../src/core/policy/file';
import { loadPolicy, parsePolicy } from '../../../src/core/policy/load';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess } from '../../../src/core/risk';
import { compileAutomaton, compileGlob } from '../../../src/core/risk/glob';
import { loadTrace } from '../../../src/core/sim/traces';
import { findRepositoryRoot, insideGitRepository } from '../../../src/extension/gitDir';
import { mergeWhatIfIntoPolicyText } from '../../../src/extension/whatIf';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';
import { L } from '../risk/corpus';
import { changeSetOf, memorySearch, treeAfter } from '../risk/helpers';

const SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';
const POLICY = '.rollout-lens.json';

let scratch: string;
const tmp = (name: string) => path.join(scratch, name);
const mkfifo = (p: string) => execFileSync('mkfifo', [p]);

/** The error an async call rejects with; fails the test if it resolves. */
async function rejection(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected the call to be refused');
}

function oneLine(e: Error): string {
  assert.ok(isInputError(e), `an InputError, not ${String(e)}`);
  assert.doesNotMatch(e.message, /\n/);
  return e.message;
}

before(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'rollout-lens-hostile-inputs-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('hostile inputs: the policy file is read only as a regular file in the repository root', () => {
  let repo: FixtureRepo;
  let cli: CliUnderTest;
  before(async () => {
    cli = await buildCli('plan', 'UTC');
  });
  beforeEach(() => {
    repo = makeRepo({ commits: [{ 'README.md': 'hello\n' }] });
  });
  afterEach(() => repo.cleanup());
  after(() => cli.cleanup());

  it('a committed link to a private key: exit 2 naming the policy, no byte of the key printed', () => {
    writeFileSync(tmp('id_rsa'), SECRET);
    symlinkSync(tmp('id_rsa'), path.join(repo.dir, POLICY));
    const r = cli.run('--repo', repo.dir, '--json');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /\.rollout-lens\.json: is a symbolic link \(expected the policy as a regular file in the repository root\)/);
    assert.doesNotMatch(r.stderr, /BEGIN|OPENSSH|b3Blbn|-----/);
  });

  it('a link to a valid policy outside the repository is not read either', async () => {
    writeFileSync(tmp('elsewhere.json'), JSON.stringify({ timezone: 'Asia/Tokyo' }));
    symlinkSync(tmp('elsewhere.json'), path.join(repo.dir, POLICY));
    assert.match(oneLine(await rejection(() => loadPolicy({ repoRoot: repo.dir }))), /is a symbolic link/);
  });

  it('a FIFO as the policy: refused at once, naming the file, instead of waiting for a writer', async () => {
    mkfifo(path.join(repo.dir, POLICY));
    assert.match(oneLine(await rejection(() => loadPolicy({ repoRoot: repo.dir }))), /\.rollout-lens\.json: is a FIFO \(named pipe\) \(expected the policy as a regular file/);
  });

  it('a FIFO named with --config: exit 2 from the CLI', async () => {
    mkfifo(tmp('fifo-policy.json'));
    const r = await runAsync(cli, 'plan', ['--tier', 'LOW', '--config', tmp('fifo-policy.json'), '--json']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /fifo-policy\.json: is a FIFO \(named pipe\) \(expected a policy file/);
  });

  it('a policy that is not JSON is described without quoting it (the file could be anything)', async () => {
    writeFileSync(tmp('named.json'), 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7 user@host\n');
    const msg = oneLine(await rejection(() => loadPolicy({ configFile: tmp('named.json') })));
    assert.match(msg, /named\.json:1: not valid JSON: unexpected character where a value was expected at column 1 \(expected a Rollout Lens policy object\)/);
    assert.doesNotMatch(msg, /ssh|AAAA|user@host/);
  });

  it('property: any text that is not JSON gives one InputError line with a position inside the text', () => {
    const jsonish = fc.array(fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', 'a', '1', '-', '.', 'e', 'true', 'null', '\\', '\u0001', '\ufeff'), { maxLength: 40 }).map((t) => t.join(''));
    fc.assert(
      fc.property(jsonish, (text) => {
        try {
          parsePolicy(text, POLICY);
        } catch (e) {
          const msg = oneLine(e as Error);
          const at = /^\.rollout-lens\.json(?::(\d+))?: /.exec(msg);
          assert.ok(at, msg);
          if (at[1] !== undefined) assert.ok(Number(at[1]) <= text.split('\n').length, msg);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('the same holds when saving a what-if into a file that is not JSON', () => {
    assert.throws(
      () => mergeWhatIfIntoPolicyText('{"gates": {"x": "-----BEGIN KEY-----"} oops', '/repo/.rollout-lens.json', 'HIGH', { gates: { error_rate: { warning: 1, critical: 2 } } }),
      (e: Error) => isInputError(e) && /\/repo\/\.rollout-lens\.json:1: not valid JSON/.test(e.message) && !/BEGIN|oops/.test(e.message),
    );
  });

  it('a subfolder with an empty .git folder reads the policy of the repository git sees, for plan and analysis alike', () => {
    writeFileSync(path.join(repo.dir, POLICY), JSON.stringify({ gates: { error_rate: { warning: 0.3, critical: 0.9 } } }));
    mkdirSync(path.join(repo.dir, 'pkg', '.git'), { recursive: true });
    writeFileSync(path.join(repo.dir, 'pkg', POLICY), JSON.stringify({ gates: { error_rate: { warning: 0.4, critical: 0.9 } } }));
    repo.write({ 'pkg/payments/charge.ts': 'export function chargeCard(card: Card, amount: number) {\n  return stripe.charges.create({ amount, source: card.token });\n}\n' });
    const r = cli.run('--repo', path.join(repo.dir, 'pkg'), '--json');
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { stages: { gates: { metric: string; warning: number }[] }[] };
    const warnings = plan.stages.flatMap((s) => s.gates.filter((g) => g.metric === 'error_rate').map((g) => g.warning));
    assert.ok(warnings.length > 0);
    assert.deepEqual([...new Set(warnings)], [0.3]);
  });

  it('the extension looks past an empty .git folder as git does', async () => {
    mkdirSync(path.join(repo.dir, 'pkg', '.git'), { recursive: true });
    assert.equal(await findRepositoryRoot(path.join(repo.dir, 'pkg')), repo.dir);
    mkdirSync(tmp('lonely/.git'), { recursive: true });
    assert.equal(await insideGitRepository(tmp('lonely')), false);
  });

  it('accepts a policy that starts with a UTF-8 byte order mark', async () => {
    writeFileSync(path.join(repo.dir, POLICY), '\ufeff' + JSON.stringify({ timezone: 'Europe/Berlin' }));
    assert.equal((await loadPolicy({ repoRoot: repo.dir })).policy.timezone, 'Europe/Berlin');
  });

  it('keeps the byte order mark when saving a what-if into such a file', () => {
    const next = mergeWhatIfIntoPolicyText('\ufeff{"timezone": "Europe/Berlin"}\n', POLICY, 'HIGH', { gates: { error_rate: { warning: 1, critical: 2 } } });
    assert.ok(next.startsWith('\ufeff{'));
    assert.deepEqual(JSON.parse(next.slice(1)), { timezone: 'Europe/Berlin', gates: { error_rate: { warning: 1, critical: 2 } } });
  });
});

describe('hostile inputs: saving to the policy never writes outside the repository', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(scratch, 'root-'));
  });

  it('refuses to write through a committed link to an existing file outside, and leaves that file alone', async () => {
    writeFileSync(tmp('victim.txt'), 'keep me\n');
    symlinkSync(tmp('victim.txt'), path.join(root, POLICY));
    assert.match(oneLine(await rejection(() => writeRepositoryPolicy(root, '{}\n'))), /\.rollout-lens\.json: is a symbolic link/);
    assert.equal(readFileSync(tmp('victim.txt'), 'utf8'), 'keep me\n');
  });

  it('refuses a dangling link too: no file is created where it points', async () => {
    symlinkSync(tmp('created-outside.json'), path.join(root, POLICY));
    await rejection(() => writeRepositoryPolicy(root, '{}\n'));
    assert.equal(existsSync(tmp('created-outside.json')), false);
  });

  it('replaces the policy entry instead of writing into the file it was: a hard link to it elsewhere keeps its content', async () => {
    writeFileSync(path.join(root, POLICY), '{"timezone": "UTC"}\n');
    linkSync(path.join(root, POLICY), tmp('hard-link.json'));
    await writeRepositoryPolicy(root, '{"timezone": "Europe/Paris"}\n');
    assert.equal(readFileSync(tmp('hard-link.json'), 'utf8'), '{"timezone": "UTC"}\n');
    assert.equal(readFileSync(path.join(root, POLICY), 'utf8'), '{"timezone": "Europe/Paris"}\n');
  });

  it('writes a regular file in the root, replacing the old one and leaving no temporary file', async () => {
    writeFileSync(path.join(root, POLICY), '{"timezone": "UTC"}\n');
    const written = await writeRepositoryPolicy(root, '{"timezone": "Europe/Paris"}\n');
    assert.equal(written, path.join(root, POLICY));
    assert.equal((await readRepositoryPolicy(root))?.text, '{"timezone": "Europe/Paris"}\n');
    assert.deepEqual(execFileSync('ls', ['-A', root], { encoding: 'utf8' }).trim().split('\n'), [POLICY]);
  });
});

describe('hostile inputs: trace files', () => {
  let cli: CliUnderTest;
  before(async () => {
    cli = await buildCli('simulate', 'UTC');
  });
  after(() => cli.cleanup());

  it('a FIFO as a trace is refused at once, naming it', async () => {
    mkfifo(tmp('trace-fifo.csv'));
    assert.equal(oneLine(await rejection(() => loadTrace([tmp('trace-fifo.csv')]))), `${tmp('trace-fifo.csv')}: is a FIFO (named pipe) (expected a trace file)`);
  });

  it('a FIFO as a trace: exit 2 from the CLI', async () => {
    mkfifo(tmp('cli-fifo.csv'));
    const r = await runAsync(cli, 'simulate', ['--tier', 'LOW', '--trace', `error_rate=${tmp('cli-fifo.csv')}`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cli-fifo\.csv: is a FIFO/);
  });

  it('a FIFO as a plan file (simulate --plan): exit 2 naming it, instead of waiting for a writer', async () => {
    mkfifo(tmp('plan-fifo.json'));
    const r = await runAsync(cli, 'simulate', ['--plan', tmp('plan-fifo.json'), '--scenario', 'healthy']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /plan-fifo\.json: is a FIFO \(named pipe\) \(expected a plan file/);
  });

  it('a device that streams without end (/dev/zero) is refused, not read', async () => {
    assert.match(oneLine(await rejection(() => loadTrace(['error_rate=/dev/zero']))), /^\/dev\/zero: is a character device \(expected a trace file\)$/);
  });

  it('accepts a Prometheus JSON trace that starts with a byte order mark', async () => {
    const doc = { status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'error_rate' }, values: [[1767693600, '0.1'], [1767693660, '0.2']] }] } };
    writeFileSync(tmp('bom.json'), '\ufeff' + JSON.stringify(doc));
    const trace = await loadTrace([`error_rate=${tmp('bom.json')}`]);
    assert.deepEqual([...trace.series.keys()], ['error_rate']);
  });
});

describe('hostile inputs: policy globs', () => {
  it('a tiers glob built to backtrack (*a*a*a…b) answers at once', () => {
    assert.equal(compileGlob(`${'*a'.repeat(40)}b`)('a'.repeat(120)), false);
  });

  it('an ignore glob of stacked **/ answers at once', () => {
    assert.equal(compileGlob(`${'**/'.repeat(40)}x`)(`${'a/'.repeat(120)}y`), false);
  });

  it('the policy bounds glob length and count, and says the limits', () => {
    assert.throws(() => parsePolicy(JSON.stringify({ tiers: [{ glob: 'a'.repeat(257), tier: 'HIGH' }] }), POLICY), /field "tiers\.0\.glob": a glob of at most 256 characters/);
    assert.throws(() => parsePolicy(JSON.stringify({ ignore: Array.from({ length: 201 }, (_, i) => `x${i}`) }), POLICY), /field "ignore": at most 200 entries/);
  });

  it('property: matching agrees with a plain regular-expression reference and its work grows linearly', async () => {
    const token = fc.constantFrom('a', 'b', '.', '/', '*', '?', '**/', '{a,b}', '{,a/}', 'a/');
    const glob = fc.array(token, { minLength: 1, maxLength: 8 }).map((t) => t.join('')).filter((g) => referenceOrUndefined(g) !== undefined);
    const filePath = fc.array(fc.constantFrom('a', 'b', '.', '/', 'c'), { maxLength: 14 }).map((t) => t.join(''));
    fc.assert(
      fc.property(glob, filePath, (g, p) => {
        const automaton = compileAutomaton([g]);
        assert.equal(automaton.test(p), referenceOrUndefined(g)!.test(p), `${g} on ${p}`);
        assert.ok(automaton.nfaSize <= 4 * g.length + 8, `automaton of ${automaton.nfaSize} states for ${g.length} characters`);
      }),
      { numRuns: 3000 },
    );
    // Work: each character of the path visits at most a bounded number of states, whatever the glob.
    const hostile = fc
      .array(fc.constantFrom('*a', '*', '?', '/**/', 'a', '{a,*a}'), { minLength: 1, maxLength: 60 })
      .map((t) => `${t.join('')}b`)
      .filter((g) => referenceOrUndefined(g) !== undefined);
    const long = fc.array(fc.constantFrom('a', '/'), { minLength: 0, maxLength: 300 }).map((t) => t.join(''));
    fc.assert(
      fc.property(hostile, long, (g, p) => {
        const automaton = compileAutomaton([g]);
        automaton.steps = 0;
        automaton.test(p);
        assert.ok(automaton.steps <= (p.length + 1) * 4 * (automaton.nfaSize + 1), `${automaton.steps} steps for ${g} on ${p.length} characters`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile inputs: user names that are also JavaScript property names', () => {
  let cli: CliUnderTest;
  before(async () => {
    cli = await buildCli('plan', 'UTC');
  });
  after(() => cli.cleanup());

  const policy = {
    gates: { constructor: { label: 'Constructor failures', unit: 'count', direction: 'above', warning: 1, critical: 2 } },
    prometheus: { queries: { constructor: 'sum(rate(constructor_failures_total[5m]))' } },
  };

  it('plan --export flagger keeps the query of a gate named constructor', () => {
    writeFileSync(tmp('ctor-policy.json'), JSON.stringify(policy));
    const r = cli.run('--tier', 'HIGH', '--config', tmp('ctor-policy.json'), '--export', 'flagger', '--json');
    assert.equal(r.code, 0, r.stderr);
    const objects = JSON.parse(r.stdout) as { kind: string; metadata: { name: string }; spec: { query?: string } }[];
    const template = objects.find((o) => o.kind === 'MetricTemplate' && o.metadata.name === 'my-service-constructor');
    assert.equal(template?.spec.query, 'sum(rate(constructor_failures_total[5m]))');
  });

  it('plan --export argo-rollouts keeps it too, and a gate named constructor without a query gets the placeholder and the warning', () => {
    writeFileSync(tmp('ctor-policy.json'), JSON.stringify(policy));
    const withQuery = cli.run('--tier', 'HIGH', '--config', tmp('ctor-policy.json'), '--export', 'argo-rollouts');
    assert.equal(withQuery.code, 0, withQuery.stderr);
    assert.match(withQuery.stdout, /query: sum\(rate\(constructor_failures_total\[5m\]\)\)/);
    writeFileSync(tmp('ctor-noquery.json'), JSON.stringify({ gates: policy.gates }));
    const without = cli.run('--tier', 'HIGH', '--config', tmp('ctor-noquery.json'), '--export', 'argo-rollouts');
    assert.equal(without.code, 0, without.stderr);
    assert.match(without.stderr, /metric "constructor" \(Constructor failures\) has no Prometheus query/);
    assert.match(without.stdout, /rollout_lens_query_missing\{metric=\\"constructor\\"\}/);
  });

  it('simulate rolls back on a gate named constructor', async () => {
    const sim = await buildCli('simulate', 'UTC');
    try {
      const off = { enabled: false };
      writeFileSync(
        tmp('ctor-sim.json'),
        JSON.stringify({ gates: { ...policy.gates, error_rate: off, latency_p95_ms: off, success_rate: off, db_errors_per_min: off, security_alerts: off } }),
      );
      const start = Date.UTC(2026, 0, 6, 10, 0) / 1000;
      const rows = Array.from({ length: 60 * 24 * 4 }, (_, m) => `${start + m * 60},${m < 600 ? 0 : 5}`);
      writeFileSync(tmp('ctor.csv'), ['timestamp,value', ...rows].join('\n') + '\n');
      const r = sim.run('--tier', 'MEDIUM', '--config', tmp('ctor-sim.json'), '--trace', `constructor=${tmp('ctor.csv')}`, '--json');
      assert.equal(r.code, 0, r.stderr);
      const result = JSON.parse(r.stdout) as { outcome: string; rollback?: { metric: string } };
      assert.equal(result.outcome, 'rolled_back');
      assert.equal(result.rollback?.metric, 'constructor');
    } finally {
      sim.cleanup();
    }
  });

  it('a flag called constructor that the change introduces is OFF, as any new flag is', async () => {
    const before = { 'src/pay.ts': L('export function pay(o: Order) {', '  return legacyPay(o);', '}') };
    const after = { 'src/pay.ts': L('export function pay(o: Order) {', "  if (isEnabled('constructor')) {", '    return newPay(o);', '  }', '  return legacyPay(o);', '}') };
    const a = await assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
    assert.deepEqual(a.flags.map((f) => f.name), ['constructor']);
    assert.equal(a.tier, 'ZERO');
  });

  it('a flag called toString listed ON in the policy is ON; one called hasOwnProperty that is not listed is OFF', async () => {
    const before = { 'src/pay.ts': L('export function pay(o: Order) {', '  return legacyPay(o);', '}') };
    const guarded = (flag: string) => ({ 'src/pay.ts': L('export function pay(o: Order) {', `  if (isEnabled('${flag}')) {`, '    return newPay(o);', '  }', '  return legacyPay(o);', '}') });
    const policy = PolicySchema.parse({ flags: { toString: 'on' } });
    const on = await assess(changeSetOf(before, guarded('toString')), policy, memorySearch(treeAfter(before, guarded('toString'))));
    assert.equal(on.tier, 'HIGH');
    const off = await assess(changeSetOf(before, guarded('hasOwnProperty')), policy, memorySearch(treeAfter(before, guarded('hasOwnProperty'))));
    assert.equal(off.tier, 'ZERO');
  });

  it('"__proto__" as a flag or query name is refused by name rather than dropped', () => {
    assert.throws(() => parsePolicy('{"flags": {"__proto__": "on"}}', POLICY), /\.rollout-lens\.json: field "flags\.__proto__": "__proto__" cannot be used as a name/);
    assert.throws(() => parsePolicy('{"prometheus": {"queries": {"__proto__": "up"}}}', POLICY), /field "prometheus\.queries\.__proto__"/);
  });
});

/** Runs the CLI without blocking this process, so a hang fails by mocha's timeout instead of freezing the run. */
function runAsync(cli: CliUnderTest, command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(cli.dir, 'cli.js'), command, ...args], { cwd: cli.dir, env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    running.add(child);
    child.on('exit', () => running.delete(child));
  });
}

const running = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  for (const c of running) c.kill('SIGKILL');
});

/** The previous regular-expression translation of a glob: the meaning the automaton must keep. */
function referenceOrUndefined(glob: string): RegExp | undefined {
  let pattern = glob.trim().replace(/^\.\//, '');
  if (pattern.endsWith('/')) pattern += '**';
  const anyDepth = !pattern.replace(/\/\*\*$/, '').includes('/');
  const g = pattern.replace(/^\//, '');
  let out = '';
  let depth = 0;
  for (let i = 0; i < g.length; i++) {
    const ch = g[i];
    if (ch === '*' && g[i + 1] === '*') {
      if (!((i === 0 || g[i - 1] === '/') && (i + 2 === g.length || g[i + 2] === '/'))) return undefined;
      if (g[i + 2] === '/') {
        out += '(?:[^/]*/)*';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '{') {
      depth++;
      out += '(?:';
    } else if (ch === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (ch === ',' && depth > 0) out += '|';
    else out += /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
  }
  if (depth !== 0) return undefined;
  return new RegExp(anyDepth ? `^(?:.*/)?${out}$` : `^${out}$`);
}
