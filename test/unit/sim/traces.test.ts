import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { buildPlan } from '../../../src/core/plan';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { simulateTrace } from '../../../src/core/sim';
import { loadTrace, parseTraceText } from '../../../src/core/sim/traces';
import { FIXTURES, NAB, scratch, strictlyAscending } from './traces.helpers';

const fixture = (name: string) => path.join(FIXTURES, name);

/** A deliberately naive reading of a clean long-form CSV, to compare the streamed parser against. */
function naiveLong(file: string): Map<string, { t: number; v: number }[]> {
  const out = new Map<string, { t: number; v: number }[]>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const [t, m, v] = line.split(',');
    if (!out.has(m)) out.set(m, []);
    out.get(m)!.push({ t: Date.parse(t), v: Number(v) });
  }
  return out;
}

describe('recorded traces: formats', () => {
  for (const name of ['healthy-long.csv', 'failing-long.csv']) {
    it(`reads ${name} sample for sample as a plain split of its lines does`, async () => {
      const trace = await loadTrace([fixture(name)]);
      const expected = naiveLong(fixture(name));
      assert.deepEqual([...trace.series.keys()].sort(), [...expected.keys()].sort());
      for (const [metric, rows] of expected) {
        const s = trace.series.get(metric)!;
        assert.deepEqual([...s.times], rows.map((r) => r.t));
        assert.deepEqual([...s.values], rows.map((r) => r.v));
      }
      assert.deepEqual(trace.issues, [], 'a clean fixture reports no data issues');
      assert.equal(trace.source, fixture(name));
    });
  }

  it('the failing fixture crosses the 0.5% error-rate gate and the healthy one never does', async () => {
    const healthy = (await loadTrace([fixture('healthy-long.csv')])).series.get('error_rate')!;
    const failing = (await loadTrace([fixture('failing-long.csv')])).series.get('error_rate')!;
    assert.ok(Math.max(...healthy.values) < 0.2);
    assert.ok(Math.max(...failing.values) > 0.5);
  });

  it('reads a wide CSV as one series per column, times as UTC', async () => {
    const trace = await loadTrace([fixture('wide.csv')]);
    assert.deepEqual([...trace.series.keys()], ['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts']);
    const lines = readFileSync(fixture('wide.csv'), 'utf8').trim().split('\n');
    const [t0, ...cells] = lines[1].split(',');
    for (const s of trace.series.values()) assert.equal(s.times.length, lines.length - 1);
    assert.equal(trace.series.get('error_rate')!.times[0], Date.parse(`${t0.replace(' ', 'T')}Z`));
    assert.equal(trace.series.get('latency_p95_ms')!.values[0], Number(cells[1]));
  });

  it('METRIC=FILE on a wide CSV takes that column only', async () => {
    const trace = await loadTrace([`db_errors_per_min=${fixture('wide.csv')}`]);
    assert.deepEqual([...trace.series.keys()], ['db_errors_per_min']);
  });

  it('METRIC=FILE on a long CSV takes that metric’s rows only', async () => {
    const trace = await loadTrace([`latency_p95_ms=${fixture('failing-long.csv')}`]);
    assert.deepEqual([...trace.series.keys()], ['latency_p95_ms']);
    assert.equal(trace.series.get('latency_p95_ms')!.times.length, 120);
  });

  it('reads a Prometheus query_range matrix, seconds to milliseconds, string values to numbers', async () => {
    const doc = JSON.parse(readFileSync(fixture('prometheus.json'), 'utf8'));
    const trace = await loadTrace([fixture('prometheus.json')]);
    assert.deepEqual([...trace.series.keys()], ['error_rate', 'latency_p95_ms']);
    const s = trace.series.get('error_rate')!;
    const values: [number, string][] = doc.data.result[0].values;
    assert.deepEqual([...s.times], values.map(([t]) => t * 1000));
    assert.deepEqual([...s.values], values.map(([, v]) => Number(v)));
  });

  it('reads CloudWatch GetMetricData newest-first into ascending order without calling that a problem, and reports PartialData and a NextToken left to follow', async () => {
    const doc = JSON.parse(readFileSync(fixture('cloudwatch.json'), 'utf8'));
    const trace = await loadTrace([fixture('cloudwatch.json')]);
    const s = trace.series.get('error_rate')!;
    assert.ok(strictlyAscending(s.times));
    assert.equal(s.times[s.times.length - 1], Date.parse(doc.MetricDataResults[0].Timestamps[0]));
    assert.equal(s.values[s.values.length - 1], doc.MetricDataResults[0].Values[0]);
    // The file ends with a NextToken: later pages of every result are missing, not only of the PartialData one.
    assert.deepEqual(
      trace.issues.map((i) => [i.metric, i.kind]),
      [['error_rate', 'partial'], ['db_errors_per_min', 'partial']],
    );
  });

  it('merges several files into one trace', async () => {
    const trace = await loadTrace([fixture('prometheus.json'), `success_rate=${fixture('healthy-long.csv')}`, `db_errors_per_min=${fixture('cloudwatch.json')}`]);
    assert.deepEqual([...trace.series.keys()].sort(), ['db_errors_per_min', 'error_rate', 'latency_p95_ms', 'success_rate']);
  });

  it('parseTraceText gives the same trace as loadTrace for every fixture', async () => {
    for (const name of ['healthy-long.csv', 'wide.csv', 'prometheus.json', 'cloudwatch.json', 'messy-long.csv']) {
      const fromFile = await loadTrace([fixture(name)]);
      const fromText = parseTraceText(readFileSync(fixture(name), 'utf8'), fixture(name));
      assert.deepEqual(fromText, fromFile, name);
    }
  });

  it('accepts CRLF line ends, a byte order mark, quoted cells and a missing final newline', async () => {
    const text = '\ufefftimestamp,metric,value\r\n"2026-01-01 00:00:00","error_rate","0.1"\r\n2026-01-01 00:01:00,error_rate, 0.2 ';
    const trace = parseTraceText(text, 'export.csv');
    const s = trace.series.get('error_rate')!;
    assert.deepEqual([...s.values], [0.1, 0.2]);
    assert.deepEqual([...s.times], [Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 1)]);
  });

  it('reads every timestamp shape: ISO with offset or fraction, space-separated UTC, epoch seconds and milliseconds', () => {
    const cases: [string, number][] = [
      ['2026-03-10T10:00:00Z', Date.UTC(2026, 2, 10, 10)],
      ['2026-03-10T12:00:00+02:00', Date.UTC(2026, 2, 10, 10)],
      ['2026-03-10T05:30:00-0430', Date.UTC(2026, 2, 10, 10)],
      ['2026-03-10 10:00:00.250', Date.UTC(2026, 2, 10, 10, 0, 0, 250)],
      ['2026-03-10 10:00:00', Date.UTC(2026, 2, 10, 10)],
      ['2026-03-10T10:00', Date.UTC(2026, 2, 10, 10)],
      ['1773136800', Date.UTC(2026, 2, 10, 10)],
      ['1773136800.5', Date.UTC(2026, 2, 10, 10) + 500],
      ['1773136800000', Date.UTC(2026, 2, 10, 10)],
      ['2024-02-29 00:00:00', Date.UTC(2024, 1, 29)],
    ];
    for (const [text, expected] of cases) {
      const trace = parseTraceText(`timestamp,error_rate\n${text},0.1\n`, 't.csv');
      assert.equal(trace.series.get('error_rate')!.times[0], expected, text);
    }
  });

  it('a custom metric loads when named with METRIC=FILE or allowed by the caller', async () => {
    const trace = await loadTrace([`cpu_utilization=${path.join(NAB, 'rds_cpu_utilization_e47b3b.csv')}`]);
    assert.ok(trace.series.has('cpu_utilization'));
    const text = 'timestamp,metric,value\n2026-01-01 00:00:00,queue_depth,3\n';
    assert.equal(parseTraceText(text, 'q.csv', { allowMetrics: ['queue_depth'] }).series.get('queue_depth')!.values[0], 3);
  });

  it('picks one Prometheus series by label when the file has several', async () => {
    const s = scratch();
    try {
      const doc = {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: ['a', 'b'].map((instance, k) => ({
            metric: { __name__: 'error_rate', instance },
            values: [[1773136800, String(k)], [1773136860, String(k + 0.5)]],
          })),
        },
      };
      const file = s.write('prom.json', JSON.stringify(doc));
      const trace = await loadTrace([`error_rate{instance="b"}=${file}`]);
      assert.deepEqual([...trace.series.get('error_rate')!.values], [1, 1.5]);
    } finally {
      s.cleanup();
    }
  });
});

describe('recorded traces: the samples shipped for the file picker', () => {
  const dir = path.join(__dirname, '../../../media/samples');
  const sample = (name: string) => path.join(dir, name);
  const mediumPlan = () =>
    buildPlan({ tier: 'MEDIUM', files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] }, DEFAULT_POLICY, {
      start: new Date('2026-03-10T10:00:00Z'),
      timezone: 'UTC',
    });
  const replay = async (name: string) => simulateTrace(mediumPlan(), await loadTrace([sample(name)]));

  it('each carries all five gated metrics without a data issue, and stays under 30 KB', async () => {
    const names = readdirSync(dir).filter((n) => n !== 'README.md');
    assert.deepEqual(names.sort(), ['cloudwatch.json', 'failing.csv', 'healthy.csv', 'prometheus.json']);
    for (const name of names) {
      const bytes = statSync(sample(name)).size;
      assert.ok(bytes < 30 * 1024, `${name}: ${bytes} bytes`);
      const trace = await loadTrace([sample(name)]);
      assert.deepEqual([...trace.series.keys()].sort(), ['db_errors_per_min', 'error_rate', 'latency_p95_ms', 'security_alerts', 'success_rate'], name);
      assert.deepEqual(trace.issues, [], name);
    }
  });

  it('healthy.csv covers the whole MEDIUM plan and promotes', async () => {
    const r = await replay('healthy.csv');
    assert.equal(r.outcome, 'promoted', r.verdict);
    assert.deepEqual(r.alerts, []);
    assert.deepEqual(r.dataIssues, []);
  });

  it('failing.csv rolls back at the canary on the error rate, in its first minute of traffic', async () => {
    const r = await replay('failing.csv');
    assert.equal(r.outcome, 'rolled_back', r.verdict);
    assert.equal(r.rollback?.stage, 3);
    assert.equal(r.rollback?.metric, 'error_rate');
    assert.equal(r.rollback?.minute, r.stages[2].startMinute, 'the regression starts when the canary does');
  });

  it('prometheus.json rolls back at the canary on sustained latency, cloudwatch.json on database errors', async () => {
    const prom = await replay('prometheus.json');
    assert.equal(prom.outcome, 'rolled_back', prom.verdict);
    assert.deepEqual([prom.rollback?.stage, prom.rollback?.metric], [3, 'latency_p95_ms']);
    const cw = await replay('cloudwatch.json');
    assert.equal(cw.outcome, 'rolled_back', cw.verdict);
    assert.deepEqual([cw.rollback?.stage, cw.rollback?.metric], [3, 'db_errors_per_min']);
  });

  it('scripts/make-samples.mjs writes them again byte for byte from the seeded scenarios', () => {
    const s = scratch();
    try {
      const root = path.join(__dirname, '../../..');
      execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/make-samples.mjs'), s.dir], { cwd: root, stdio: 'pipe' });
      for (const name of ['healthy.csv', 'failing.csv', 'prometheus.json', 'cloudwatch.json']) {
        assert.ok(readFileSync(path.join(s.dir, name)).equals(readFileSync(sample(name))), `${name} differs from a fresh run of the script`);
      }
    } finally {
      s.cleanup();
    }
  });
});

describe('recorded traces: data quality', () => {
  it('reports duplicates, disorder, NaN, empty and negative values and gaps, each with a count and where', async () => {
    const trace = await loadTrace([fixture('messy-long.csv')]);
    const byKind = new Map(trace.issues.map((i) => [i.kind, i]));
    assert.deepEqual([...byKind.keys()].sort(), ['duplicate', 'empty', 'gap', 'nan', 'negative', 'out-of-order']);
    assert.equal(byKind.get('duplicate')!.count, 1);
    assert.equal(byKind.get('out-of-order')!.count, 2);
    assert.match(byKind.get('nan')!.message, /messy-long\.csv: error_rate: 1 NaN value dropped \(first at line 17\)/);
    assert.match(byKind.get('empty')!.message, /first at line 19/);
    assert.match(byKind.get('negative')!.message, /first at line 27/);
    assert.match(byKind.get('gap')!.message, /1 gap longer than 3× the usual 2 min step \(longest 22 min/);
    const s = trace.series.get('error_rate')!;
    assert.ok(strictlyAscending(s.times));
    assert.ok([...s.values].every(Number.isFinite));
  });

  it('keeps the worse of duplicate timestamps, sorts out-of-order rows, drops NaN and keeps +Inf as a reading', () => {
    const text = [
      'timestamp,metric,value',
      '1773136860,error_rate,0.2',
      '1773136800,error_rate,0.1',
      '1773136860,error_rate,0.3',
      '1773136920,error_rate,+Inf',
      '1773136980,error_rate,nan',
      '1773137040,error_rate,1e-1',
    ].join('\n');
    const trace = parseTraceText(text, 'dup.csv');
    const s = trace.series.get('error_rate')!;
    assert.deepEqual([...s.times], [1773136800000, 1773136860000, 1773136920000, 1773137040000]);
    assert.deepEqual([...s.values], [0.1, 0.3, Infinity, 0.1]);
    assert.deepEqual(trace.issues.map((i) => [i.kind, i.count]).sort(), [['duplicate', 1], ['infinite', 1], ['nan', 1], ['out-of-order', 1]]);
  });

  it('flags a percentage above 100 but keeps it', () => {
    const trace = parseTraceText('timestamp,success_rate\n2026-01-01 00:00:00,9995\n', 'pct.csv');
    assert.equal(trace.series.get('success_rate')!.values[0], 9995);
    assert.deepEqual(trace.issues.map((i) => i.kind), ['out-of-range']);
  });
});

describe('recorded traces: the NAB recordings', () => {
  const files = ['cpu_utilization_asg_misconfiguration.csv', 'ec2_request_latency_system_failure.csv', 'elb_request_count_8c0756.csv', 'rds_cpu_utilization_e47b3b.csv'];
  for (const name of files) {
    it(`${name} loads as a single series with METRIC=FILE, one sample per distinct timestamp`, async () => {
      const file = path.join(NAB, name);
      const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
      const distinct = new Set(rows.map((r) => r.split(',')[0]));
      const trace = await loadTrace([`latency_p95_ms=${file}`]);
      const s = trace.series.get('latency_p95_ms')!;
      assert.equal(s.times.length, distinct.size);
      assert.ok(strictlyAscending(s.times));
      const dropped = rows.length - distinct.size;
      const duplicate = trace.issues.find((i) => i.kind === 'duplicate');
      assert.equal(duplicate?.count ?? 0, dropped);
      assert.equal(s.times[0], Date.parse(`${rows[0].split(',')[0].replace(' ', 'T')}Z`));
    });
  }

  it('the row counts are those of the files', async () => {
    const counts: Record<string, number> = {};
    for (const name of files) {
      const trace = await loadTrace([`error_rate=${path.join(NAB, name)}`]);
      const dup = trace.issues.find((i) => i.kind === 'duplicate')?.count ?? 0;
      counts[name] = trace.series.get('error_rate')!.times.length + dup;
    }
    assert.deepEqual(counts, {
      'cpu_utilization_asg_misconfiguration.csv': 18050,
      'ec2_request_latency_system_failure.csv': 4032,
      'elb_request_count_8c0756.csv': 4032,
      'rds_cpu_utilization_e47b3b.csv': 4032,
    });
  });
});
