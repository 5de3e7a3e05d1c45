/**
 * Trace files on disk. CSV streams through a fixed-size buffer, so a million-row (or multi-gigabyte) file
 * never sits in memory whole; JSON is read whole, up to a limit, because its structure needs the whole
 * document.
 */
import type { FileHandle } from 'node:fs/promises';
import { InputError, locate } from '../../errors';
import { openRegularFile } from '../../files';
import { CsvTraceParser, type ParsedSeries } from './csv';
import { detectFormat, JSON_EXPECTED, labelsOnlyForPrometheus, MAX_JSON_BYTES, parseJsonTrace, resultOnlyForCloudWatch } from './document';
import { LineSplitter } from './lines';
import type { MetricCatalog } from './metrics';
import type { TraceSpec } from './spec';

const CHUNK_BYTES = 1024 * 1024;

/**
 * The file opened once, and only if it is a regular file: a FIFO would block the open forever and a
 * device (`/dev/zero`) would stream forever. Every later read uses this descriptor, so the file
 * checked is the file read.
 */
async function openTrace(where: string, spec?: TraceSpec): Promise<{ handle: FileHandle; size: number }> {
  const { handle, stat } = await openRegularFile(where, 'a trace file', (e) => ioError(where, e, undefined, spec));
  return { handle, size: stat.size };
}

export async function parseTraceFile(spec: TraceSpec, catalog: MetricCatalog, signal?: AbortSignal, maxRows?: number): Promise<ParsedSeries> {
  const where = spec.file;
  const { handle, size } = await openTrace(where, spec);
  try {
    const format = detectFormat(await readHead(where, handle), where);
    signal?.throwIfAborted();
    if (format === 'json') {
      if (size > MAX_JSON_BYTES) {
        throw new InputError(
          locate(where, undefined, `${Math.round(size / 1048576)} MB of JSON (expected at most ${MAX_JSON_BYTES / 1048576} MB; export a longer trace as CSV, which streams)`),
          { file: where },
        );
      }
      const text = await io(where, () => handle.readFile({ encoding: 'utf8', signal }), signal);
      return parseJsonTrace(text, spec, where, catalog);
    }
    if (spec.labels) throw labelsOnlyForPrometheus(where);
    if (spec.result !== undefined) throw resultOnlyForCloudWatch(where, spec.result);
    return await streamCsv(where, handle, spec.metric, catalog, signal, maxRows);
  } finally {
    await handle.close();
  }
}

/** The floor a CSV parse cannot beat: read the file and find its lines, nothing else. */
export async function streamLines(file: string, onLine: (bytes: Uint8Array, start: number, end: number, line: number) => void, signal?: AbortSignal): Promise<number> {
  const splitter = new LineSplitter(onLine, file);
  const { handle } = await openTrace(file);
  try {
    await pump(file, handle, splitter, signal);
  } finally {
    await handle.close();
  }
  return splitter.lines;
}

async function streamCsv(where: string, handle: FileHandle, metric: string | undefined, catalog: MetricCatalog, signal?: AbortSignal, maxRows?: number): Promise<ParsedSeries> {
  const parser = new CsvTraceParser({ where, catalog, metric, maxRows });
  await pump(where, handle, new LineSplitter(parser.line, where), signal);
  return parser.finish();
}

async function pump(where: string, handle: FileHandle, splitter: LineSplitter, signal?: AbortSignal): Promise<void> {
  await io(
    where,
    async () => {
      // The caller closes the descriptor; the stream only reads it, from the start.
      const stream = handle.createReadStream({ start: 0, highWaterMark: CHUNK_BYTES, autoClose: false });
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

async function readHead(where: string, handle: FileHandle): Promise<Uint8Array> {
  return io(where, async () => {
    const head = new Uint8Array(1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
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
    throw ioError(where, e as NodeJS.ErrnoException, signal, spec);
  }
}

/** What the file system said, as an InputError naming the file (an abort stays an abort). */
function ioError(where: string, e: NodeJS.ErrnoException, signal?: AbortSignal, spec?: TraceSpec): unknown {
  if (signal?.aborted) return signal.reason;
  const code = e.code;
  const hint = spec && spec.metric === undefined && where.includes('=') ? '; to name the metric write METRIC=FILE with a lower-case metric name' : '';
  const why =
    code === 'ENOENT' ? `file not found (expected an existing trace file${hint})`
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied (expected a readable trace file)'
    : code === 'EISDIR' ? 'is a directory (expected a trace file)'
    : `cannot be read: ${code ?? e.message} (expected ${JSON_EXPECTED} or a CSV trace)`;
  return new InputError(locate(where, undefined, why), { file: where });
}
