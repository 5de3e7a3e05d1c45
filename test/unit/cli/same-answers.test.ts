/**
 * The editor and the CLI give the same answer on the same inputs: a recording that ends before
 * the rollout is decided is refused on both, in the same words; a custom gate's column is read on both.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as engine from '../../../src/core/pipeline';
import { describeForEditor } from '../../../src/extension/fields';
import { allGates, gate, gatePlan } from '../sim/plans';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';

describe('the CLI and the editor on the same recording', function () {
  this.timeout(60_000);
  let dir: string;
  let cli: CliUnderTest;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-same-'));
    cli = await buildCli('simulate', 'UTC');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    cli.cleanup();
  });

  /** A wide CSV at one reading a minute for `minutes` minutes, healthy throughout. */
  function recording(name: string, minutes: number): string {
    const t0 = Date.parse('2026-03-10T10:00:00Z');
    const rows = Array.from({ length: minutes }, (_, m) => `${new Date(t0 + m * 60_000).toISOString()},0.05,120,99.95,0,0`);
    const file = path.join(dir, name);
    writeFileSync(file, ['timestamp,error_rate,latency_p95_ms,success_rate,db_errors_per_min,security_alerts', ...rows].join('\n') + '\n');
    return file;
  }

  it('refuses a recording shorter than the rollout with the same line', async () => {
    const planFile = path.join(dir, 'plan.json');
    const plan = gatePlan();
    writeFileSync(planFile, JSON.stringify(plan));
    const short = recording('short.csv', 250);

    const r = cli.run('--plan', planFile, '--trace', short);
    assert.equal(r.code, 2, r.stderr);
    const fromCli = r.stderr.trim().replace(/^rollout-lens: /, '');
    assert.match(fromCli, /short\.csv: the trace covers 4 h 10 min of the 5 h 0 min the plan needs/);

    const loaded = await engine.loadTraceFile(short, plan);
    const fromEditor = await engine.simulate(plan, { kind: 'trace', trace: loaded.trace, alignAt: loaded.alignAt }).then(
      () => 'no error',
      (e: unknown) => describeForEditor(e),
    );
    assert.equal(fromEditor, fromCli);
  });

  it("reads a custom gate's column from a trace file as the CLI does, to the same rollback", async () => {
    const cache = { ...gate('success_rate'), metric: 'cache_hit_rate', label: 'Cache hit rate', unit: '%', baseline: 95, warning: 90, critical: 80 };
    const plan = gatePlan([...allGates(), cache]);
    const planFile = path.join(dir, 'custom-plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const t0 = Date.parse('2026-03-10T10:00:00Z');
    // Healthy, except that the cache stops hitting halfway through the canary (minutes 60 to 180).
    const rows = Array.from({ length: 300 }, (_, m) => `${new Date(t0 + m * 60_000).toISOString()},0.05,120,99.95,0,0,${m >= 120 ? 50 : 96}`);
    const file = path.join(dir, 'cache.csv');
    writeFileSync(file, ['timestamp,error_rate,latency_p95_ms,success_rate,db_errors_per_min,security_alerts,cache_hit_rate', ...rows].join('\n') + '\n');

    const r = cli.run('--plan', planFile, '--trace', file, '--json');
    assert.equal(r.code, 0, r.stderr);
    const fromCli = JSON.parse(r.stdout) as { outcome: string; verdict: string; rollback?: { metric: string } };
    assert.equal(fromCli.outcome, 'rolled_back');
    assert.equal(fromCli.rollback?.metric, 'cache_hit_rate');

    const loaded = await engine.loadTraceFile(file, plan);
    assert.ok(loaded.metrics.includes('cache_hit_rate'), loaded.metrics.join(', '));
    const fromEditor = await engine.simulate(plan, { kind: 'trace', trace: loaded.trace, alignAt: loaded.alignAt });
    assert.equal(fromEditor.verdict, fromCli.verdict);
  });
});
