/**
 * Hostile inputs to the simulator, the plan's schema, the CLI's flags and the printers: waits that
 * would allocate gigabytes, plans that watch nothing, file names that repaint a terminal or inject
 * Markdown, traces of any size, and flags given in ways a parser can misread.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { formatAssessment } from '../../../src/cli/commands/analyze';
import { isInputError } from '../../../src/core/errors';
import { buildPlan, formatPlan, planToMarkdown } from '../../../src/core/plan';
import type { RolloutPlan } from '../../../src/core/plan/schema';
import { simulateTrace } from '../../../src/core/sim';
import { seriesResolution, uncoveredByTrace } from '../../../src/core/sim/coverage';
import { runEngine } from '../../../src/core/sim/engine';
import { gridFromTrace, gridReadings, gridSource, sparseGridFromTrace } from '../../../src/core/sim/replay';
import { buildResult } from '../../../src/core/sim/result';
import { SimulationResultSchema, type SimulationResult } from '../../../src/core/sim/schema';
import { createSetup, withResolution } from '../../../src/core/sim/setup';
import { formatSimulation } from '../../../src/core/sim/text';
import type { Trace } from '../../../src/core/sim/trace';
import { parseTraceText } from '../../../src/core/sim/traces';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import { assessment, file, policy } from '../plan/helpers';
import { gatePlan, planOf } from '../sim/plans';

const START = '2026-03-10T10:00:00Z';
const ALL_OFF = { gates: Object.fromEntries(['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts'].map((m) => [m, { enabled: false }])) };
/** What must never reach a terminal from data: ESC, CR, LF and the other controls. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** A wide CSV trace from `START`, one row a minute, every metric healthy except what `over` sets. */
function csvTrace(minutes: number, over: Partial<Record<string, number>> = {}): string {
  const base = { error_rate: 0.05, latency_p95_ms: 150, success_rate: 99.9, db_errors_per_min: 1, security_alerts: 0, ...over };
  const names = Object.keys(base);
  const t0 = Date.parse(START) / 1000;
  const rows = [`timestamp,${names.join(',')}`];
  for (let m = 0; m < minutes; m++) rows.push(`${t0 + m * 60},${names.map((n) => base[n as keyof typeof base]).join(',')}`);
  return rows.join('\n') + '\n';
}

describe('hostile inputs: simulator bounds, the CLI and the printers', function () {
  this.timeout(120_000);
  let cli: CliUnderTest;
  let dir: string;
  const simulate = (...args: string[]) => cli.run(...args);
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  /** Another subcommand of the same bundle. */
  const command = (name: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), name, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const json = (r: { code: number | null; stdout: string; stderr: string }): SimulationResult => {
    assert.equal(r.code, 0, r.stderr);
    return SimulationResultSchema.parse(JSON.parse(r.stdout));
  };

  before(async () => {
    cli = await buildCli('simulate', 'UTC');
    dir = cli.dir;
  });
  after(() => cli.cleanup());

  describe('waits are bounded', () => {
    it('refuses a policy step of 300,000 h, naming the field and the limit', () => {
      const config = write('long-wait.json', JSON.stringify({ rollout: { HIGH: { steps: [{ trafficPercent: 10, waitHours: { min: 300000, max: 300000 } }] } } }));
      const r = command('plan', '--tier', 'HIGH', '--config', config, '--json');
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /long-wait\.json: field "rollout\.HIGH\.steps\.0\.waitHours\.min": expected at most 720 h \(30 days\) per step/);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    });

    it('refuses policy steps that add up to more than 90 days', () => {
      const step = (trafficPercent: number) => ({ trafficPercent, waitHours: { min: 700, max: 700 } });
      const config = write('long-rollout.json', JSON.stringify({ rollout: { HIGH: { steps: [step(10), step(25), step(50), step(100)] } } }));
      cli.expectBadInput(['--tier', 'HIGH', '--config', config, '--scenario', 'healthy'], /long-rollout\.json: field "rollout\.HIGH\.steps": expected .* at most 2160 h \(90 days\) in all/);
    });

    it('refuses a plan file whose step waits more than 720 h', () => {
      const plan = gatePlan();
      plan.stages[4].steps[0].waitHours = { min: 5000, max: 5000 };
      const f = write('long-plan.json', JSON.stringify(plan));
      cli.expectBadInput(['--plan', f, '--scenario', 'healthy'], /long-plan\.json: field "stages\.4\.steps\.0\.waitHours\.min": expected at most 720 h \(30 days\) per step/);
    });

    it('refuses a plan file with a wait whose min is above its max, naming the field', () => {
      const plan = gatePlan();
      plan.stages[2].steps[0].waitHours = { min: 4, max: 2 };
      const f = write('min-max.json', JSON.stringify(plan));
      cli.expectBadInput(['--plan', f, '--scenario', 'healthy'], /min-max\.json: field "stages\.2\.steps\.0\.waitHours\.max": expected max to be at least min/);
    });
  });

  describe('a plan that watches nothing never promotes', () => {
    it('every gate disabled: a trace at 99 % errors halts and says which gates to turn on', () => {
      const config = write('all-off.json', JSON.stringify(ALL_OFF));
      const trace = write('errors-99.csv', csvTrace(32 * 60, { error_rate: 99, success_rate: 1 }));
      const r = json(simulate('--tier', 'MEDIUM', '--config', config, '--trace', trace, '--json'));
      assert.equal(r.outcome, 'halted');
      assert.match(r.verdict, /^Halted at .*: the plan watches nothing: .* turn a gate on/);
      assert.ok(!r.stages.some((s) => s.decision === 'promoted' && s.steps.some((x) => x.trafficPercent > 0)), 'no stage with users promotes');
    });

    it('every gate disabled: a security alert halts in text too, never "every gate stayed green"', () => {
      const config = write('all-off.json', JSON.stringify(ALL_OFF));
      const r = simulate('--tier', 'HIGH', '--config', config, '--scenario', 'security-alert');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.split('\n')[0], /^Halted at /);
      assert.doesNotMatch(r.stdout, /every gate stayed green|Promoted/);
    });

    it('a 100 % step of 0 h halts where users would be exposed unobserved', () => {
      const config = write('zero-wait.json', JSON.stringify({ rollout: { MEDIUM: { steps: [{ trafficPercent: 100, waitHours: { min: 0, max: 0 } }] } } }));
      const r = json(simulate('--tier', 'MEDIUM', '--config', config, '--scenario', 'security-alert', '--json'));
      assert.equal(r.outcome, 'halted');
      assert.match(r.verdict, /100 % waits 0 h: .* give the step a wait above 0 h/);
    });

    it('a ZERO plan (deploy at once, no gates) halts: the simulation cannot judge it', () => {
      const r = json(simulate('--tier', 'ZERO', '--scenario', 'security-alert', '--json'));
      assert.equal(r.outcome, 'halted');
      assert.match(r.verdict, /watches nothing.*higher tier/);
    });

    it('a plan file without gates halts, with Monte Carlo too', () => {
      const f = write('no-gates.json', JSON.stringify(gatePlan([])));
      const r = json(simulate('--plan', f, '--scenario', 'error-spike', '--runs', '50', '--json'));
      assert.equal(r.outcome, 'halted');
      assert.equal(r.monteCarlo!.promoted, 0);
      assert.equal(r.monteCarlo!.halted, 1);
    });

    it('a plan file without steps is unusable: exit 2 naming "stages"', () => {
      const plan = gatePlan();
      for (const s of plan.stages) s.steps = [];
      const f = write('no-steps.json', JSON.stringify(plan));
      cli.expectBadInput(['--plan', f, '--scenario', 'healthy'], /no-steps\.json: field "stages": no required stage has a step/);
    });

    it('a 0-minute step with traffic after an observed canary halts at that step, not promoted', () => {
      const plan = planOf('MEDIUM', [{ steps: [[0, 0]], gates: [] }, { steps: [[0, 1]] }, { steps: [[10, 2]] }, { steps: [[50, 0]] }, { steps: [[100, 1]] }]);
      const t = parseTraceText(csvTrace(5 * 60), 'healthy.csv');
      const r = simulateTrace(plan, t);
      assert.equal(r.outcome, 'halted');
      assert.equal(r.stages[3].decision, 'held');
      assert.match(r.verdict, /^Halted at Partial 50 %, 3 h 0 min in: Partial 50 % waits 0 h/);
    });
  });

  describe('names are escaped for each output', () => {
    const evil = 'db/x\u001b[2K\rDeployment risk: ZERO\n- [x] Tests pass\n<!-- hidden';

    it('analyze table: a path with ESC, CR and LF is shown escaped, on one line', () => {
      const out = formatAssessment(assessment('HIGH', { files: [file(evil, 'HIGH', [{ message: `reads ${evil}` }])] }), 100);
      assert.doesNotMatch(out, RAW_CONTROL);
      assert.ok(out.includes('db/x\\x1b[2K\\rDeployment risk: ZERO\\n- [x] Tests pass\\n<!-- hidden'), out);
      assert.equal(out.split('\n').filter((l) => l.startsWith('Deployment risk:')).length, 1);
    });

    it('plan --markdown: a name cannot tick a checklist line, open a comment or start HTML', () => {
      const plan = buildPlan(assessment('MEDIUM', { files: [file('test/' + evil + '.test.ts', 'MEDIUM', [{ rule: 'test', message: 'changes a test' }])] }), policy(), { start: new Date(START), timezone: 'UTC' });
      plan.flags = [{ name: 'flag`x\n- [x] on', tier: 'LOW', files: [] }];
      const md = planToMarkdown(plan);
      assert.ok(md.includes('Deployment risk: ZERO\\n- \\[x\\] Tests pass\\n\\<!-- hidden'), 'the name is there, escaped');
      const lines = md.split('\n');
      assert.ok(!lines.some((l) => /^\s*- \[x\] (Tests pass|on)/.test(l)), 'no injected ticked line');
      assert.doesNotMatch(md, /(^|[^\\])<!--/, 'no comment opens');
      assert.doesNotMatch(md, RAW_CONTROL);
    });

    it('plan text: policy and path strings never write control characters', () => {
      const plan = buildPlan(assessment('MEDIUM'), policy(), { start: new Date(START), timezone: 'UTC' });
      const hostile: RolloutPlan = { ...plan, monitoring: evil, rollbackWarning: evil, checklist: plan.checklist.map((c) => ({ ...c, state: 'not-done', evidence: evil })) };
      assert.doesNotMatch(formatPlan(hostile), RAW_CONTROL);
    });

    it('simulate text: a trace file name with ESC and CR is shown escaped; --json keeps it exact', () => {
      const name = 'trace\u001b[1A\rPromoted.csv';
      write(name, csvTrace(32 * 60));
      const text = simulate('--tier', 'MEDIUM', '--trace', name);
      assert.equal(text.code, 0, text.stderr);
      assert.doesNotMatch(text.stdout, RAW_CONTROL);
      assert.ok(text.stdout.includes('trace\\x1b[1A\\rPromoted.csv'), text.stdout.slice(0, 300));
      const r = json(simulate('--tier', 'MEDIUM', '--trace', name, '--json'));
      assert.equal(r.source, name);
    });

    it('error lines: a missing file named with a newline and ESC stays one escaped line', () => {
      const r = simulate('--tier', 'MEDIUM', '--trace', 'gone\n\u001b[2Jfake.csv');
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.ok(r.stderr.includes('gone\\n\\x1b[2Jfake.csv'), r.stderr);
      assert.doesNotMatch(r.stderr.trimEnd(), RAW_CONTROL);
    });

    it('the simulation printer escapes data issues and reasons built from file names', () => {
      const t = parseTraceText(csvTrace(32 * 60), 'x\u001b]0;pwned\u0007.csv');
      const out = formatSimulation({ ...simulateTrace(gatePlan(), t), source: t.source });
      assert.doesNotMatch(out, RAW_CONTROL);
    });
  });

  describe('traces of any size', () => {
    it('replays more than 16,777,216 samples of one series without a Set limit', () => {
      const n = 2 ** 24 + 16;
      const t0 = Date.parse(START);
      const times = new Float64Array(n);
      for (let k = 0; k < n; k++) times[k] = t0 + k * 1000;
      const trace: Trace = { source: 'big', series: new Map([['error_rate', { metric: 'error_rate', times, values: new Float64Array(n).fill(0.05) }]]), issues: [] };
      const grid = gridFromTrace(trace, createSetup(gatePlan()));
      assert.ok(!grid.issues.some((i) => i.kind === 'duplicate'));
      assert.ok(!simulateTrace(gatePlan(), trace).dataIssues.some((i) => i.kind === 'duplicate'));
      // One reversed pair: counted as out of order, and a repeated time as a duplicate.
      times[1] = times[0];
      times[2] = t0 - 5000;
      const again = gridFromTrace(trace, createSetup(gatePlan()));
      assert.equal(again.issues.find((i) => i.kind === 'duplicate')?.count, 1);
      assert.equal(again.issues.find((i) => i.kind === 'out-of-order')?.count, 1);
    });

    it('property: a replay kept sparse decides and charts exactly as the minute-by-minute grid does', () => {
      const plan = gatePlan();
      const t0 = Date.parse(START);
      const sample = fc.record({ at: fc.integer({ min: -200 * 60, max: 400 * 60 }), value: fc.double({ min: 0, max: 100, noNaN: true }) });
      fc.assert(
        fc.property(fc.array(sample, { maxLength: 400 }), fc.array(sample, { maxLength: 400 }), fc.integer({ min: 10, max: 400 }), (errors, latency, maxPoints) => {
          const series = (metric: string, xs: { at: number; value: number }[]) => ({ metric, times: Float64Array.from(xs.map((x) => t0 + x.at * 1000)), values: Float64Array.from(xs.map((x) => x.value * (metric === 'latency_p95_ms' ? 10 : 0.01))) });
          const trace: Trace = { source: 'gen', series: new Map([['error_rate', series('error_rate', errors)], ['latency_p95_ms', series('latency_p95_ms', latency)]]), issues: [] };
          const base = createSetup(plan, { extraMetrics: [...trace.series.keys()] });
          // Both paths judge each series at its own resolution.
          const setup = withResolution(base, seriesResolution(sparseGridFromTrace(trace, base, t0).rows));
          const grid = gridFromTrace(trace, setup, t0);
          const run = runEngine(setup, gridSource(grid));
          const dense = buildResult(setup, gridReadings(grid), run, maxPoints, run.outcome === 'halted' ? runEngine(setup, gridSource(grid), true, true) : undefined);
          assert.deepEqual(simulateTrace(plan, trace, { alignAt: t0, maxPoints }), dense);
        }),
        { numRuns: 150 },
      );
    });

    it('a generated file over the row limit exits 2 naming the limit', () => {
      const rows = 200_001;
      const t0 = Date.parse(START) / 1000;
      const lines = ['timestamp,error_rate'];
      for (let k = 0; k < rows; k++) lines.push(`${t0 + k},0.05`);
      const f = write('rows.csv', lines.join('\n') + '\n');
      process.env.ROLLOUT_LENS_MAX_TRACE_ROWS = '200000';
      try {
        cli.expectBadInput(['--tier', 'MEDIUM', '--trace', f], /rows\.csv:200002: more than 200,000 rows \(expected a trace of at most that many; downsample it\)/);
      } finally {
        delete process.env.ROLLOUT_LENS_MAX_TRACE_ROWS;
      }
    });

    /** What `simulate --trace` does after reading the file: replay, then refuse a trace too short to decide. */
    function replayLikeTheCli(plan: RolloutPlan, text: string): 0 | 2 {
      try {
        const trace = parseTraceText(text, 'gen.csv');
        const result = simulateTrace(plan, trace);
        SimulationResultSchema.parse(result);
        return uncoveredByTrace(plan, trace, result) ? 2 : 0;
      } catch (e) {
        if (isInputError(e)) return 2;
        throw e;
      }
    }

    const row = fc.record({
      minute: fc.integer({ min: -3000, max: 6000 }),
      metric: fc.oneof({ arbitrary: fc.constantFrom('error_rate', 'latency_p95_ms', 'success_rate', 'security_alerts'), weight: 9 }, { arbitrary: fc.constant('bogus'), weight: 1 }),
      value: fc.oneof(
        { arbitrary: fc.double({ min: 0, max: 100, noNaN: true }), weight: 8 },
        { arbitrary: fc.double(), weight: 1 },
        { arbitrary: fc.constantFrom('', 'NaN', 'x', '1e309', '-0'), weight: 1 },
      ),
    });

    it('property: any small trace, of any length and shape, replays or is refused as bad input (never another error)', () => {
      const plan = gatePlan();
      const t0 = Date.parse(START) / 1000;
      fc.assert(
        fc.property(fc.array(row, { maxLength: 300 }), fc.boolean(), (rows, header) => {
          const lines = header ? ['timestamp,metric,value'] : [];
          for (const r of rows) lines.push(`${t0 + r.minute * 60},${r.metric},${String(r.value)}`);
          const code = replayLikeTheCli(plan, lines.join('\n'));
          assert.ok(code === 0 || code === 2);
        }),
        { numRuns: 300 },
      );
    });

    it('property, through the CLI: generated traces exit 0 or 2, never 1', () => {
      const t0 = Date.parse(START) / 1000;
      fc.assert(
        fc.property(fc.array(row, { maxLength: 2000 }), fc.integer({ min: 0, max: 3 * 24 * 60 }), (rows, healthyMinutes) => {
          const lines = ['timestamp,metric,value'];
          for (let m = 0; m < healthyMinutes; m++) lines.push(`${t0 + m * 60},error_rate,0.05`);
          for (const r of rows) lines.push(`${t0 + r.minute * 60},${r.metric === 'bogus' ? 'error_rate' : r.metric},${String(r.value)}`);
          const f = write('gen-cli.csv', lines.join('\n') + '\n');
          const r = simulate('--tier', 'MEDIUM', '--trace', f, '--json');
          assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.stderr}`);
          if (r.code === 2) assert.equal(r.stderr.trimEnd().split('\n').length, 1);
        }),
        { numRuns: 6 },
      );
    });
  });

  describe('flags', () => {
    it('--seed -5 is the seed −5', () => {
      const r = json(simulate('--tier', 'MEDIUM', '--scenario', 'healthy', '--seed', '-5', '--json'));
      assert.equal(r.seed, -5);
    });

    it('a value that starts with a dash and is no number says what is expected', () => {
      cli.expectBadInput(['--repo', '-x', '--scenario', 'healthy'], /^rollout-lens: simulate: --repo needs a value, and "-x" reads as a flag \(expected --repo VALUE, or --repo=-x for a value that starts with -\)$/);
    });

    it('a value flag given twice is refused, naming it', () => {
      cli.expectBadInput(['--tier', 'HIGH', '--tier', 'LOW', '--scenario', 'healthy'], /^rollout-lens: simulate: --tier given twice \("HIGH" and "LOW"; expected it once\)$/);
      const r = command('plan', '--tier', 'HIGH', '--tier=LOW');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--tier given twice/);
    });

    it('a --fault after the plan\'s end is refused, naming the minute and the plan\'s length', () => {
      cli.expectBadInput(['--tier', 'MEDIUM', '--scenario', 'healthy', '--fault', 'error_rate=+1@99999'], /--fault "error_rate=\+1@99999": minute 99999 is after the plan's end \(the plan lasts 1860 minutes \(31 h 0 min\); expected @MINUTE from 0 to 1859\)/);
    });

    for (const name of ['analyze', 'plan', 'simulate', 'demo']) {
      it(`${name} --help prints its usage on stdout and exits 0`, () => {
        const r = command(name, '--help');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^Usage:\\n  rollout-lens ${name} `));
        assert.equal(r.stderr, '');
      });
    }
  });
});
