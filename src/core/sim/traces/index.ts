/**
 * Recorded metric traces: CSV (long, wide, single series), Prometheus query_range and CloudWatch
 * GetMetricData files, validated and turned into a Trace the simulator replays. Every problem with a file
 * is an InputError that names the file, the line or field, and what was expected.
 */
import { InputError } from '../../errors';
import type { Trace } from '../trace';
import { parseTraceFile } from './file';
import { mergeParsed } from './merge';
import { MetricCatalog } from './metrics';
import { parseSpec } from './spec';

export { parseTraceText, type TextTraceOptions } from './text';
export { parseSpec, type TraceSpec } from './spec';
export { METRIC_NAME } from './metrics';
export { MAX_ROWS } from './csv';
export { MAX_JSON_BYTES } from './document';

export interface LoadTraceOptions {
  signal?: AbortSignal;
  /** Custom metric names files may carry besides the built-in five (METRIC=FILE names one explicitly). */
  allowMetrics?: readonly string[];
  /** Row limit of a CSV file; MAX_ROWS unless a caller needs a smaller one. */
  maxRows?: number;
}

/**
 * Loads the `--trace` values (`FILE` or `METRIC=FILE`, repeatable) into one Trace. Files are read one after
 * the other, so memory holds one file's stream buffer plus the series parsed so far.
 */
export async function loadTrace(specs: readonly string[], opts: LoadTraceOptions = {}): Promise<Trace> {
  if (specs.length === 0) throw new InputError('--trace: no trace files (expected FILE or METRIC=FILE)', { field: '--trace' });
  const catalog = new MetricCatalog(opts.allowMetrics);
  const parts = [];
  for (const raw of specs) {
    const spec = parseSpec(raw);
    parts.push({ where: spec.file, parsed: await parseTraceFile(spec, catalog, opts.signal, opts.maxRows) });
  }
  return mergeParsed(parts);
}
