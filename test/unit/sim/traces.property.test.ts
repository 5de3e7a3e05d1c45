import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors';
import type { Trace } from '../../../src/core/sim/trace';
import { loadTrace, parseTraceText } from '../../../src/core/sim/traces';
import { CsvTraceParser } from '../../../src/core/sim/traces/csv';
import { LineSplitter } from '../../../src/core/sim/traces/lines';
import { MetricCatalog } from '../../../src/core/sim/traces/metrics';
import { fastNumber, parseNumberText } from '../../../src/core/sim/traces/numbers';
import { fastTimestamp, parseTimestampText } from '../../../src/core/sim/traces/timestamps';
import { FIXTURES, scratch, strictlyAscending } from './traces.helpers';

const encoder = new TextEncoder();
const FIXTURE_NAMES = ['healthy-long.csv', 'wide.csv', 'prometheus.json', 'cloudwatch.json', 'messy-long.csv'];
const fixtures = FIXTURE_NAMES.map((name) => ({ name, text: readFileSync(path.join(FIXTURES, name), 'utf8') }));

/** What every successful parse promises the simulator. */
function assertWellFormed(trace: Trace): void {
  for (const s of trace.series.values()) {
    assert.equal(s.times.length, s.values.length);
    assert.ok(strictlyAscending(s.times), `${s.metric}: times ascending without duplicates`);
    assert.ok(s.values.every((v) => !Number.isNaN(v)), `${s.metric}: no NaN reading`);
    // An infinity is a reading (docs/gates.md), never a silent one: the trace reports it.
    const infinite = s.values.filter((v) => !Number.isFinite(v)).length;
    if (infinite > 0) assert.ok(trace.issues.some((i) => i.metric === s.metric && i.kind === 'infinite' && i.count >= infinite), `${s.metric}: ${infinite} infinite readings reported`);
    assert.ok(s.times.every(Number.isFinite));
  }
  for (const i of trace.issues) assert.ok(i.message.length > 0 && !i.message.includes('\n'));
}

/** Parses, or fails with a one-line InputError that names the file; anything else fails the property. */
function parsesOrRefuses(where: string, run: () => Trace): void {
  try {
    assertWellFormed(run());
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    assert.ok(e.message.startsWith(where), `names the file: ${e.message}`);
    assert.ok(!e.message.includes('\n'), `one line: ${JSON.stringify(e.message)}`);
  }
}

/** Feeds bytes to the CSV parser in the given chunk sizes, as a stream would. */
function parseCsvBytes(bytes: Uint8Array, cuts: number[] = [], metric?: string): Trace {
  const parser = new CsvTraceParser({ where: 'fuzz.csv', catalog: new MetricCatalog(), metric });
  // The work is bounded by the input: each line reaches the parser once, numbered in order, and
  // there are no more lines than line endings plus one, however the bytes are cut into chunks.
  let handed = 0;
  const split = new LineSplitter((b, start, end, line) => {
    handed++;
    assert.equal(line, handed, 'each line is handed to the parser once, in order');
    parser.line(b, start, end, line);
  }, 'fuzz.csv');
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const to = Math.min(cut, bytes.length);
    if (to > from) split.push(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  split.push(bytes.subarray(from));
  split.end();
  assert.ok(handed <= bytes.filter((b) => b === 10).length + 1, `${handed} lines from ${bytes.length} bytes`);
  const { series, issues } = parser.finish();
  return { source: 'fuzz.csv', series, issues };
}

/** Small edits that keep most of a valid file: the inputs most likely to reach deep into a parser. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.constantFrom(',', '\n', '"', '{', '}', '[', ']', ':', '-', '.', 'e', '0', ' ', 'NaN', '\r', '', 'x') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, edits: Mutation[]): string {
  let out = text;
  for (const m of edits) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'replace') out = out.slice(0, at) + m.text + out.slice(at + 1);
    else if (m.kind === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.length);
    else out = out.slice(0, at) + out.slice(at, at + m.length) + out.slice(at);
  }
  return out;
}

describe('recorded traces: properties', () => {
  it('any bytes given to the CSV parser parse or fail with an InputError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.option(fc.constantFrom('error_rate', 'cpu')), (bytes, metric) => {
        parsesOrRefuses('fuzz.csv', () => parseCsvBytes(bytes, [], metric ?? undefined));
      }),
      { numRuns: 400 },
    );
  });

  it('any text, named as CSV, JSON or neither, parses or fails with an InputError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1024 }), fc.constantFrom('fuzz.csv', 'fuzz.json', 'fuzz.txt', 'error_rate=fuzz.csv'), (text, name) => {
        parsesOrRefuses('fuzz', () => parseTraceText(text, name));
      }),
      { numRuns: 400 },
    );
  });

  it('text built from trace-like pieces parses or fails with an InputError', () => {
    const piece = fc.constantFrom('timestamp', 'metric', 'value', 'error_rate', 'latency_p95_ms', ',', '\n', '\r\n', '2026-01-01 00:00:00', '1773136800', '0.5', '-1', 'NaN', '+Inf', '""', ' ', '1e309', '2026-13-01T00:00:00Z');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        parsesOrRefuses('fuzz.csv', () => parseTraceText(pieces.join(''), 'fuzz.csv'));
      }),
      { numRuns: 400 },
    );
  });

  it('mutated fixtures of every format parse or fail with an InputError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 5 }), (fixture, edits) => {
        parsesOrRefuses(fixture.name, () => parseTraceText(mutate(fixture.text, edits), fixture.name));
      }),
      { numRuns: 500 },
    );
  });

  it('any JSON value, and Prometheus and CloudWatch documents with arbitrary contents, parse or fail with an InputError', () => {
    const anyValue = fc.oneof(fc.double(), fc.string({ maxLength: 6 }), fc.constantFrom('NaN', '+Inf', '1', '-2.5', '2026-01-01T00:00:00Z'), fc.integer(), fc.constant(null));
    const promDoc = fc.record({
      status: fc.constantFrom('success', 'error', 'x'),
      data: fc.record({
        resultType: fc.constantFrom('matrix', 'vector'),
        result: fc.array(
          fc.record({
            metric: fc.dictionary(fc.constantFrom('__name__', 'job', 'instance'), fc.constantFrom('error_rate', 'latency_p95_ms', 'a', 'b')),
            values: fc.array(fc.array(anyValue, { maxLength: 3 }), { maxLength: 8 }),
          }),
          { maxLength: 3 },
        ),
      }),
    });
    const cwDoc = fc.record({
      MetricDataResults: fc.array(
        fc.record({
          Id: fc.constantFrom('error_rate', 'db_errors_per_min', 'm1'),
          Label: fc.option(fc.constantFrom('error_rate', 'x'), { nil: undefined }),
          Timestamps: fc.array(anyValue, { maxLength: 6 }),
          Values: fc.array(anyValue, { maxLength: 6 }),
          StatusCode: fc.constantFrom('Complete', 'PartialData', 'Forbidden', 'Other'),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), promDoc, cwDoc), fc.constantFrom('fuzz.json', 'error_rate=fuzz.json', 'error_rate{job="a"}=fuzz.json'), (doc, name) => {
        parsesOrRefuses('fuzz.json', () => parseTraceText(JSON.stringify(doc) ?? 'null', name));
      }),
      { numRuns: 500 },
    );
  });

  it('where a line (LF or CRLF) breaks across stream chunks does not change the result', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures.filter((f) => f.name.endsWith('.csv'))), fc.array(fc.nat({ max: 20_000 }), { maxLength: 40 }), fc.boolean(), (fixture, cuts, crlf) => {
        const bytes = encoder.encode(crlf ? fixture.text.replace(/\n/g, '\r\n') : fixture.text);
        assert.deepEqual(parseCsvBytes(bytes, cuts), parseCsvBytes(bytes));
      }),
      { numRuns: 150 },
    );
  });

  it('samples written as a long-form CSV in any order come back sorted, exactly, the worse (higher) error rate of duplicates winning', () => {
    const sample = fc.record({ t: fc.integer({ min: 0, max: 5000 }), v: fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }) });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 300 }), fc.constantFrom('epoch', 'iso'), (samples, style) => {
        const base = 1773136800;
        const stamp = (t: number) => (style === 'epoch' ? String(base + t) : new Date((base + t) * 1000).toISOString().replace('.000Z', 'Z'));
        const text = `timestamp,metric,value\n${samples.map((s) => `${stamp(s.t)},error_rate,${s.v}`).join('\n')}\n`;
        const series = parseTraceText(text, 'roundtrip.csv').series.get('error_rate')!;
        const worst = new Map<number, number>();
        for (const s of samples) worst.set(s.t, Math.max(worst.get(s.t) ?? -Infinity, s.v));
        const expected = [...worst].sort((a, b) => a[0] - b[0]);
        assert.deepEqual([...series.times], expected.map(([t]) => (base + t) * 1000));
        assert.deepEqual([...series.values], expected.map(([, v]) => v));
      }),
      { numRuns: 200 },
    );
  });

  it('the byte fast path for numbers agrees with the text definition wherever it answers', () => {
    const decimal = fc.stringMatching(/^[+-]?\d{0,18}(\.\d{0,18})?$/);
    fc.assert(
      fc.property(fc.oneof(decimal, fc.double().map(String), fc.string({ maxLength: 6 })), (text) => {
        const fast = fastNumber(encoder.encode(text), 0, encoder.encode(text).length);
        if (!Number.isNaN(fast)) assert.ok(Object.is(fast, parseNumberText(text)), text);
        const slow = parseNumberText(text);
        if (typeof slow === 'number' && Number.isFinite(slow) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) assert.ok(Object.is(slow, Number(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('the byte fast path for timestamps agrees with the text definition and with Date.UTC', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }),
        fc.constantFrom(' ', 'T'), fc.constantFrom('', 'Z'),
        (y, mo, d, h, mi, s, sep, zone) => {
          const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}${sep}${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${zone}`;
          const bytes = encoder.encode(text);
          const fast = fastTimestamp(bytes, 0, bytes.length);
          const slow = parseTimestampText(text);
          assert.ok(Object.is(fast, slow), `${text}: ${fast} vs ${slow}`);
          const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
          const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
          // Second 60 is a leap second: accepted, it is the next minute's first instant.
          if (mo >= 1 && mo <= 12 && d >= 1 && d <= monthDays && h <= 23 && mi <= 59 && s <= 60) {
            const date = new Date(0);
            date.setUTCFullYear(y, mo - 1, d);
            date.setUTCHours(h, mi, s, 0);
            assert.equal(fast, date.getTime(), text);
          } else {
            assert.ok(Number.isNaN(fast), `${text} is not a date`);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('any bytes in a file given to loadTrace parse or fail with an InputError', async () => {
    const s = scratch();
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom('.csv', '.json', ''), async (bytes, ext) => {
          const file = s.write(`f${n++}${ext}`, bytes);
          try {
            assertWellFormed(await loadTrace([file]));
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            assert.ok(e.message.startsWith(file));
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      s.cleanup();
    }
  });
});
