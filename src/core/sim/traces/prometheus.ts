/**
 * Prometheus `query_range` responses (`/api/v1/query_range`, also what Grafana's "Inspect → Data" saves):
 * a matrix of series, each with its labels and `[unix_seconds, "value"]` pairs.
 */
import { z } from 'zod';
import type { DataIssue, MetricSeries } from '../trace';
import type { ParsedSeries } from './csv';
import { fieldError, fieldFail } from './json';
import type { MetricCatalog } from './metrics';
import { parseNumberText } from './numbers';
import { SeriesBuilder } from './series';
import { formatSelector, type TraceSpec } from './spec';

const NumericString = z.string().transform((text, ctx) => {
  const v = parseNumberText(text);
  if (typeof v !== 'number') {
    ctx.addIssue({ code: 'custom', message: 'expected a numeric string' });
    return z.NEVER;
  }
  return v;
});

const UnixSeconds = z.number().nonnegative('expected unix seconds').lt(1e11, 'expected unix seconds, not milliseconds');

export const PrometheusMatrixSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix', 'expected "matrix" (a query_range response; an instant query gives one sample per series)'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        values: z.array(z.tuple([UnixSeconds, NumericString])),
      }),
    ),
  }),
});
type Matrix = z.infer<typeof PrometheusMatrixSchema>;
const SavedBaselineSchema = z.object({ result: PrometheusMatrixSchema.shape.data.shape.result });
/** One series of a matrix, read: its labels, and its sample times (unix seconds) and values. */
interface Result {
  metric: Record<string, string>;
  seconds: Float64Array;
  values: Float64Array;
}

export function isPrometheusDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && ('data' in doc || 'status' in doc);
}

export function parsePrometheus(doc: unknown, spec: Omit<TraceSpec, 'file'>, where: string, catalog: MetricCatalog): ParsedSeries {
  const raw = doc as { status?: unknown; errorType?: unknown; error?: unknown };
  if (raw.status === 'error') {
    fieldFail(where, 'status', `Prometheus answered with an error: ${String(raw.errorType ?? '')} ${String(raw.error ?? '')} (expected "success")`.replace(/\s+/g, ' '));
  }
  const results = readMatrix(doc, where);
  if (results.length === 0) fieldFail(where, 'data.result', 'no series (expected at least one; does the query match anything in that time range?)');

  const chosen = spec.metric === undefined ? byName(results, where, catalog) : pick(results, spec, where);
  const series = new Map<string, MetricSeries>();
  const issues: DataIssue[] = [];
  for (const [metric, index] of chosen) {
    const done = buildSeries(metric, results[index], where, `data.result[${index}]`, catalog);
    series.set(metric, done.series);
    issues.push(...done.issues);
  }
  const baselines = savedBaselines(doc, where, chosen, catalog);
  return baselines ? { series, issues: [...issues, ...baselines.issues], baselines: baselines.series } : { series, issues };
}

function buildSeries(metric: string, result: Result, where: string, at: string, catalog: MetricCatalog): { series: MetricSeries; issues: DataIssue[] } {
  const builder = new SeriesBuilder(metric, where, (i) => `${at}.values[${i}]`, catalog.lowerIsWorse(metric));
  const { seconds, values } = result;
  for (let i = 0; i < values.length; i++) builder.add(Math.round(seconds[i] * 1000), values[i], i);
  return builder.finish();
}

/**
 * The series of a query_range document. A plain loop checks the shape every well-formed answer has
 * and reads its values; anything it does not accept goes through the schema, whose message names the
 * field. The two accept the same documents: the loop only answers where the schema would pass.
 */
function readMatrix(doc: unknown, where: string): Result[] {
  const fast = plainMatrix(doc);
  if (fast) return fast;
  const parsed = PrometheusMatrixSchema.safeParse(doc);
  if (!parsed.success) throw fieldError(where, parsed.error);
  return resultsOf(parsed.data.data.result);
}

function resultsOf(result: Matrix['data']['result']): Result[] {
  return result.map((r) => ({ metric: r.metric, seconds: Float64Array.from(r.values, (v) => v[0]), values: Float64Array.from(r.values, (v) => v[1]) }));
}

/** The matrix read without the schema, or undefined at the first thing the schema must judge. */
function plainMatrix(doc: unknown): Result[] | undefined {
  const d = doc as { status?: unknown; data?: { resultType?: unknown; result?: unknown } } | null;
  if (typeof d !== 'object' || d === null || d.status !== 'success') return undefined;
  const data = d.data;
  if (typeof data !== 'object' || data === null || data.resultType !== 'matrix' || !Array.isArray(data.result)) return undefined;
  const out: Result[] = [];
  for (const r of data.result as unknown[]) {
    if (typeof r !== 'object' || r === null) return undefined;
    const { metric, values } = r as { metric?: unknown; values?: unknown };
    if (!isLabels(metric) || !Array.isArray(values)) return undefined;
    const n = values.length;
    const seconds = new Float64Array(n);
    const readings = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const pair: unknown = values[i];
      if (!Array.isArray(pair) || pair.length !== 2) return undefined;
      const t: unknown = pair[0];
      const text: unknown = pair[1];
      if (typeof t !== 'number' || !(t >= 0 && t < 1e11) || typeof text !== 'string') return undefined;
      const v = parseNumberText(text);
      if (typeof v !== 'number') return undefined;
      seconds[i] = t;
      readings[i] = v;
    }
    out.push({ metric, seconds, values: readings });
  }
  return out;
}

function isLabels(x: unknown): x is Record<string, string> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  for (const v of Object.values(x)) if (typeof v !== 'string') return false;
  return true;
}

/**
 * The baseline series a saved replay keeps under `rolloutLens.baseline.result` (one per metric, named
 * by `__name__`), for the metrics read from the file: what `--save-trace` wrote, read back alike.
 */
function savedBaselines(doc: unknown, where: string, chosen: Map<string, number>, catalog: MetricCatalog): ParsedSeries | undefined {
  const saved = (doc as { rolloutLens?: { baseline?: unknown } }).rolloutLens?.baseline;
  if (saved === undefined) return undefined;
  const parsed = SavedBaselineSchema.safeParse(saved);
  if (!parsed.success) throw fieldError(where, prefixed(parsed.error, ['rolloutLens', 'baseline']));
  const series = new Map<string, MetricSeries>();
  const issues: DataIssue[] = [];
  resultsOf(parsed.data.result).forEach((r, i) => {
    const metric = r.metric.__name__;
    if (metric === undefined || !chosen.has(metric)) return;
    if (series.has(metric)) fieldFail(where, `rolloutLens.baseline.result[${i}]`, `a second baseline series for ${metric} (expected one per metric)`);
    const done = buildSeries(metric, r, where, `rolloutLens.baseline.result[${i}]`, catalog);
    series.set(metric, done.series);
    issues.push(...done.issues.map((d) => ({ ...d, metric: `${metric} baseline` })));
  });
  return series.size ? { series, issues } : undefined;
}

function prefixed(error: z.ZodError, path: string[]): z.ZodError {
  return new z.ZodError(error.issues.map((i) => ({ ...i, path: [...path, ...i.path] })));
}

/** Without METRIC=, every series names itself by `__name__`, and each name may appear once. */
function byName(results: Result[], where: string, catalog: MetricCatalog): Map<string, number> {
  const chosen = new Map<string, number>();
  results.forEach((r, i) => {
    const name = r.metric.__name__;
    if (name === undefined) {
      fieldFail(where, `data.result[${i}].metric`, `no __name__ label, so the series does not say which metric it is (expected METRIC=FILE, e.g. error_rate=${where})`);
    }
    if (!catalog.has(name)) fieldFail(where, `data.result[${i}].metric.__name__`, catalog.unknownMessage(name));
    if (chosen.has(name)) tooMany(results.filter((x) => x.metric.__name__ === name), name, where);
    chosen.set(name, i);
  });
  return chosen;
}

/**
 * With METRIC=, take the one series that matches: by label matchers if given, else by `__name__`, else the
 * only series there is. Several candidates are never summed or averaged — the user says which one.
 */
function pick(results: Result[], spec: Omit<TraceSpec, 'file'>, where: string): Map<string, number> {
  const metric = spec.metric!;
  let candidates = results.map((r, i) => ({ r, i }));
  if (spec.labels) {
    const want = Object.entries(spec.labels);
    candidates = candidates.filter(({ r }) => want.every(([k, v]) => r.metric[k] === v));
    if (candidates.length === 0) {
      fieldFail(where, 'data.result', `no series matches ${formatSelector(spec.labels)} (the file has ${results.map((r) => formatSelector(r.metric)).join(', ')})`);
    }
  } else if (candidates.length > 1) {
    const named = candidates.filter(({ r }) => r.metric.__name__ === metric);
    if (named.length > 0) candidates = named;
  }
  if (candidates.length > 1) tooMany(candidates.map(({ r }) => r), metric, where);
  return new Map([[metric, candidates[0].i]]);
}

function tooMany(results: Result[], metric: string, where: string): never {
  const shown = results.slice(0, 4).map((r) => formatSelector(withoutName(r.metric)));
  const more = results.length > 4 ? `, and ${results.length - 4} more` : '';
  return fieldFail(
    where,
    'data.result',
    `${results.length} series for ${metric}: ${shown.join(', ')}${more} (expected one; pick it with ${metric}${shown[0]}=${where}, or aggregate in the query)`,
  );
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  const rest = { ...labels };
  delete rest.__name__;
  return rest;
}
