/**
 * CloudWatch `GetMetricData` responses (`aws cloudwatch get-metric-data` output): one result per query Id,
 * timestamps and values in parallel arrays, newest first by default. A long range comes in pages: the
 * AWS CLI joins them into one MetricDataResults in which an Id appears once per page, and a script that
 * follows NextToken itself saves an array of responses (or the responses one after the other). Every
 * page of an Id is one series.
 */
import { z } from 'zod';
import { InputError } from '../../errors';
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
  NextToken: z.string().optional(),
});
type Result = z.infer<typeof CloudWatchResultSchema>;

function isResponse(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && 'MetricDataResults' in doc;
}

/** One response, or a non-empty array of them (pages saved by following NextToken). */
export function isCloudWatchDocument(doc: unknown): boolean {
  return isResponse(doc) || (Array.isArray(doc) && doc.length > 0 && doc.every(isResponse));
}

/** A result as read from one or more pages: `field` names where its first page is, for messages. */
interface Joined {
  result: Result;
  field: string;
}

/** The pages' results, one per Id in the order Ids first appear, each page's samples appended. */
function joinPages(doc: unknown, where: string): { results: Joined[]; more: boolean } {
  const pages = Array.isArray(doc) ? doc : [doc];
  const byId = new Map<string, Joined>();
  let more = false;
  pages.forEach((page, p) => {
    const prefix = Array.isArray(doc) ? `[${p}].` : '';
    const parsed = CloudWatchDocumentSchema.safeParse(page);
    if (!parsed.success) {
      const e = fieldError(where, parsed.error);
      throw prefix ? fieldRelabel(e, where, prefix) : e;
    }
    more = parsed.data.NextToken !== undefined && p === pages.length - 1;
    parsed.data.MetricDataResults.forEach((r, i) => {
      const field = `${prefix}MetricDataResults[${i}]`;
      if (r.Timestamps.length !== r.Values.length) {
        fieldFail(where, `${field}.Values`, `${r.Values.length} values for ${r.Timestamps.length} timestamps (expected one value per timestamp)`);
      }
      const seen = byId.get(r.Id);
      if (!seen) {
        byId.set(r.Id, { result: { ...r, Timestamps: [...r.Timestamps], Values: [...r.Values] }, field });
        return;
      }
      if (r.Label !== undefined && seen.result.Label !== undefined && r.Label !== seen.result.Label) {
        fieldFail(where, `${field}.Label`, `${JSON.stringify(r.Label)} for Id ${r.Id}, which ${seen.field} labels ${JSON.stringify(seen.result.Label)} (expected the pages of one query)`);
      }
      seen.result.Timestamps.push(...r.Timestamps);
      seen.result.Values.push(...r.Values);
      // A failed page fails the result; otherwise the last page says whether the data is complete.
      if (seen.result.StatusCode !== 'InternalError' && seen.result.StatusCode !== 'Forbidden') seen.result.StatusCode = r.StatusCode;
    });
  });
  return { results: [...byId.values()], more };
}

function fieldRelabel(e: InputError, where: string, prefix: string): InputError {
  const field = `${prefix}${e.where?.field ?? ''}`;
  return new InputError(e.message.replace(`field ${e.where?.field ?? ''}`, `field ${field}`), { file: where, field });
}

export function parseCloudWatch(doc: unknown, spec: Omit<TraceSpec, 'file'>, where: string, catalog: MetricCatalog): ParsedSeries {
  const { results: joined, more } = joinPages(doc, where);
  const results = joined.map((j) => j.result);
  if (results.length === 0) fieldFail(where, 'MetricDataResults', 'no results (expected at least one metric query result)');
  const chosen =
    spec.result !== undefined ? pickResult(results, spec.metric!, spec.result, where)
    : spec.metric === undefined ? byName(results, where, catalog)
    : pick(results, spec.metric, where);

  const series = new Map<string, MetricSeries>();
  const issues: DataIssue[] = [];
  for (const [metric, index] of chosen) {
    const r = results[index];
    const field = joined[index].field;
    if (r.StatusCode === 'InternalError' || r.StatusCode === 'Forbidden') {
      fieldFail(where, `${field}.StatusCode`, `${JSON.stringify(r.StatusCode)}: CloudWatch returned no data for ${r.Id} (expected Complete or PartialData)`);
    }
    const builder = new SeriesBuilder(metric, where, (i) => `${field}.Values[${i}]`, catalog.lowerIsWorse(metric));
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
    if (r.StatusCode === 'PartialData' || more) {
      issues.push({
        metric,
        kind: 'partial',
        count: 1,
        message: more
          ? `${where}: ${metric}: the export ends with a NextToken, so its later pages are missing for ${r.Id} (fetch every page with its NextToken and save them all)`
          : `${where}: ${metric}: CloudWatch returned partial data for ${r.Id} (StatusCode PartialData; fetch the rest with NextToken)`,
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

/** `METRIC=FILE#NAME`: the one result whose Id, or else whose Label, is NAME. */
function pickResult(results: Result[], metric: string, name: string, where: string): Map<string, number> {
  const byId = results.flatMap((r, i) => (r.Id === name ? [i] : []));
  const matching = byId.length ? byId : results.flatMap((r, i) => (r.Label === name ? [i] : []));
  if (matching.length === 1) return new Map([[metric, matching[0]]]);
  const names = results.map((r) => (r.Label !== undefined ? `${r.Id} (${JSON.stringify(r.Label)})` : r.Id)).join(', ');
  return fieldFail(
    where,
    'MetricDataResults',
    matching.length === 0
      ? `no result with Id or Label ${JSON.stringify(name)} (the file has ${names}; expected #NAME to be one of those Ids or Labels)`
      : `${matching.length} results labelled ${JSON.stringify(name)} (expected one; name the result by its Id)`,
  );
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
