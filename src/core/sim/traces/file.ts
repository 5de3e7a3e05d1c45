/**
 * Trace files on disk. CSV streams through a fixed-size buffer, so a million-row (or multi-gigabyte) file
 * never sits in memory whole; JSON is read whole, up to a limit, because its structure needs the whole
 * document.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { InputError, locate } from '../../errors';
import { CsvTraceParser, type ParsedSeries } from './csv';
import { detectFormat, JSON_EXPECTED, labelsOnlyForPrometheus, MAX_JSON_BYTES, parseJsonTrace } from './document';
import { LineSplitter } from './lines';
import type { MetricCatalog } from './metrics';
import type { TraceSpec } from './spec';

const CHUNK_BYTES = 1024 * 1024;

export async function parseTraceFile(spec: TraceSpec, catalog: MetricCatalog, signal?: AbortSignal, maxRows?: number): Promise<ParsedSeries> {
  const where = spec.file;
  const size = await fileSize(where, spec);
  const format = detectFormat(await readHead(where), where);
  signal?.throwIfAborted();
  if (format === 'json') {
    if (size > MAX_JSON_BYTES) {
      throw new InputError(
        locate(where, undefined, `${Math.round(size / 1048576)} MB of JSON (expected at most ${MAX_JSON_BYTES / 1048576} MB; export a longer trace as CSV, which streams)`),
        { file: where },
      );
    }
    const text = await io(where, () => readFile(where, { encoding: 'utf8', signal }), signal);
    return parseJsonTrace(text, spec, where, catalog);
  }
  if (spec.labels) throw labelsOnlyForPrometheus(where);
  return streamCsv(where, spec.metric, catalog, signal, maxRows);
}

/** The floor a CSV parse cannot beat: read the file and find its lines, nothing else. */
export async function streamLines(file: string, onLine: (bytes: Uint8Array, start: number, end: number, line: number) => void, signal?: AbortSignal): Promise<number> {
  const splitter = new LineSplitter(onLine, file);
  await pump(file, splitter, signal);
  return splitter.lines;
}

async function streamCsv(where: string, metric: string | undefined, catalog: MetricCatalog, signal?: AbortSignal, maxRows?: number): Promise<ParsedSeries> {
  const parser = new CsvTraceParser({ where, catalog, metric, maxRows });
  await pump(where, new LineSplitter(parser.line, where), signal);
  return parser.finish();
}

async function pump(where: string, splitter: LineSplitter, signal?: AbortSignal): Promise<void> {
  await io(
    where,
    async () => {
      const stream = createReadStream(where, { highWaterMark: CHUNK_BYTES });
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          signal?.throwIfAborted();
          splitter.push(chunk);
        }
      } finally {
        stream.destroy();
      }
      splitter.end();
    },
    signal,
  );
}

async function fileSize(where: string, spec: TraceSpec): Promise<number> {
  const st = await io(where, () => stat(where), undefined, spec);
  if (st.isDirectory()) throw new InputError(locate(where, undefined, 'is a directory (expected a trace file)'), { file: where });
  return st.size;
}

async function readHead(where: string): Promise<Uint8Array> {
  return io(where, async () => {
    const fh = await open(where, 'r');
    try {
      const head = new Uint8Array(1024);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  });
}

/**
 * Runs a file operation and turns what the file system says into an InputError naming the file. Parse
 * errors pass through; an abort stays an abort, so callers can tell "cancelled" from "bad input".
 */
async function io<T>(where: string, run: () => Promise<T>, signal?: AbortSignal, spec?: TraceSpec): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (signal?.aborted) throw signal.reason;
    const code = (e as NodeJS.ErrnoException).code;
    const hint = spec && spec.metric === undefined && where.includes('=') ? '; to name the metric write METRIC=FILE with a lower-case metric name' : '';
    const why =
      code === 'ENOENT' ? `file not found (expected an existing trace file${hint})`
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied (expected a readable trace file)'
      : code === 'EISDIR' ? 'is a directory (expected a trace file)'
      : `cannot be read: ${code ?? (e instanceof Error ? e.message : String(e))} (expected ${JSON_EXPECTED} or a CSV trace)`;
    throw new InputError(locate(where, undefined, why), { file: where });
  }
}
