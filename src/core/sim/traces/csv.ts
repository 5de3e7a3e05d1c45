/**
 * CSV traces in three shapes, told apart by the header:
 *   long   `timestamp,metric,value`        one sample per row, any number of metrics
 *   wide   `timestamp,error_rate,…`         one column per metric
 *   single `timestamp,value`                one unnamed series, named with METRIC=FILE
 * Rows are parsed from bytes as they stream in; only the header and bad cells become strings.
 */
import { InputError, locate } from '../../errors';
import type { DataIssue, MetricSeries } from '../trace';
import { show, TimestampCell, ValueCell } from './cells';
import { METRIC_NAME, type MetricCatalog } from './metrics';
import { fastNumber, unquote } from './numbers';
import { SeriesBuilder } from './series';
import { fastTimestamp, parseTimestampText } from './timestamps';

/**
 * Beyond this a trace is not a rollout window any more; stop with an error rather than exhaust memory.
 * The longest plan a schema allows lasts 91 days (131,040 minutes) and the simulator keeps one reading
 * per metric and minute, so 10 million rows hold that plan for 19 metrics at 4 readings a minute, at
 * 16 bytes a sample while it is read.
 */
export const MAX_ROWS = 10_000_000;

export const HEADER_EXPECTED = 'expected a header: timestamp,metric,value or timestamp,<metric>,...';

export interface CsvOptions {
  /** The file name, as messages show it. */
  where: string;
  catalog: MetricCatalog;
  /** From METRIC=FILE: the name of a single series, or which metric of the file to take. */
  metric?: string;
  /** Row limit; MAX_ROWS unless a caller needs a smaller one. */
  maxRows?: number;
}

export interface ParsedSeries {
  series: Map<string, MetricSeries>;
  issues: DataIssue[];
  /** Baseline series beside some of them (a saved Prometheus replay's `rolloutLens.baseline`). */
  baselines?: Map<string, MetricSeries>;
}

type Shape = 'long' | 'wide' | 'single';

/** One known metric name in a long-form file, kept as bytes so rows match it without decoding. */
interface NameEntry {
  bytes: Uint8Array;
  builder: SeriesBuilder | null;
}

const decoder = new TextDecoder();

export class CsvTraceParser {
  private shape: Shape | null = null;
  private header: string[] = [];
  /** Per data column (wide, single), the series it feeds, or null when METRIC= picked another. */
  private columns: (SeriesBuilder | null)[] = [];
  private names: NameEntry[] = [];
  private readonly builders = new Map<string, SeriesBuilder>();
  private rows = 0;
  private readonly maxRows: number;

  constructor(private readonly opts: CsvOptions) {
    this.maxRows = opts.maxRows ?? MAX_ROWS;
  }

  /** Feed one line (a LineSink). */
  readonly line = (b: Uint8Array, start: number, end: number, line: number): void => {
    if (this.shape === 'long') this.longRow(b, start, end, line);
    else if (this.shape !== null) this.wideRow(b, start, end, line);
    else if (!isBlank(b, start, end)) this.readHeader(decoder.decode(b.subarray(start, end)), line);
  };

  finish(): ParsedSeries {
    const { where, metric } = this.opts;
    if (this.shape === null) throw new InputError(locate(where, undefined, `empty file (${HEADER_EXPECTED})`), { file: where });
    if (this.rows === 0) {
      throw new InputError(locate(where, undefined, `no samples after the header (expected rows of ${this.header.join(',')})`), { file: where });
    }
    if (this.shape === 'long' && metric !== undefined && !this.builders.has(metric)) {
      const seen = this.names.map((n) => decoder.decode(n.bytes)).join(', ');
      throw new InputError(locate(where, undefined, `no rows for metric ${metric} (the file has ${seen}; expected METRIC to be one of them)`), {
        file: where,
      });
    }
    const series = new Map<string, MetricSeries>();
    const issues: DataIssue[] = [];
    for (const [name, builder] of this.builders) {
      const done = builder.finish();
      series.set(name, done.series);
      issues.push(...done.issues);
    }
    return { series, issues };
  }

  private readHeader(text: string, line: number): void {
    const { where, metric, catalog } = this.opts;
    const cells = text.split(',').map((c) => unquote(c.trim()));
    const fail = (what: string): never => {
      throw new InputError(locate(where, line, what), { file: where, line });
    };
    const first = cells[0].toLowerCase();
    if (first !== 'timestamp' && first !== 'time') {
      const looksLikeData = !Number.isNaN(parseTimestampText(cells[0]));
      fail(`${looksLikeData ? 'header missing, the first line is data' : `first column is ${show(cells[0])}`} (${HEADER_EXPECTED})`);
    }
    const rest = cells.slice(1).map((c) => c.toLowerCase());
    this.header = ['timestamp', ...rest];
    if (rest.length === 0) fail(`only a timestamp column (${HEADER_EXPECTED})`);
    if (rest.length === 2 && rest[0] === 'metric' && rest[1] === 'value') {
      this.shape = 'long';
      return;
    }
    if (rest.length === 1 && rest[0] === 'value') {
      if (metric === undefined) {
        fail(`a single series (timestamp,value) does not say which metric it is (expected METRIC=FILE, e.g. latency_p95_ms=${where})`);
      }
      this.shape = 'single';
      this.columns = [this.builder(metric!)];
      return;
    }
    const seen = new Set<string>();
    for (const name of rest) {
      if (!METRIC_NAME.test(name)) fail(`column ${show(name)} is not a metric name (expected lower-case letters, digits and _)`);
      if (seen.has(name)) fail(`column ${name} appears twice (expected each metric once)`);
      seen.add(name);
    }
    this.shape = 'wide';
    if (metric === undefined) {
      for (const name of rest) if (!catalog.has(name)) fail(catalog.unknownMessage(name));
      this.columns = rest.map((name) => this.builder(name));
    } else if (seen.has(metric)) {
      this.columns = rest.map((name) => (name === metric ? this.builder(name) : null));
    } else if (rest.length === 1) {
      this.columns = [this.builder(metric)];
    } else {
      fail(`no column ${metric} (the header has ${rest.join(', ')}; expected METRIC to be one of them)`);
    }
  }

  private builder(name: string): SeriesBuilder {
    let b = this.builders.get(name);
    if (!b) {
      b = new SeriesBuilder(name, this.opts.where, undefined, this.opts.catalog.lowerIsWorse(name));
      this.builders.set(name, b);
    }
    return b;
  }

  private longRow(b: Uint8Array, start: number, end: number, line: number): void {
    const c1 = comma(b, start, end);
    const c2 = c1 < 0 ? -1 : comma(b, c1 + 1, end);
    if (c2 < 0 || comma(b, c2 + 1, end) >= 0) {
      if (isBlank(b, start, end)) return;
      this.columnCount(b, start, end, line, 3);
    }
    if (++this.rows > this.maxRows) this.tooMany(line);
    const builder = this.nameAt(b, c1 + 1, c2, line);
    if (builder === null) return;
    const time = this.time(b, start, c1, line, 1);
    this.value(builder, time, b, c2 + 1, end, line, 3);
  }

  private wideRow(b: Uint8Array, start: number, end: number, line: number): void {
    const columns = this.columns;
    const c1 = comma(b, start, end);
    if (c1 < 0) {
      if (isBlank(b, start, end)) return;
      this.columnCount(b, start, end, line, columns.length + 1);
    }
    if (++this.rows > this.maxRows) this.tooMany(line);
    const time = this.time(b, start, c1, line, 1);
    let from = c1 + 1;
    for (let i = 0; i < columns.length; i++) {
      const last = i === columns.length - 1;
      const to = last ? end : comma(b, from, end);
      if (to < 0 || (last && comma(b, from, end) >= 0)) this.columnCount(b, start, end, line, columns.length + 1);
      const builder = columns[i];
      if (builder !== null) this.value(builder, time, b, from, to, line, i + 2);
      from = to + 1;
    }
  }

  private time(b: Uint8Array, start: number, end: number, line: number, column: number): number {
    const t = fastTimestamp(b, start, end);
    if (t === t) return t;
    const r = TimestampCell.safeParse(decoder.decode(b.subarray(start, end)));
    if (r.success) return r.data;
    return this.cellError(r.error.issues[0].message, line, column);
  }

  private value(builder: SeriesBuilder, time: number, b: Uint8Array, start: number, end: number, line: number, column: number): void {
    const fast = fastNumber(b, start, end);
    if (fast === fast) {
      builder.add(time, fast, line);
      return;
    }
    const r = ValueCell.safeParse(decoder.decode(b.subarray(start, end)));
    if (!r.success) this.cellError(r.error.issues[0].message, line, column);
    else if (r.data === 'empty') builder.addEmpty(line);
    else builder.add(time, r.data, line);
  }

  /** The series a long-form row's metric cell names, or null if METRIC= asked for another one. */
  private nameAt(b: Uint8Array, start: number, end: number, line: number): SeriesBuilder | null {
    const names = this.names;
    const n = end - start;
    search: for (let k = 0; k < names.length; k++) {
      const known = names[k].bytes;
      if (known.length !== n) continue;
      for (let i = 0; i < n; i++) if (known[i] !== b[start + i]) continue search;
      return names[k].builder;
    }
    const name = unquote(decoder.decode(b.subarray(start, end)).trim());
    const { metric, catalog, where } = this.opts;
    let builder: SeriesBuilder | null;
    if (metric !== undefined) builder = name === metric ? this.builder(name) : null;
    else if (METRIC_NAME.test(name) && catalog.has(name)) builder = this.builder(name);
    else throw new InputError(locate(where, line, catalog.unknownMessage(name, ' in column 2')), { file: where, line });
    // Remembered by its raw bytes; names are few, so this list stays short.
    if (names.length < 64) names.push({ bytes: b.slice(start, end), builder });
    return builder;
  }

  private cellError(message: string, line: number, column: number): never {
    const { where } = this.opts;
    // "…(expected a number)" → "…(expected a number in column 3)": say where on the line.
    const placed = message.replace(/\)$/, ` in column ${column})`);
    throw new InputError(locate(where, line, placed), { file: where, line });
  }

  private columnCount(b: Uint8Array, start: number, end: number, line: number, expected: number): never {
    const { where } = this.opts;
    let found = 1;
    for (let i = start; i < end; i++) if (b[i] === 44) found++;
    throw new InputError(locate(where, line, `${found} column${found === 1 ? '' : 's'} (expected ${expected}: ${this.header.join(',')})`), {
      file: where,
      line,
    });
  }

  private tooMany(line: number): never {
    const { where } = this.opts;
    throw new InputError(locate(where, line, `more than ${this.maxRows.toLocaleString('en-US')} rows (expected a trace of at most that many; downsample it)`), {
      file: where,
      line,
    });
  }
}

function comma(b: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (b[i] === 44) return i;
  return -1;
}

function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
