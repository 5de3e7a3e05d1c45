/** Recognises a JSON trace document and hands it to its format's parser. */
import { InputError, locate } from '../../errors';
import { parseCloudWatch, isCloudWatchDocument } from './cloudwatch';
import type { ParsedSeries } from './csv';
import { parseJsonText } from '../../json';
import type { MetricCatalog } from './metrics';
import { isPrometheusDocument, parsePrometheus } from './prometheus';
import type { TraceSpec } from './spec';

export const JSON_EXPECTED = 'a Prometheus query_range response or a CloudWatch GetMetricData response';

/** Bigger JSON than this is read whole only at great cost; such exports should be CSV, which streams. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

export function parseJsonTrace(text: string, spec: Omit<TraceSpec, 'file'>, where: string, catalog: MetricCatalog): ParsedSeries {
  if (text.trim() === '') throw new InputError(locate(where, undefined, `empty file (expected ${JSON_EXPECTED})`), { file: where });
  const doc = parseJsonText(text, where, JSON_EXPECTED);
  if (isCloudWatchDocument(doc)) {
    if (spec.labels) throw labelsOnlyForPrometheus(where);
    return parseCloudWatch(doc, spec, where, catalog);
  }
  if (isPrometheusDocument(doc)) return parsePrometheus(doc, spec, where, catalog);
  throw new InputError(
    locate(where, undefined, `a JSON document of unknown shape (expected ${JSON_EXPECTED}: an object with data.result or MetricDataResults)`),
    { file: where },
  );
}

export function labelsOnlyForPrometheus(where: string): InputError {
  return new InputError(locate(where, undefined, 'label matchers in METRIC{…}=FILE apply to Prometheus files only (expected METRIC=FILE)'), {
    file: where,
  });
}

/** JSON if the first character that is not white space (or a byte order mark) opens an object or array. */
export function looksLikeJson(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  return head[i] === 123 || head[i] === 91;
}

/**
 * CSV or JSON, by content first: an export saved as `.txt` still loads. A `.json` name whose content is
 * not JSON is an error rather than a confusing CSV header complaint.
 */
export function detectFormat(head: Uint8Array, where: string): 'json' | 'csv' {
  if (looksLikeJson(head)) return 'json';
  const blank = head.every((c) => c === 32 || c === 9 || c === 10 || c === 13);
  if (/\.json$/i.test(where) && !blank) {
    throw new InputError(locate(where, undefined, `does not start with { (expected ${JSON_EXPECTED})`), { file: where });
  }
  return /\.json$/i.test(where) ? 'json' : 'csv';
}
