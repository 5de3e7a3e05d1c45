/**
 * Recorded metric traces: CSV (long, wide, single series), Prometheus query_range and CloudWatch
 * GetMetricData files, validated and turned into a Trace the simulator replays. Every problem with a file
 * is an InputError that names the file, the line or field, and what was expected.
 */
import { stat } from 'node:fs/promises';
import { InputError } from '../../errors';
import type { Trace } from '../trace';
import { parseTraceFile } from './file';
import { mergeParsed } from './merge';
import { MetricCatalog } from './metrics';
import { parseSpec, type TraceSpec } from './spec';

export { parseTraceText, type TextTraceOptions } from './text';
export { parseSpec, type TraceSpec } from './spec';
export { METRIC_NAME } from './metrics';
export { MAX_ROWS } from './csv';
export { MAX_JSON_BYTES } from './document';

export interface LoadTraceOptions {
  signal?: AbortSignal;
  /** Custom metric names files may carry besides the built-in five (METRIC=FILE names one explicitly). */
  allowMetrics?: readonly string[];
  /** Metrics whose gates alert below their thresholds, so a duplicate keeps the lower reading (success_rate always does). */
  worseBelow?: readonly string[];
  /** Row limit of a CSV file; MAX_ROWS unless a caller needs a smaller one. */
  maxRows?: number;
}

/**
 * Loads the `--trace` values (`FILE` or `METRIC=FILE`, repeatable) into one Trace. Files are read one after
 * the other, so memory holds one file's stream buffer plus the series parsed so far.
 */
export async function loadTrace(specs: readonly string[], opts: LoadTraceOptions = {}): Promise<Trace> {
  if (specs.length === 0) throw new InputError('no trace files (expected FILE or METRIC=FILE)', { field: 'trace' });
  const catalog = new MetricCatalog(opts.allowMetrics, opts.worseBelow);
  const parts = [];
  for (const raw of specs) {
    const spec = await resolveResult(parseSpec(raw));
    parts.push({ where: spec.file, parsed: await parseTraceFile(spec, catalog, opts.signal, opts.maxRows) });
  }
  return mergeParsed(parts);
}

/** `a#b.json` is a file called so when `a` does not exist and `a#b.json` does: then nothing is picked by `#`. */
async function resolveResult(spec: TraceSpec): Promise<TraceSpec> {
  if (spec.result === undefined) return spec;
  const exists = async (f: string) => stat(f).then(() => true, () => false);
  if (await exists(spec.file)) return spec;
  const whole = `${spec.file}#${spec.result}`;
  if (!(await exists(whole))) return spec;
  const { result: _picked, ...rest } = spec;
  return { ...rest, file: whole };
}
