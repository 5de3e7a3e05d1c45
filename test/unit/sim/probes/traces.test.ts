/**
 * Hostile recorded traces at the edges of how values are read and shown: infinities, re-sent samples,
 * series no gate reads, values beside thresholds, unit mistakes, CloudWatch exports with several results
 * or pages. Each case states the answer and, beside it, why (the seed's thresholds; how Argo Rollouts,
 * Flagger and Kayenta treat the same measurement).
 *
 * Plan of every replay (gatePlan): Integration 0 % minutes 0–60, Canary 10 % 60–180, Partial 50 %
 * 180–240, Full rollout 100 % 240–300, every gate on every stage.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { simulateTrace } from '../../../../src/core/sim';
import { formatAgainst, formatValue } from '../../../../src/core/sim/format';
import { loadTrace, parseTraceText } from '../../../../src/core/sim/traces';
import { isInputError } from '../../../../src/core/errors';
import * as engine from '../../../../src/core/pipeline';
import { buildCli, type CliUnderTest } from '../../../fixtures/cli';
import { gatePlan, mediumPlan } from '../plans';
import { T0 } from '../hand-traces';
import { inputError, scratch } from '../traces.helpers';

const METRICS = ['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts'] as const;
type Metric = (typeof METRICS)[number];
const HEALTHY: Record<Metric, number> = { error_rate: 0.05, latency_p95_ms: 150, success_rate: 99.95, db_errors_per_min: 2, security_alerts: 0 };

/** A cell per minute: a number, a spelling such as "+Inf", several cells (re-sent samples, in file order), or undefined for none. */
type Cell = number | string | (number | string)[] | undefined;
type Overrides = Partial<Record<Metric, (minute: number) => Cell>>;

/** A long CSV (timestamp,metric,value) with a reading of every metric every minute of [0, minutes). */
function longCsv(minutes: number, overrides: Overrides = {}, metrics: readonly Metric[] = METRICS): string {
  const lines = ['timestamp,metric,value'];
  for (let m = 0; m < minutes; m++) {
    const t = (T0 + m * 60000) / 1000;
    for (const metric of metrics) {
      const cell = overrides[metric] ? overrides[metric](m) : HEALTHY[metric];
      if (cell === undefined) continue;
      for (const v of Array.isArray(cell) ? cell : [cell]) lines.push(`${t},${metric},${v}`);
    }
  }
  return lines.join('\n') + '\n';
}

const opts = { alignAt: T0 };
const replay = (csv: string) => simulateTrace(gatePlan(), parseTraceText(csv, 'probe.csv'), opts);
const inside = (from: number, to: number, bad: Cell, healthy: Cell) => (m: number) => (m >= from && m < to ? bad : healthy);

describe('probes: recorded traces and how values are shown', function () {
  let cli: CliUnderTest;
  const files = scratch();
  const plan = () => {
    const f = path.join(files.dir, 'plan.json');
    writeFileSync(f, JSON.stringify(gatePlan()));
    return f;
  };

  before(async () => {
    cli = await buildCli('simulate', 'UTC');
  });
  after(() => {
    cli.cleanup();
    files.cleanup();
  });

  describe('±Inf is a reading beyond every threshold; NaN stays "no reading"', () => {
    it('p95 +Inf for 20 canary minutes rolls back at the tenth (Argo/Flagger: a result past the threshold is a failure; +Inf > 500 ms)', () => {
      const r = replay(longCsv(300, { latency_p95_ms: inside(100, 120, '+Inf', 150) }));
      assert.equal(r.outcome, 'rolled_back');
      assert.equal(r.rollback?.metric, 'latency_p95_ms');
      assert.equal(r.rollback?.minute, 109);
      assert.equal(r.rollback?.value, Infinity);
    });

    it('one p95 of +Inf is a critical alert that holds the canary, never "every gate stayed green" (a brief critical holds)', () => {
      const r = replay(longCsv(300, { latency_p95_ms: (m) => (m === 150 ? '+Inf' : 150) }));
      assert.notEqual(r.outcome, 'promoted');
      assert.deepEqual(r.alerts.map((a) => [a.minute, a.metric, a.severity]), [[150, 'latency_p95_ms', 'critical']]);
    });

    it('success rate -Inf at minute 70 rolls back at once (below every threshold: -Inf < 99.5 %)', () => {
      const r = replay(longCsv(300, { success_rate: (m) => (m === 70 ? '-Infinity' : 99.95) }));
      assert.equal(r.rollback?.metric, 'success_rate');
      assert.equal(r.rollback?.minute, 70);
    });

    it('one +Inf p95 in the canary fails "latency within 10 % of baseline" (an infinite mean is beyond any tolerance; noise cannot explain it)', () => {
      const r = simulateTrace(mediumPlan(), parseTraceText(longCsv(1900, { latency_p95_ms: (m) => (m === 100 ? '+Inf' : 150) }), 'probe.csv'), opts);
      const c = r.stages[2].criteria.find((x) => x.id === 'latency-within-baseline');
      assert.equal(c?.status, 'failed');
      assert.match(c?.detail ?? '', /averaged \+Inf ms/);
    });

    it('the verdict reads "+Inf ms > 500 ms", never Infinity or NaN', () => {
      const r = replay(longCsv(300, { latency_p95_ms: inside(100, 120, 'inf', 150) }));
      assert.match(r.verdict, /latency p95 \+Inf ms > 500 ms critical/);
      assert.doesNotMatch(JSON.stringify(r.alerts) + r.verdict, /Infinity|NaN/);
    });

    it('the data issue says the infinity was read, not dropped (histogram_quantile above the top bucket is the worst latency)', () => {
      const t = parseTraceText(longCsv(10, { latency_p95_ms: (m) => (m === 3 ? '+Inf' : 150) }), 'probe.csv');
      assert.equal(t.series.get('latency_p95_ms')!.values.length, 10);
      const issue = t.issues.find((i) => i.kind === 'infinite');
      assert.match(issue?.message ?? '', /1 infinite value, read as beyond every threshold/);
    });

    it('a Prometheus matrix with "+Inf" keeps the sample (Prometheus writes histogram_quantile overflow so)', async () => {
      const values = Array.from({ length: 10 }, (_, k) => [T0 / 1000 + k * 60, k === 4 ? '+Inf' : '150']);
      const f = files.write('inf-prom.json', JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'latency_p95_ms' }, values }] } }));
      const t = await loadTrace([f]);
      assert.equal(t.series.get('latency_p95_ms')!.values[4], Infinity);
    });

    it('formatValue writes +Inf and -Inf with the unit, and "no reading" for NaN', () => {
      assert.equal(formatValue(Infinity, 'ms'), '+Inf ms');
      assert.equal(formatValue(-Infinity, '%'), '-Inf %');
      assert.equal(formatValue(NaN, 'ms'), 'no reading');
    });

    it('simulate --json stays valid JSON and writes the infinite reading as "+Inf" (as Prometheus does), not null', () => {
      const trace = files.write('inf.csv', longCsv(300, { latency_p95_ms: inside(100, 120, '+Inf', 150) }));
      const r = cli.run('--plan', plan(), '--trace', trace, '--json');
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.rollback.value, '+Inf');
      assert.equal(out.alerts[0].value, '+Inf');
      const latency = out.series.find((s: { metric: string }) => s.metric === 'latency_p95_ms');
      assert.ok(latency.points.some(([, v]: [number, unknown]) => v === '+Inf'));
    });

    it('the text output prints +Inf in the verdict and the chart, no NaN, no Infinity', () => {
      const trace = files.write('inf-text.csv', longCsv(300, { latency_p95_ms: inside(100, 120, '+Inf', 150) }));
      const r = cli.run('--plan', plan(), '--trace', trace);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.split('\n')[0], /\+Inf ms > 500 ms/);
      assert.match(r.stdout, /max \+Inf ms/);
      assert.doesNotMatch(r.stdout, /NaN|Infinity/);
    });
  });

  describe('duplicate timestamps keep the worse reading', () => {
    it('error rate 0.9 % then a re-sent 0.05 % at minute 100 rolls back at 100 (the critical was measured; a re-send cannot erase it)', () => {
      const r = replay(longCsv(300, { error_rate: (m) => (m === 100 ? [0.9, 0.05] : 0.05) }));
      assert.equal(r.rollback?.metric, 'error_rate');
      assert.equal(r.rollback?.minute, 100);
    });

    it('success rate 99.0 % then 99.95 % at minute 200 rolls back (lower is worse for success rate: 99.0 < 99.5)', () => {
      const r = replay(longCsv(300, { success_rate: (m) => (m === 200 ? [99.0, 99.95] : 99.95) }));
      assert.equal(r.rollback?.metric, 'success_rate');
      assert.equal(r.rollback?.minute, 200);
    });

    it('p95 620 ms re-sent as 150 ms every minute from 100 to 119 rolls back at 109 (ten critical minutes in a row)', () => {
      const r = replay(longCsv(300, { latency_p95_ms: inside(100, 120, [620, 150], 150) }));
      assert.equal(r.rollback?.metric, 'latency_p95_ms');
      assert.equal(r.rollback?.minute, 109);
    });

    it('database errors 60/min then 3/min, written out of time order, still roll back at minute 250', () => {
      const csv = longCsv(300) + `${(T0 + 250 * 60000) / 1000},db_errors_per_min,60\n${(T0 + 250 * 60000) / 1000},db_errors_per_min,3\n`;
      // The rows at minute 250 come after minute 299's: sorted, the two readings of minute 250 are (2, 60, 3).
      const r = replay(csv);
      assert.equal(r.rollback?.metric, 'db_errors_per_min');
      assert.equal(r.rollback?.minute, 250);
    });

    it('a security alert (1) then a re-sent 0 at minute 61 rolls back with an incident (any alert is critical)', () => {
      const r = replay(longCsv(300, { security_alerts: (m) => (m === 61 ? [1, 0] : 0) }));
      assert.equal(r.rollback?.metric, 'security_alerts');
      assert.equal(r.incidents.length, 1);
    });

    it('a custom metric gated from below keeps the lower of two readings (throughput 5 then a re-sent 100: 5 is the bad one)', async () => {
      const f = files.write('throughput.csv', `timestamp,value\n${T0 / 1000},100\n${T0 / 1000 + 60},5\n${T0 / 1000 + 60},100\n${T0 / 1000 + 120},100\n`);
      const t = await loadTrace([`throughput_rps=${f}`], { worseBelow: ['throughput_rps'] });
      assert.deepEqual([...t.series.get('throughput_rps')!.values], [100, 5, 100]);
    });

    it('the data issue counts them and says the worse was kept', () => {
      const t = parseTraceText(longCsv(10, { error_rate: (m) => (m === 3 || m === 5 ? [0.9, 0.05] : 0.05) }), 'probe.csv');
      const issue = t.issues.find((i) => i.metric === 'error_rate' && i.kind === 'duplicate')!;
      assert.equal(issue.count, 2);
      assert.match(issue.message, /2 duplicate timestamps \(kept the worse reading of each\)/);
      assert.deepEqual([...t.series.get('error_rate')!.values].slice(3, 6), [0.9, 0.05, 0.9]);
    });
  });

  describe('a series named METRIC=FILE that no gate reads is bad input', () => {
    it('eror_rate=FILE (misspelt) exits 2 naming it and the gates the plan has, instead of "every gate stayed green"', () => {
      const all = files.write('all.csv', longCsv(300));
      const typo = files.write('typo.csv', longCsv(300, {}, ['error_rate']).replace(/,error_rate,/g, ',eror_rate,'));
      cli.expectBadInput(['--plan', plan(), '--trace', all, '--trace', `eror_rate=${typo}`], /eror_rate.*no gate of the plan reads eror_rate \(the plan's gates read error_rate, latency_p95_ms, success_rate, db_errors_per_min, security_alerts/);
    });

    it('checkout_errors=FILE with a policy that has no such gate exits 2 (a custom metric nobody gates decides nothing)', () => {
      const all = files.write('all2.csv', longCsv(300));
      const custom = files.write('custom.csv', 'timestamp,value\n' + Array.from({ length: 300 }, (_, m) => `${(T0 + m * 60000) / 1000},1`).join('\n') + '\n');
      cli.expectBadInput(['--tier', 'MEDIUM', '--start', '2026-03-10T10:00:00Z', '--trace', all, '--trace', `checkout_errors=${custom}`], /no gate of the plan reads checkout_errors/);
    });
  });

  describe('a value beside its threshold has the digits to differ from it', () => {
    it('p95 300.4 ms warns as "300.4 ms > 300 ms", not "300 ms > 300 ms"', () => {
      const r = replay(longCsv(300, { latency_p95_ms: (m) => (m === 70 ? 300.4 : 150) }));
      assert.equal(r.alerts[0]?.message, 'Latency p95 300.4 ms > 300 ms warning');
    });

    it('error rate 0.501 % rolls back as "0.501 % > 0.5 %"', () => {
      const r = replay(longCsv(300, { error_rate: (m) => (m === 134 ? 0.501 : 0.05) }));
      assert.match(r.verdict, /error rate 0\.501 % > 0\.5 % critical/);
      assert.match(r.stages[2].reason ?? '', /0\.501 % > 0\.5 %/);
    });

    it('database errors 50.04/min roll back as "50.04 /min > 50 /min"', () => {
      const r = replay(longCsv(300, { db_errors_per_min: (m) => (m === 250 ? 50.04 : 2) }));
      assert.match(r.verdict, /50\.04 \/min > 50 \/min/);
    });

    it('success rate 99.499 % rolls back as "99.499 % < 99.5 %"', () => {
      const r = replay(longCsv(300, { success_rate: (m) => (m === 200 ? 99.499 : 99.95) }));
      assert.match(r.verdict, /99\.499 % < 99\.5 %/);
    });

    it('a held warning names 0.2001 % against 0.2 % (the hold reason of the stage)', () => {
      // Three readings over the warning in the canary step: the default warning limit holds it.
      const r = replay(longCsv(300, { error_rate: (m) => ([70, 75, 80].includes(m) ? 0.2001 : 0.05) }));
      assert.match(r.stages[2].reason ?? '', /0\.2001 % > 0\.2 % warning/);
    });

    it('formatAgainst keeps equal numbers short and tells 500.0000001 from 500', () => {
      assert.deepEqual(formatAgainst(620, 500, 'ms'), ['620 ms', '500 ms']);
      assert.deepEqual(formatAgainst(500.0000001, 500, 'ms'), ['500.0000001 ms', '500 ms']);
      assert.deepEqual(formatAgainst(Infinity, 500, 'ms'), ['+Inf ms', '500 ms']);
    });
  });

  describe('values in another unit than the gate reads', () => {
    it('success rate as ratios (0.9995) exits 2 saying to multiply by 100, not "rolled back at minute 0" (no service succeeds on < 1 % of requests for a whole recording)', () => {
      const f = files.write('ratio.csv', longCsv(300, { success_rate: () => 0.9995 }));
      cli.expectBadInput(['--plan', plan(), '--trace', f], /success_rate: every reading is at most 1 \(highest 0\.9995\).*multiply them by 100/);
    });

    it('the editor refuses the same ratio trace as the CLI, in the same words (one check for both surfaces)', async () => {
      const f = files.write('ratio-editor.csv', longCsv(300, { success_rate: () => 0.9995 }));
      const loaded = await engine.loadTraceFile(f, gatePlan());
      const err = await engine.simulate(gatePlan(), { kind: 'trace', trace: loaded.trace, alignAt: loaded.alignAt }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isInputError(err), `expected bad input, got ${String(err)}`);
      assert.match(err.message, /success_rate: every reading is at most 1 \(highest 0\.9995\).*multiply them by 100/);
    });

    it('error and success rates both as ratios exit 2 naming both (the error rate alone could be a healthy 0.05 %; beside a ratio success rate it is a ratio)', () => {
      const f = files.write('ratios.csv', longCsv(300, { success_rate: () => 0.9995, error_rate: () => 0.0005 }));
      cli.expectBadInput(['--plan', plan(), '--trace', f], /success_rate: every reading.*; .*error_rate: every reading is at most 1/);
    });

    it('p95 in seconds (0.15) is reported as a likely unit mistake in dataIssues (a 150 ms service passes every gate in seconds)', () => {
      const f = files.write('seconds.csv', longCsv(300, { latency_p95_ms: () => 0.15 }));
      const r = cli.run('--plan', plan(), '--trace', f, '--json');
      assert.equal(r.code, 0, r.stderr);
      const issue = JSON.parse(r.stdout).dataIssues.find((d: { kind: string }) => d.kind === 'unit');
      assert.match(issue?.message ?? '', /latency_p95_ms: every reading is below 10 ms \(highest 0\.15\): if these are seconds, multiply them by 1000/);
    });
  });

  describe('CloudWatch exports with several results or several pages', () => {
    const stamps = (from: number, n: number) => Array.from({ length: n }, (_, k) => new Date(T0 + (from + k) * 60000).toISOString());
    const result = (Id: string, from: number, n: number, value: number, Label?: string) => ({ Id, ...(Label ? { Label } : {}), Timestamps: stamps(from, n), Values: Array(n).fill(value), StatusCode: 'Complete' });

    it('error_rate=FILE#m1 takes the result with Id m1 of several (queries named m1, m2 by the console)', async () => {
      const f = files.write('multi.json', JSON.stringify({ MetricDataResults: [result('m1', 0, 5, 0.1, '5xx share'), result('m2', 0, 5, 120)] }));
      const t = await loadTrace([`error_rate=${f}#m1`]);
      assert.deepEqual([...t.series.get('error_rate')!.values], [0.1, 0.1, 0.1, 0.1, 0.1]);
    });

    it('latency_p95_ms=FILE#LABEL takes the result by its Label', async () => {
      const f = files.write('multi-label.json', JSON.stringify({ MetricDataResults: [result('m1', 0, 5, 0.1, '5xx share'), result('m2', 0, 5, 120, 'p95 latency')] }));
      const t = await loadTrace([`latency_p95_ms=${f}#p95 latency`]);
      assert.deepEqual([...t.series.get('latency_p95_ms')!.values], [120, 120, 120, 120, 120]);
    });

    it('#m3 that is not there is bad input naming the Ids and Labels there are', async () => {
      const f = files.write('multi-missing.json', JSON.stringify({ MetricDataResults: [result('m1', 0, 5, 0.1, '5xx share'), result('m2', 0, 5, 120)] }));
      const e = await inputError(() => loadTrace([`error_rate=${f}#m3`]));
      assert.match(e.message, /no result with Id or Label "m3" \(the file has m1 \("5xx share"\), m2/);
    });

    it('an array of GetMetricData responses (pages saved by following NextToken) is one series per Id', async () => {
      const f = files.write('pages.json', JSON.stringify([{ MetricDataResults: [result('error_rate', 0, 5, 0.1)], NextToken: 't1' }, { MetricDataResults: [result('error_rate', 5, 5, 0.2)] }]));
      const t = await loadTrace([f]);
      const s = t.series.get('error_rate')!;
      assert.equal(s.times.length, 10);
      assert.deepEqual([...s.values], [0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2, 0.2]);
    });

    it('the AWS CLI\'s joined pages (an Id once per page in one MetricDataResults) are one series, not "a second result"', async () => {
      const f = files.write('cli-pages.json', JSON.stringify({ MetricDataResults: [result('error_rate', 5, 5, 0.2), result('latency_p95_ms', 0, 10, 150), result('error_rate', 0, 5, 0.1)] }));
      const t = await loadTrace([f]);
      assert.equal(t.series.get('error_rate')!.times.length, 10);
    });

    it('responses written one after the other in one file are read as pages', async () => {
      const pages = [{ MetricDataResults: [result('error_rate', 0, 5, 0.1)], NextToken: 't1' }, { MetricDataResults: [result('error_rate', 5, 5, 0.2)] }];
      const f = files.write('appended.json', pages.map((p) => JSON.stringify(p, null, 1)).join('\n'));
      const t = await loadTrace([f]);
      assert.equal(t.series.get('error_rate')!.times.length, 10);
    });

    it('an export whose last page still has a NextToken says the later pages are missing, for every result', async () => {
      const f = files.write('unfinished.json', JSON.stringify({ MetricDataResults: [result('error_rate', 0, 5, 0.1), result('latency_p95_ms', 0, 5, 150)], NextToken: 'more' }));
      const t = await loadTrace([f]);
      assert.deepEqual(t.issues.filter((i) => i.kind === 'partial').map((i) => i.metric), ['error_rate', 'latency_p95_ms']);
    });
  });
});
