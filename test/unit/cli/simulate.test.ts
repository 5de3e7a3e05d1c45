/** `rollout-lens simulate` as a user runs it: the bundled CLI (and its Monte Carlo worker) in a child process. */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SimulationResultSchema } from '../../../src/core/sim/schema';
import { parseFault } from '../../../src/core/sim';
import { isInputError } from '../../../src/core/errors';
import { gatePlan } from '../sim/plans';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';

describe('simulate: the CLI command', function () {
  let cli: CliUnderTest;
  let dir: string;
  const run = (...args: string[]) => cli.run(...args);
  const expectBadInput = (args: string[], mentions: RegExp) => cli.expectBadInput(args, mentions);

  before(async () => {
    cli = await buildCli('simulate', 'UTC');
    dir = cli.dir;
  });
  after(() => cli.cleanup());

  it('prints one JSON document with the contract fields for --json', () => {
    const r = run('--tier', 'MEDIUM', '--scenario', 'error-spike', '--seed', '3', '--start', '2026-03-10T10:00:00Z', '--json');
    assert.equal(r.code, 0, r.stderr);
    const result = SimulationResultSchema.parse(JSON.parse(r.stdout));
    assert.equal(result.outcome, 'rolled_back');
    assert.equal(result.rollback?.metric, 'error_rate');
    assert.equal(result.stages.length, 5);
    assert.equal(result.seed, 3);
  });

  it('prints the verdict, the stage timeline and a chart per metric in 80 columns', () => {
    const r = run('--tier', 'HIGH', '--scenario', 'db-errors', '--start', '2026-03-10T10:00:00Z');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^Rolled back at Canary 5 %, .* database errors .* > 50 \/min critical → Level 1$/);
    assert.match(r.stdout, /3 Canary .* ROLLED BACK/);
    assert.match(r.stdout, /4 Partial .* not reached/);
    for (const label of ['Error rate (%)', 'Latency p95 (ms)', 'Success rate (%)', 'Database errors (/min)', 'Security alerts (count)']) assert.ok(lines.includes(label), label);
    assert.match(r.stdout, /C 50 \/min/);
    assert.match(r.stdout, /W 10 \/min/);
    // The verdict is one sentence and may wrap; everything below it fits 80 columns.
    for (const line of lines.slice(1)) assert.ok([...line].length <= 80, `wider than 80 columns: ${line}`);
  });

  it('replays a plan file and reports Monte Carlo runs with --runs', () => {
    const file = path.join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify(gatePlan()));
    const r = run('--plan', file, '--scenario', 'error-spike', '--runs', '2500', '--json');
    assert.equal(r.code, 0, r.stderr);
    const mc = SimulationResultSchema.parse(JSON.parse(r.stdout)).monteCarlo!;
    assert.equal(mc.runs, 2500);
    assert.equal(mc.rolledBack, 1);
    assert.deepEqual(mc.caughtAt.map((c) => [c.stage, c.rolledBack]), [[3, 2500]]);
  });

  it('reports the near-threshold scenarios per stage with their blast radius, as text and as JSON', () => {
    // slow-leak on the HIGH plan: +0.004 % errors per hour on the new version. It never reaches a
    // critical, so nothing rolls back; a few runs are held at Partial (a rise inside a 4-hour step),
    // the rest at the Full rollout's 75 % step, 408 traffic-minutes in (5 % × 8 h + … + 75 % × 4 h).
    const text = run('--tier', 'HIGH', '--scenario', 'slow-leak', '--runs', '300');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /promoted 0\.0 % · rolled back 0\.0 % · halted 100\.0 %/);
    assert.match(text.stdout, /caught at 5 Full rollout: 9\d\.\d % \(0 rolled back, \d+ halted\)/);
    assert.match(text.stdout, /blast radius \(user-traffic-minutes\): min \d+ · median 408 · p95 408 · max 408/);
    const json = run('--tier', 'HIGH', '--scenario', 'near-warning', '--runs', '300', '--json');
    assert.equal(json.code, 0, json.stderr);
    const mc = SimulationResultSchema.parse(JSON.parse(json.stdout)).monteCarlo!;
    assert.equal(mc.scenario, 'near-warning');
    const full = mc.caughtAt.find((c) => c.stage === 5);
    assert.ok(full && full.share > 0.95 && full.rolledBack === 0, JSON.stringify(mc.caughtAt));
    assert.equal(mc.blastRadius.median, 408);
  });

  it('adds a fault with --fault: a healthy run with +8 % errors on the new version rolls back', () => {
    const file = path.join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify(gatePlan()));
    const clean = JSON.parse(run('--plan', file, '--scenario', 'healthy', '--json').stdout);
    assert.equal(clean.outcome, 'promoted');
    const hurt = JSON.parse(run('--plan', file, '--scenario', 'healthy', '--fault', 'error_rate=+8', '--json').stdout);
    assert.equal(hurt.outcome, 'rolled_back');
    assert.equal(hurt.rollback.stage, 3);
  });

  /** A wide CSV, one row a minute from 10:00 UTC, healthy unless `error(minute)` says otherwise. */
  function wideCsv(name: string, minutes: number, error: (m: number) => number = () => 0.05, from = 0): string {
    const rows = ['timestamp,error_rate,latency_p95_ms,success_rate,db_errors_per_min,security_alerts'];
    for (let m = from; m < minutes; m++) {
      const t = new Date(Date.UTC(2026, 2, 10, 10, m)).toISOString();
      rows.push(`${t},${error(m)},150,99.95,2,0`);
    }
    const file = path.join(dir, name);
    writeFileSync(file, rows.join('\n') + '\n');
    return file;
  }

  it('replays a recorded trace with --trace: the rollback minute is the bad row’s', () => {
    const plan = path.join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify(gatePlan()));
    const csv = wideCsv('spike.csv', 300, (m) => (m >= 134 ? 0.61 : 0.05));
    const r = run('--plan', plan, '--trace', csv, '--json');
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.deepEqual(result.rollback, { stage: 3, minute: 134, metric: 'error_rate', value: 0.61, threshold: 0.5, level: 1 });
    assert.match(result.source, /spike\.csv/);
  });

  it('refuses a trace shorter than the plan with exit 2, saying what it does not cover', () => {
    const plan = path.join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify(gatePlan()));
    expectBadInput(['--plan', plan, '--trace', wideCsv('short.csv', 250)], /short\.csv: the trace covers 4 h 10 min of the 5 h 0 min the plan needs: Full rollout \(minutes 240–300\) is not covered after minute 250 \(expected a trace at least as long as the plan/);
    // A short recording in which the rollout rolls back has answered the question: no error.
    const r = run('--plan', plan, '--trace', wideCsv('short-spike.csv', 150, (m) => (m >= 134 ? 0.61 : 0.05)), '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).outcome, 'rolled_back');
  });

  it('aligns minute 0 of a recording with --start, and injects --fault weighted by traffic', () => {
    const plan = path.join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify(gatePlan()));
    // An hour of history before 10:00, then a healthy service.
    const csv = wideCsv('healthy.csv', 300, undefined, -60);
    const clean = JSON.parse(run('--plan', plan, '--trace', csv, '--start', '2026-03-10T10:00:00Z', '--json').stdout);
    assert.equal(clean.outcome, 'promoted', clean.verdict);
    assert.equal(clean.series.find((s: { metric: string }) => s.metric === 'error_rate').points[0][0], -60);
    const hurt = JSON.parse(run('--plan', plan, '--trace', csv, '--start', '2026-03-10T10:00:00Z', '--fault', 'error_rate=+8', '--json').stdout);
    assert.equal(hurt.outcome, 'rolled_back');
    assert.equal(hurt.rollback.minute, 60, 'the first canary minute: 0.05 + 8 × 10 %');
    assert.ok(Math.abs(hurt.rollback.value - 0.85) < 1e-9);
  });

  describe('rejects bad input with exit 2 and one line naming the flag, file or field', () => {
    // One process per input, each its own case: a bad input is a fresh `rollout-lens` start.
    const cases: [string, () => string[], RegExp][] = [
      ['an unknown scenario', () => ['--tier', 'HIGH', '--scenario', 'healty'], /unknown scenario "healty" \(expected one of healthy, error-spike, latency-regression, slow-degradation, db-errors, security-alert, no-data, near-warning, slow-leak\)/],
      ['no scenario and no trace', () => ['--tier', 'HIGH'], /--scenario NAME or --trace/],
      ['both a scenario and a trace', () => ['--tier', 'HIGH', '--scenario', 'healthy', '--trace', 'x.csv'], /--scenario and --trace cannot be used together/],
      ['a missing trace file', () => ['--tier', 'HIGH', '--trace', path.join(dir, 'nope.csv')], /nope\.csv/],
      ['--runs 0', () => ['--tier', 'HIGH', '--scenario', 'healthy', '--runs', '0'], /--runs: expected a whole number/],
      ['a fault without a sign', () => ['--tier', 'HIGH', '--scenario', 'healthy', '--fault', 'error_rate=lots'], /--fault: "error_rate=lots": expected METRIC=\+DELTA/],
      ['a missing plan file', () => ['--plan', path.join(dir, 'missing.json'), '--scenario', 'healthy'], /missing\.json: cannot read the plan file \(ENOENT\)/],
      [
        'a plan with a field out of range',
        () => {
          const bad = path.join(dir, 'range-plan.json');
          const plan = gatePlan() as unknown as { stages: { steps: { trafficPercent: number }[] }[] };
          plan.stages[2].steps[0].trafficPercent = 140;
          writeFileSync(bad, JSON.stringify(plan));
          return ['--plan', bad, '--scenario', 'healthy'];
        },
        /range-plan\.json: field "stages\.2\.steps\.0\.trafficPercent"/,
      ],
      [
        'a plan that is not JSON',
        () => {
          const bad = path.join(dir, 'broken-plan.json');
          writeFileSync(bad, '{ "tier": ');
          return ['--plan', bad, '--scenario', 'healthy'];
        },
        /broken-plan\.json(:\d+)?: not valid JSON/,
      ],
    ];
    for (const [what, args, mentions] of cases) it(what, () => expectBadInput(args(), mentions));
  });

  it('parses faults as deltas, factors and start minutes', () => {
    assert.deepEqual(parseFault('error_rate=+1'), { metric: 'error_rate', delta: 1 });
    assert.deepEqual(parseFault('latency_p95_ms=x1.5@120'), { metric: 'latency_p95_ms', factor: 1.5, fromMinute: 120 });
    assert.deepEqual(parseFault('db_errors_per_min=-0.5'), { metric: 'db_errors_per_min', delta: -0.5 });
    assert.throws(() => parseFault('error_rate=1'), isInputError);
  });
});
