/**
 * CloudWatch `GetMetricData` responses (`aws cloudwatch get-metric-data` output): one result per query Id,
 * timestamps and values in parallel arrays, newest first by default.
 */
import { z } from 'zod';
import type { DataIssue, MetricSeries } from '../trace';
import type { ParsedSeries } from './csv';
import { fieldError, fieldFail } from './json';
import type { MetricCatalog } from './metrics';
import { SeriesBuilder } from './series';
import type { TraceSpec } from './spec';
import { parseTimestampText, TIMESTAMP_EXPECTED } from './timestamps';

const Timestamp = z.union([z.string(), z.number()]).transform((raw, ctx) => {
  const t = parseTimestampText(String(raw));
  if (Number.isNaN(t)) {
    ctx.addIssue({ code: 'custom', message: TIMESTAMP_EXPECTED });
    return z.NEVER;
  }
  return t;
});

export const CloudWatchResultSchema = z.object({
  Id: z.string(),
  Label: z.string().optional(),
  Timestamps: z.array(Timestamp),
  Values: z.array(z.number()),
  StatusCode: z.enum(['Complete', 'PartialData', 'InternalError', 'Forbidden']).default('Complete'),
});

export const CloudWatchDocumentSchema = z.object({
  MetricDataResults: z.array(CloudWatchResultSchema),
});
type Result = z.infer<typeof CloudWatchResultSchema>;

export function isCloudWatchDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && 'MetricDataResults' in doc;
}

export function parseCloudWatch(doc: unknown, spec: Omit<TraceSpec, 'file'>, where: string, catalog: MetricCatalog): ParsedSeries {
  const parsed = CloudWatchDocumentSchema.safeParse(doc);
  if (!parsed.success) throw fieldError(where, parsed.error);
  const results = parsed.data.MetricDataResults;
  if (results.length === 0) fieldFail(where, 'MetricDataResults', 'no results (expected at least one metric query result)');
  const chosen = spec.metric === undefined ? byName(results, where, catalog) : pick(results, spec.metric, where);

  const series = new Map<string, MetricSeries>();
  const issues: DataIssue[] = [];
  for (const [metric, index] of chosen) {
    const r = results[index];
    const field = `MetricDataResults[${index}]`;
    if (r.StatusCode === 'InternalError' || r.StatusCode === 'Forbidden') {
      fieldFail(where, `${field}.StatusCode`, `${JSON.stringify(r.StatusCode)}: CloudWatch returned no data for ${r.Id} (expected Complete or PartialData)`);
    }
    if (r.Timestamps.length !== r.Values.length) {
      fieldFail(where, `${field}.Values`, `${r.Values.length} values for ${r.Timestamps.length} timestamps (expected one value per timestamp)`);
    }
    const builder = new SeriesBuilder(metric, where, (i) => `${field}.Values[${i}]`);
    // Newest first is CloudWatch's default order, not a data problem: read it backwards.
    const n = r.Timestamps.length;
    const reversed = n > 1 && r.Timestamps[0] > r.Timestamps[n - 1];
    for (let k = 0; k < n; k++) {
      const i = reversed ? n - 1 - k : k;
      builder.add(r.Timestamps[i], r.Values[i], i);
    }
    const done = builder.finish();
    series.set(metric, done.series);
    issues.push(...done.issues);
    if (r.StatusCode === 'PartialData') {
      issues.push({
        metric,
        kind: 'partial',
        count: 1,
        message: `${where}: ${metric}: CloudWatch returned partial data for ${r.Id} (StatusCode PartialData; fetch the rest with NextToken)`,
      });
    }
  }
  return { series, issues };
}

/** Without METRIC=, a result is named by its Id, or by its Label when the Id is not a metric name. */
function byName(results: Result[], where: string, catalog: MetricCatalog): Map<string, number> {
  const chosen = new Map<string, number>();
  results.forEach((r, i) => {
    const name = catalog.has(r.Id) ? r.Id : r.Label !== undefined && catalog.has(r.Label) ? r.Label : undefined;
    if (name === undefined) fieldFail(where, `MetricDataResults[${i}].Id`, catalog.unknownMessage(r.Id));
    if (chosen.has(name)) fieldFail(where, `MetricDataResults[${i}]`, `a second result for ${name} (expected each metric once)`);
    chosen.set(name, i);
  });
  return chosen;
}

function pick(results: Result[], metric: string, where: string): Map<string, number> {
  const matching = results.flatMap((r, i) => (r.Id === metric || r.Label === metric ? [i] : []));
  if (matching.length === 1) return new Map([[metric, matching[0]]]);
  if (matching.length === 0 && results.length === 1) return new Map([[metric, 0]]);
  const ids = results.map((r) => r.Id).join(', ');
  return fieldFail(
    where,
    'MetricDataResults',
    matching.length === 0
      ? `no result with Id or Label ${metric} (the file has ${ids}; expected METRIC to be one of them)`
      : `${matching.length} results named ${metric} (expected one)`,
  );
}
