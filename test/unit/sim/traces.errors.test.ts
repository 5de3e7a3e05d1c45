import * as assert from 'node:assert/strict';
import { closeSync, openSync, writeSync, ftruncateSync } from 'node:fs';
import * as path from 'node:path';
import { loadTrace, parseTraceText } from '../../../src/core/sim/traces';
import { CsvTraceParser } from '../../../src/core/sim/traces/csv';
import { LineSplitter } from '../../../src/core/sim/traces/lines';
import { MetricCatalog } from '../../../src/core/sim/traces/metrics';
import { FIXTURES, inputError, NAB, scratch } from './traces.helpers';

/** Writes `content` to a file called `name` and returns the error loading it gives, message only. */
async function failure(name: string, content: string, spec = (file: string) => file): Promise<string> {
  const s = scratch();
  try {
    const file = s.write(name, content);
    const e = await inputError(() => loadTrace([spec(file)]));
    // Messages name the file as given; show it relative so the assertions read like what a user sees.
    return e.message.split(`${s.dir}${path.sep}`).join('');
  } finally {
    s.cleanup();
  }
}

const prom = (values: unknown[], metric: Record<string, string> = { __name__: 'error_rate' }) =>
  JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric, values }] } });

describe('recorded traces: bad input is an InputError naming the file, the line or field, and what was expected', () => {
  it('CSV cells and rows', async () => {
    assert.equal(
      await failure('trace.csv', 'timestamp,metric,value\n2026-01-01 00:00:00,error_rate,0.1\n2026-01-01 00:01:00,error_rate,abc\n'),
      'trace.csv:3: value "abc" is not a number (expected a number in column 3)',
    );
    assert.equal(
      await failure('trace.csv', 'timestamp,metric,value\nyesterday,error_rate,0.1\n'),
      'trace.csv:2: timestamp "yesterday" is not a date (expected ISO-8601, YYYY-MM-DD HH:MM:SS or epoch seconds/milliseconds in column 1)',
    );
    assert.equal(
      await failure('trace.csv', 'timestamp,metric,value\n2026-01-01 00:00:00,error_rate\n'),
      'trace.csv:2: 2 columns (expected 3: timestamp,metric,value)',
    );
    assert.equal(
      await failure('wide.csv', 'timestamp,error_rate,latency_p95_ms\n2026-01-01 00:00:00,1,2,3\n'),
      'wide.csv:2: 4 columns (expected 3: timestamp,error_rate,latency_p95_ms)',
    );
    assert.match(
      await failure('trace.csv', 'timestamp,metric,value\n2026-02-30 00:00:00,error_rate,1\n'),
      /^trace\.csv:2: timestamp "2026-02-30 00:00:00" is not a date/,
    );
  });

  it('CSV headers', async () => {
    assert.equal(await failure('trace.csv', ''), 'trace.csv: empty file (expected a header: timestamp,metric,value or timestamp,<metric>,...)');
    assert.equal(await failure('trace.csv', '\n\n  \n'), 'trace.csv: empty file (expected a header: timestamp,metric,value or timestamp,<metric>,...)');
    assert.equal(
      await failure('trace.csv', '2026-01-01 00:00:00,error_rate,0.1\n'),
      'trace.csv:1: header missing, the first line is data (expected a header: timestamp,metric,value or timestamp,<metric>,...)',
    );
    assert.equal(
      await failure('trace.csv', 'timestamp,metric,value\n'),
      'trace.csv: no samples after the header (expected rows of timestamp,metric,value)',
    );
    assert.equal(
      await failure('nab.csv', 'timestamp,value\n2014-03-07 03:41:00,45.868\n'),
      'nab.csv:1: a single series (timestamp,value) does not say which metric it is (expected METRIC=FILE, e.g. latency_p95_ms=nab.csv)',
    );
    assert.equal(
      await failure('dup.csv', 'timestamp,error_rate,error_rate\n'),
      'dup.csv:1: column error_rate appears twice (expected each metric once)',
    );
  });

  it('unknown metrics list the known ones', async () => {
    const known = 'error_rate, latency_p95_ms, success_rate, db_errors_per_min, security_alerts';
    assert.equal(
      await failure('trace.csv', 'timestamp,metric,value\n2026-01-01 00:00:00,eror_rate,0.1\n'),
      `trace.csv:2: unknown metric "eror_rate" in column 2 (expected one of ${known}, or name it with METRIC=FILE)`,
    );
    assert.equal(
      await failure('wide.csv', 'timestamp,cpu\n2026-01-01 00:00:00,1\n'),
      `wide.csv:1: unknown metric "cpu" (expected one of ${known}, or name it with METRIC=FILE)`,
    );
    assert.equal(
      await failure('wide.csv', 'timestamp,error_rate,cpu\n2026-01-01 00:00:00,1,2\n', (f) => `success_rate=${f}`),
      'wide.csv:1: no column success_rate (the header has error_rate, cpu; expected METRIC to be one of them)',
    );
    assert.equal(
      await failure('long.csv', 'timestamp,metric,value\n2026-01-01 00:00:00,error_rate,1\n', (f) => `success_rate=${f}`),
      'long.csv: no rows for metric success_rate (the file has error_rate; expected METRIC to be one of them)',
    );
  });

  it('Prometheus documents', async () => {
    assert.equal(
      await failure('prom.json', prom([[1, '1'], [2, '2'], [3, '3'], [4, 'abc']])),
      'prom.json: field data.result[0].values[3][1]: expected a numeric string',
    );
    assert.match(await failure('prom.json', prom([[1, 2]])), /^prom\.json: field data\.result\[0\]\.values\[0\]\[1\]: expected string, received number$/);
    // A saved replay's baseline series is read as strictly as the canary's, and named by its own field.
    const withBaseline = { ...JSON.parse(prom([[1, '1'], [2, '2'], [3, '3']])), rolloutLens: { baseline: { result: [{ metric: { __name__: 'error_rate' }, values: [[1, 'zero']] }] } } };
    assert.equal(await failure('prom.json', JSON.stringify(withBaseline)), 'prom.json: field rolloutLens.baseline.result[0].values[0][1]: expected a numeric string');
    assert.match(
      await failure('prom.json', JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 4' })),
      /^prom\.json: field status: Prometheus answered with an error: bad_data parse error at char 4/,
    );
    assert.match(
      await failure('prom.json', JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } })),
      /^prom\.json: field data\.resultType: expected "matrix"/,
    );
    assert.match(await failure('prom.json', prom([[1, '1']], { job: 'api' })), /^prom\.json: field data\.result\[0\]\.metric: no __name__ label.*METRIC=FILE/);
    assert.match(await failure('prom.json', '{"status": "success", "data": '), /^prom\.json: not valid JSON: .*\(expected a Prometheus query_range response/);
  });

  it('several Prometheus series for one metric: names their labels and how to pick one, never sums them', async () => {
    const doc = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: ['a', 'b', 'c'].map((instance) => ({ metric: { __name__: 'error_rate', instance }, values: [[1, '1']] })),
      },
    });
    const message = await failure('prom.json', doc);
    assert.equal(
      message,
      'prom.json: field data.result: 3 series for error_rate: {instance="a"}, {instance="b"}, {instance="c"} (expected one; pick it with error_rate{instance="a"}=prom.json, or aggregate in the query)',
    );
    assert.match(await failure('prom.json', doc, (f) => `error_rate{instance="z"}=${f}`), /no series matches \{instance="z"\}/);
    assert.match(await failure('prom.json', doc, (f) => `error_rate{instance=a}=${f}`), /label matcher "instance=a" in "error_rate\{instance=a\}=prom\.json" \(expected label="value"/);
  });

  it('CloudWatch documents', async () => {
    const cw = (r: object) => JSON.stringify({ MetricDataResults: [{ Id: 'error_rate', Timestamps: ['2026-01-01T00:00:00Z'], Values: [1], StatusCode: 'Complete', ...r }] });
    assert.equal(
      await failure('cw.json', cw({ Values: [1, 2] })),
      'cw.json: field MetricDataResults[0].Values: 2 values for 1 timestamps (expected one value per timestamp)',
    );
    assert.match(await failure('cw.json', cw({ StatusCode: 'Forbidden' })), /^cw\.json: field MetricDataResults\[0\]\.StatusCode: "Forbidden"/);
    assert.match(await failure('cw.json', cw({ Timestamps: ['soon'] })), /^cw\.json: field MetricDataResults\[0\]\.Timestamps\[0\]: expected ISO-8601/);
    assert.match(await failure('cw.json', cw({ Id: 'm1', Label: 'CPUUtilization' })), /^cw\.json: field MetricDataResults\[0\]\.Id: unknown metric "m1"/);
    assert.equal(parseTraceText(cw({ Id: 'm1' }), 'error_rate=cw.json').series.get('error_rate')!.values[0], 1);
  });

  it('files that are missing, directories, mislabelled or too big', async () => {
    assert.equal((await inputError(() => loadTrace(['/nonexistent/trace.csv']))).message, '/nonexistent/trace.csv: file not found (expected an existing trace file)');
    assert.equal((await inputError(() => loadTrace([FIXTURES]))).message, `${FIXTURES}: is a directory (expected a trace file)`);
    assert.match(await failure('data.json', 'timestamp,metric,value\n'), /^data\.json: does not start with \{ \(expected a Prometheus/);
    assert.match(await failure('data.json', ''), /^data\.json: empty file \(expected a Prometheus/);
    assert.match(await failure('x.json', '{"rows": []}'), /^x\.json: a JSON document of unknown shape/);
    assert.match(await failure('x.csv', `timestamp,metric,value\n${'9'.repeat(70_000)}\n`), /^x\.csv:2: line longer than 65536 bytes/);

    const s = scratch();
    try {
      // A sparse file: 300 MB on paper, a few bytes on disk.
      const file = path.join(s.dir, 'huge.json');
      const fd = openSync(file, 'w');
      writeSync(fd, '{"status":"success"');
      ftruncateSync(fd, 300 * 1024 * 1024);
      closeSync(fd);
      const e = await inputError(() => loadTrace([file]));
      assert.match(e.message, /huge\.json: 300 MB of JSON \(expected at most 256 MB; export a longer trace as CSV, which streams\)$/);
    } finally {
      s.cleanup();
    }
  });

  it('no files, or an empty trace value', async () => {
    assert.equal((await inputError(() => loadTrace([]))).message, 'no trace files (expected FILE or METRIC=FILE)');
    assert.equal((await inputError(() => loadTrace(['']))).message, 'empty value (expected FILE or METRIC=FILE)');
  });

  it('the same metric from two files', async () => {
    const a = path.join(NAB, 'elb_request_count_8c0756.csv');
    const e = await inputError(() => loadTrace([`error_rate=${a}`, path.join(FIXTURES, 'wide.csv')]));
    assert.equal(e.message, `${path.join(FIXTURES, 'wide.csv')}: metric error_rate is also in ${a} (expected each metric in one trace file)`);
  });

  it('stops beyond the row limit instead of filling memory', async () => {
    const parser = new CsvTraceParser({ where: 'big.csv', catalog: new MetricCatalog(), maxRows: 3 });
    const split = new LineSplitter(parser.line, 'big.csv');
    const rows = Array.from({ length: 5 }, (_, i) => `${1773136800 + i},error_rate,0.1`).join('\n');
    const e = await inputError(() => split.push(new TextEncoder().encode(`timestamp,metric,value\n${rows}\n`)));
    assert.equal(e.message, 'big.csv:5: more than 3 rows (expected a trace of at most that many; downsample it)');
  });

  it('an abort is an abort, not bad input', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(loadTrace([path.join(FIXTURES, 'healthy-long.csv')], { signal: controller.signal }), { name: 'AbortError' });
  });
});
