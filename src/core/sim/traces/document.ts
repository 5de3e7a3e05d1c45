/** Recognises a JSON trace document and hands it to its format's parser. */
import { InputError, locate } from '../../errors';
import { parseCloudWatch, isCloudWatchDocument } from './cloudwatch';
import type { ParsedSeries } from './csv';
import { parseJsonText, stripBom } from '../../json';
import type { MetricCatalog } from './metrics';
import { isPrometheusDocument, parsePrometheus } from './prometheus';
import type { TraceSpec } from './spec';

export const JSON_EXPECTED = 'a Prometheus query_range response or a CloudWatch GetMetricData response';

/** Bigger JSON than this is read whole only at great cost; such exports should be CSV, which streams. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

export function parseJsonTrace(text: string, spec: Omit<TraceSpec, 'file'>, where: string, catalog: MetricCatalog): ParsedSeries {
  if (text.trim() === '') throw new InputError(locate(where, undefined, `empty file (expected ${JSON_EXPECTED})`), { file: where });
  const doc = parseDocuments(text, where);
  if (isCloudWatchDocument(doc)) {
    if (spec.labels) throw labelsOnlyForPrometheus(where);
    return parseCloudWatch(doc, spec, where, catalog);
  }
  if (spec.result !== undefined) throw resultOnlyForCloudWatch(where, spec.result);
  if (isPrometheusDocument(doc)) return parsePrometheus(doc, spec, where, catalog);
  throw new InputError(
    locate(where, undefined, `a JSON document of unknown shape (expected ${JSON_EXPECTED}: an object with data.result or MetricDataResults)`),
    { file: where },
  );
}

export function resultOnlyForCloudWatch(where: string, name: string): InputError {
  return new InputError(
    locate(where, undefined, `#${name} picks a result of a CloudWatch GetMetricData export, and this file is not one (expected METRIC=FILE, or METRIC{label="value"}=FILE for Prometheus)`),
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

/**
 * One JSON document, or several written one after the other (each page of a paged export appended to
 * one file), read as an array of them. Text that is neither gets the single document's syntax error.
 */
function parseDocuments(text: string, where: string): unknown {
  try {
    return parseJsonText(text, where, JSON_EXPECTED);
  } catch (e) {
    const pieces = splitTopLevel(stripBom(text));
    if (pieces.length < 2) throw e;
    try {
      return pieces.map((p) => JSON.parse(p) as unknown);
    } catch {
      throw e;
    }
  }
}

/** The top-level objects of a text of concatenated JSON objects; [] when the text is anything else. */
function splitTopLevel(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = -1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) {
        if (c === '[') return [];
        start = i;
      }
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth < 0) return [];
      if (depth === 0) pieces.push(text.slice(start, i + 1));
    } else if (depth === 0 && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return [];
  }
  return depth === 0 ? pieces : [];
}
