/**
 * A trace whose text is already in memory (the webview's file picker). No Node APIs here, so the browser
 * bundle can use it; large files go through `loadTrace`, which streams.
 */
import type { Trace } from '../trace';
import { CsvTraceParser } from './csv';
import { detectFormat, labelsOnlyForPrometheus, parseJsonTrace } from './document';
import { LineSplitter } from './lines';
import { MetricCatalog } from './metrics';
import { mergeParsed } from './merge';
import { parseSpec } from './spec';

export interface TextTraceOptions {
  /** The metric of a single-series file, or which of its metrics to take (what METRIC=FILE says on the CLI). */
  metric?: string;
  /** Custom metric names a file may carry besides the built-in five. */
  allowMetrics?: readonly string[];
}

/** `name` is the file name messages show; it may also be written `METRIC=FILE`. */
export function parseTraceText(text: string, name: string, opts: TextTraceOptions = {}): Trace {
  const spec = parseSpec(name);
  const where = spec.file;
  const metric = opts.metric ?? spec.metric;
  const catalog = new MetricCatalog(opts.allowMetrics);
  const bytes = new TextEncoder().encode(text);
  if (detectFormat(bytes.subarray(0, 1024), where) === 'json') {
    return mergeParsed([{ where, parsed: parseJsonTrace(text, { metric, labels: spec.labels }, where, catalog) }]);
  }
  if (spec.labels) throw labelsOnlyForPrometheus(where);
  const parser = new CsvTraceParser({ where, catalog, metric });
  const splitter = new LineSplitter(parser.line, where);
  splitter.push(bytes);
  splitter.end();
  return mergeParsed([{ where, parsed: parser.finish() }]);
}
