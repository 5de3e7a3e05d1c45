/**
 * One `query_range` call with Node's fetch: a timeout per request, a bounded retry when the server
 * is briefly away (a 5xx, a reset or refused connection), and no retry on what the server refused
 * (a 4xx is its answer). Every failure is one sentence naming the server.
 */
import { InputError } from '../errors';
import type { RangeChunk } from './range';

export interface HttpOptions {
  /** Milliseconds one request may take, headers and body. */
  timeoutMs: number;
  /** Further attempts after a 5xx or a lost connection. */
  retries: number;
  /** Milliseconds before the first retry; each later one waits twice as long. */
  backoffMs: number;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string;
  signal?: AbortSignal;
}

export const DEFAULT_HTTP: HttpOptions = { timeoutMs: 30_000, retries: 2, backoffMs: 250 };

/** A response bigger than this is not one series: refuse it before it fills memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The server could not be reached or kept failing: not the user's input, so the CLI exits 1. */
export class PrometheusUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusUnavailable';
  }
}

/** Prometheus's own error answer (`status: "error"`), with the HTTP status it came with. */
export interface PrometheusRefusal {
  status: number;
  errorType: string;
  error: string;
}

export type QueryAnswer = { ok: true; doc: unknown } | { ok: false; refusal: PrometheusRefusal };

/** `http://host:9090/prefix/` → `http://host:9090/prefix/api/v1/query_range`, checked as a URL a fetch can use. */
export function queryRangeUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new InputError(`--prometheus: expected the server's URL such as http://localhost:9090, got "${base}"`, { field: '--prometheus' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`--prometheus: expected an http:// or https:// URL, got "${base}"`, { field: '--prometheus' });
  }
  if (url.username || url.password) {
    throw new InputError('--prometheus: the URL holds credentials (expected none in it; give a bearer token in ROLLOUT_LENS_PROMETHEUS_TOKEN)', { field: '--prometheus' });
  }
  if (url.search || url.hash) throw new InputError(`--prometheus: expected the server's base URL without ?query or #fragment, got "${base}"`, { field: '--prometheus' });
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query_range`;
  return url;
}

/** The form body of a query_range request: times in unix seconds, the step in seconds. */
export function queryRangeForm(query: string, chunk: RangeChunk, stepMs: number): URLSearchParams {
  return new URLSearchParams({ query, start: String(chunk.startMs / 1000), end: String(chunk.endMs / 1000), step: String(stepMs / 1000) });
}

export async function queryRange(url: URL, form: URLSearchParams, shownUrl: string, opts: HttpOptions): Promise<QueryAnswer> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= opts.retries;
    const outcome = await attemptOnce(url, form, shownUrl, opts);
    if (outcome.kind === 'answer') return outcome.answer;
    if (outcome.kind === 'final' || last) throw new PrometheusUnavailable(outcome.message + (attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''));
    await pause(opts.backoffMs * 2 ** attempt, opts.signal);
  }
}

type Attempt = { kind: 'answer'; answer: QueryAnswer } | { kind: 'retry' | 'final'; message: string };

async function attemptOnce(url: URL, form: URLSearchParams, shown: string, opts: HttpOptions): Promise<Attempt> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let status: number;
  let text: string;
  let type: string;
  let location: string | null;
  try {
    const res = await fetch(url, { method: 'POST', body: form, headers, signal, redirect: 'manual' });
    status = res.status;
    type = res.headers.get('content-type') ?? '';
    location = res.headers.get('location');
    text = await readBody(res, shown);
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (timeout.aborted) return { kind: 'final', message: `${shown}: Prometheus did not answer within ${opts.timeoutMs / 1000} s (expected a reachable server; a slow one may need a shorter --step or range)` };
    if (e instanceof InputError || e instanceof PrometheusUnavailable) throw e;
    return { kind: 'retry', message: `${shown}: cannot reach Prometheus (${networkCause(e)})` };
  }
  if (status >= 300 && status < 400) {
    // A redirect is followed by no one: the token would go wherever it points.
    throw new InputError(`${shown}: Prometheus answered HTTP ${status}, a redirect${location ? ` to ${location}` : ''} (expected the server's own base URL in --prometheus)`, { field: '--prometheus' });
  }
  if (status >= 500) return { kind: 'retry', message: `${shown}: Prometheus answered HTTP ${status}${refusalText(text)}` };
  if (status === 401 || status === 403) {
    throw new InputError(`${shown}: Prometheus answered HTTP ${status} (expected a valid bearer token in ROLLOUT_LENS_PROMETHEUS_TOKEN${opts.token ? '' : ', which is not set'})`, { field: '--prometheus' });
  }
  const doc = jsonOrUndefined(text);
  const refusal = asRefusal(doc, status);
  if (refusal) return { kind: 'answer', answer: { ok: false, refusal } };
  if (status !== 200 || doc === undefined) {
    const what = doc === undefined ? `${type.split(';')[0] || 'a body'} that is not JSON` : 'JSON that is not a Prometheus answer';
    throw new InputError(`${shown}: HTTP ${status} with ${what} (expected the base URL of a Prometheus server, e.g. http://localhost:9090)`, { field: '--prometheus' });
  }
  return { kind: 'answer', answer: { ok: true, doc } };
}

async function readBody(res: Response, shown: string): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new InputError(`${shown}: the answer exceeds ${MAX_BODY_BYTES / 1048576} MB (expected one series per query; aggregate in the query or use a longer --step)`, { field: '--prometheus' });
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asRefusal(doc: unknown, status: number): PrometheusRefusal | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const d = doc as { status?: unknown; errorType?: unknown; error?: unknown };
  if (d.status !== 'error') return undefined;
  return { status, errorType: String(d.errorType ?? ''), error: String(d.error ?? '').replace(/\s+/g, ' ').trim() };
}

function refusalText(text: string): string {
  const r = asRefusal(jsonOrUndefined(text), 0);
  return r ? `: ${r.errorType ? `${r.errorType}: ` : ''}${r.error}` : '';
}

/** What undici says under "fetch failed": the system error code, else its message. */
function networkCause(e: unknown): string {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    const c = cur as { code?: unknown; cause?: unknown };
    if (typeof c.code === 'string' && c.code !== 'UND_ERR_SOCKET') return c.code;
    if (!c.cause) break;
    cur = c.cause;
  }
  return ((cur as Error)?.message ?? String(cur)).replace(/\s+/g, ' ');
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
