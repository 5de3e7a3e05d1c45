/**
 * Hostile repositories at scale: names that are not UTF-8, text files too large to read whole,
 * files far too large to read at all, and minified one-line bundles. What a user checks: the exit
 * code, the tier, the path printed, and the note saying what was read.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

interface JsonFile {
  path: string;
  status: string;
  tier: string;
  binary?: boolean;
  note?: string;
  findings: { rule: string; tier: string }[];
}
interface JsonAssessment {
  tier: string;
  files: JsonFile[];
  partlySearched?: { path: string; size: number; searchedBytes: number }[];
}

/** Writes a file whose name is given as bytes (relative to the repository). */
function writeBytesName(repo: FixtureRepo, rel: Buffer, content: string | Buffer): void {
  writeFileSync(Buffer.concat([Buffer.from(repo.dir + '/'), rel]), content);
}

const DROP = 'ALTER TABLE users DROP COLUMN email;\n';
const MB = 1024 * 1024;

describe('hostile repositories: reading the change at scale', function () {
  this.timeout(120_000);
  let cli: CliUnderTest;
  const repos: FixtureRepo[] = [];
  const repo = (...args: Parameters<typeof makeRepo>) => {
    const r = makeRepo(...args);
    repos.push(r);
    return r;
  };
  const analyze = (dir: string): { code: number | null; json: JsonAssessment; stderr: string } => {
    const r = cli.run('--repo', dir, '--json');
    return { code: r.code, json: r.code === 0 ? (JSON.parse(r.stdout) as JsonAssessment) : { tier: '', files: [] }, stderr: r.stderr };
  };
  const fileOf = (a: JsonAssessment, p: string): JsonFile => {
    const f = a.files.find((x) => x.path === p);
    assert.ok(f, `${p} listed among ${a.files.map((x) => x.path).join(', ')}`);
    return f;
  };

  before(async () => {
    cli = await buildCli('analyze', 'UTC');
    // The migration analyzer loads the PostgreSQL parser from beside the bundle.
    copyFileSync(path.join(__dirname, '../../../node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(cli.dir, 'libpg-query.wasm'));
  });
  after(() => {
    for (const r of repos) r.cleanup();
    cli.cleanup();
  });

  it('reads an untracked migration whose name is not UTF-8: dropping a column is HIGH, the name shown with \\xff', () => {
    const r = repo({ commits: [{ 'README.md': 'app\n' }] });
    mkdirSync(path.join(r.dir, 'db/migrations'), { recursive: true });
    writeBytesName(r, Buffer.concat([Buffer.from('db/migrations/003_'), Buffer.of(0xff), Buffer.from('.sql')]), DROP);
    const { code, json, stderr } = analyze(r.dir);
    assert.equal(code, 0, stderr);
    assert.equal(json.tier, 'HIGH');
    const f = fileOf(json, 'db/migrations/003_\\xff.sql');
    assert.equal(f.status, 'untracked');
    assert.ok(f.findings.some((x) => x.rule === 'migration-breaking' && x.tier === 'HIGH'), JSON.stringify(f.findings));
    const text = cli.run('--repo', r.dir);
    assert.match(text.stdout, /HIGH\s+db\/migrations\/003_\\xff\.sql/);
  });

  it('reads a tracked file whose name is not UTF-8 (staged, then edited) like any other', () => {
    const r = repo({ commits: [{ 'README.md': 'app\n' }] });
    mkdirSync(path.join(r.dir, 'db/migrations'), { recursive: true });
    const name = Buffer.concat([Buffer.from('db/migrations/004_'), Buffer.of(0xc3, 0x28), Buffer.from('.sql')]);
    writeBytesName(r, name, '-- placeholder\n');
    r.git('add', '-A');
    writeBytesName(r, name, `-- placeholder\n${DROP}`);
    const { code, json, stderr } = analyze(r.dir);
    assert.equal(code, 0, stderr);
    const f = fileOf(json, 'db/migrations/004_\\xc3(.sql');
    assert.equal(f.status, 'added');
    assert.equal(f.tier, 'HIGH');
  });

  it('judges a text file over 2 MB with payment code and DELETE FROM lines, and never calls it binary', () => {
    const r = repo({ commits: [{ 'src/billing/ledger.ts': 'export const ledger = [];\n', 'src/worker.ts': "import './jobs/refunds';\n" }] });
    const risky = [
      'export async function refundAll(db: Db, stripe: Stripe) {',
      "  await db.query('DELETE FROM payments WHERE settled = false');",
      '  await stripe.refunds.create({ payment_intent: pending.id });',
      '}',
    ];
    const filler = Array.from({ length: 25_000 }, (_, i) => `export const entry${i} = ${JSON.stringify('x'.repeat(80))};`);
    const big = [...risky, ...filler].join('\n') + '\n';
    assert.ok(big.length > 2 * MB);
    // A tracked file edited, and a new job that the worker already imports, nobody has added yet.
    r.write({ 'src/billing/ledger.ts': big, 'src/jobs/refunds.ts': big });
    const { code, json, stderr } = analyze(r.dir);
    assert.equal(code, 0, stderr);
    for (const p of ['src/billing/ledger.ts', 'src/jobs/refunds.ts']) {
      const f = fileOf(json, p);
      assert.equal(f.binary, undefined, `${p} is text`);
      assert.equal(f.tier, 'HIGH', `${p}: ${JSON.stringify(f.findings)}`);
      assert.ok(f.findings.some((x) => x.rule === 'payment'), `${p} payment`);
      assert.ok(f.findings.some((x) => x.rule === 'data-write'), `${p} DELETE FROM`);
      assert.match(f.note ?? '', /over the 2 MB read per file/);
    }
  });

  it('judges a minified one-line bundle of 3 MB by the start of its line, as text', () => {
    const line = (seed: string) => `var ${seed}=function(c){return stripe.charges.create({amount:c})};` + 'var q=1;'.repeat(400_000);
    const r = repo({ commits: [{ 'public/app.min.js': line('a') }] });
    r.write({ 'public/app.min.js': line('b') });
    const { code, json, stderr } = analyze(r.dir);
    assert.equal(code, 0, stderr);
    const f = fileOf(json, 'public/app.min.js');
    assert.equal(f.binary, undefined);
    assert.ok(f.findings.some((x) => x.rule === 'payment'), JSON.stringify(f.findings));
    assert.match(f.note ?? '', /changed lines? over 256 KB, judged by/);
  });

  it('searches a large file for references in its first 2 MB only, and lists it as searched in part', () => {
    const r = repo({ commits: [{ 'src/app.ts': 'export const app = 1;\n' }] });
    // The only mention of the new module sits past the first 2 MB of a large text file.
    r.write({ 'src/ledgerSync.ts': 'export function syncLedger() {\n  return 1;\n}\n', 'vendor/notes.txt': 'filler line\n'.repeat(300_000) + 'see ledgerSync\n' });
    const { code, json, stderr } = analyze(r.dir);
    assert.equal(code, 0, stderr);
    const partly = json.partlySearched ?? [];
    const notes = partly.find((p) => p.path === 'vendor/notes.txt');
    assert.ok(notes, JSON.stringify(partly));
    assert.equal(notes.searchedBytes, 2 * MB);
    assert.ok(notes.size > 3 * MB);
    assert.equal(fileOf(json, 'src/ledgerSync.ts').findings[0].rule, 'unreferenced-file');
    assert.match(cli.run('--repo', r.dir).stdout, /Searched for references in part only[\s\S]*vendor\/notes\.txt \(3\.\d MB, first 2 MB searched\)/);
  });

  it('never reads a 64 GB sparse untracked file whole: it is listed, and the analysis ends with exit 0', () => {
    const r = repo({ commits: [{ 'src/app.ts': 'export const app = 1;\n' }] });
    r.write({ 'src/worker.ts': 'export function work() {\n  return 2;\n}\n' });
    const fd = openSync(path.join(r.dir, 'disk.img'), 'w');
    ftruncateSync(fd, 64 * 1024 * MB);
    closeSync(fd);
    const { code, json, stderr } = analyze(r.dir);
    assert.equal(code, 0, stderr);
    assert.equal(fileOf(json, 'disk.img').binary, true);
  });

  it('property: any file names made of bytes are analyzed without a hang, exit 0, every file listed and judged', () => {
    // Any byte but NUL and `/`, which no file name can hold.
    const name = fc.uint8Array({ minLength: 1, maxLength: 12 }).map((a) => Buffer.from(a.map((b) => (b === 0 || b === 0x2f ? 0x5f : b))));
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 4, selector: (b) => b.toString('latin1') }), fc.boolean(), (names, commitFirst) => {
        const r = makeRepo({ commits: [{ 'README.md': 'app\n' }] });
        try {
          mkdirSync(path.join(r.dir, 'db/migrations'), { recursive: true });
          const rels = names.map((n) => Buffer.concat([Buffer.from('db/migrations/'), n, Buffer.from('.sql')]));
          for (const rel of rels) writeBytesName(r, rel, commitFirst ? '-- placeholder\n' : DROP);
          if (commitFirst) {
            r.git('add', '-A');
            r.git('commit', '-q', '--no-verify', '-m', 'placeholders');
            for (const rel of rels) writeBytesName(r, rel, `-- placeholder\n${DROP}`);
          }
          const run = spawnSync(process.execPath, [path.join(cli.dir, 'cli.js'), 'analyze', '--repo', r.dir, '--json'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
          assert.ok(run.status === 0 || run.status === 2, `exit ${run.status} (signal ${run.signal}): ${run.stderr}`);
          if (run.status === 2) return;
          const json = JSON.parse(run.stdout) as JsonAssessment;
          assert.equal(json.files.length, rels.length, json.files.map((f) => f.path).join(', '));
          for (const f of json.files) {
            assert.match(f.path, /^db\/migrations\/[^/]+\.sql$/);
            assert.equal(f.tier, 'HIGH', `${JSON.stringify(f.path)}: ${JSON.stringify(f.findings)}`);
          }
        } finally {
          r.cleanup();
        }
      }),
      { numRuns: 12, seed: 14 },
    );
  });
});
