/**
 * A recorded trace fetched straight from Prometheus: one query_range per metric the plan reads, with
 * the PromQL the exported AnalysisTemplate runs (`prometheus.queries`), split into chunks Prometheus
 * accepts and joined again. The answers are read by the same parser as a saved query_range file, so a
 * fetched trace and the file `--save-trace` writes replay alike.
 */
import { InputError } from '../errors';
import type { RolloutPlan } from '../plan/schema';
import { readMetrics, worseBelow } from '../sim/gated';
import type { ParsedSeries } from '../sim/traces/csv';
import { mergeParsed } from '../sim/traces/merge';
import { MetricCatalog } from '../sim/traces/metrics';
import { parsePrometheus } from '../sim/traces/prometheus';
import { formatSelector } from '../sim/traces/spec';
import type { DataIssue, Trace } from '../sim/trace';
import { shortDuration } from './duration';
import { DEFAULT_HTTP, queryRange, queryRangeForm, queryRangeUrl, type HttpOptions, type QueryAnswer } from './http';
import { rangeChunks } from './range';

export interface ReplaySource {
  /** The server's base URL, as the user gave it. */
  url: string;
  /** `prometheus.queries` of the policy: PromQL per metric name. */
  queries: Readonly<Record<string, string>>;
  /** `prometheus.baseline` of the policy: PromQL of the stable version's series, per metric, beside its query. */
  baselines?: Readonly<Record<string, string>>;
  /** The policy file the queries came from, for messages (`.rollout-lens.json` when there is none). */
  policyFile?: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
}

/** One raw series of a query_range answer, as Prometheus sends it. */
interface RawSeries {
  metric: Record<string, string>;
  values: unknown[];
}

/** A query_range document holding one series per metric, named by `__name__`: what `--trace FILE` reads back. */
export interface SavedTrace {
  status: 'success';
  data: { resultType: 'matrix'; result: RawSeries[] };
  rolloutLens: {
    prometheus: string;
    from: string;
    to: string;
    step: string;
    queries: Record<string, string>;
    /** The baseline series fetched beside the canary's, one per metric named by `__name__`, and their queries. */
    baseline?: { queries: Record<string, string>; result: RawSeries[] };
  };
}

export interface FetchedTrace {
  trace: Trace;
  saved: SavedTrace;
  /** Metrics whose query matched nothing in the range. */
  empty: string[];
}

/** A gated metric with no query is bad input: say which line to add, or how to turn the gate off. */
export function checkQueries(plan: RolloutPlan, source: Pick<ReplaySource, 'queries' | 'policyFile'>): void {
  const gated = new Map<string, { label: string; unit: string }>();
  for (const st of plan.stages) for (const g of st.gates) if (!gated.has(g.metric)) gated.set(g.metric, g);
  const missing = [...gated.keys()].filter((m) => !Object.hasOwn(source.queries, m));
  if (missing.length === 0) return;
  const file = source.policyFile ?? '.rollout-lens.json';
  const [first] = missing;
  const { label, unit } = gated.get(first)!;
  const which = missing.length === 1 ? `the gated metric ${first} has` : `the gated metrics ${missing.join(', ')} have`;
  throw new InputError(
    `${file}: ${which} no Prometheus query (expected "prometheus": {"queries": {"${first}": "<PromQL returning ${label} in ${unit}>"}}, or "gates": {"${first}": {"enabled": false}} to turn the gate off)`,
    { file, field: `prometheus.queries.${first}` },
  );
}

/**
 * Fetches every metric the plan reads, chunk by chunk, one metric ahead: Prometheus evaluates the
 * next query while this one is parsed. A failure cancels the requests still in flight.
 */
export async function fetchTrace(plan: RolloutPlan, source: ReplaySource, http: Partial<HttpOptions> = {}): Promise<FetchedTrace> {
  checkQueries(plan, source);
  const url = queryRangeUrl(source.url);
  const shown = source.url;
  const file = source.policyFile ?? '.rollout-lens.json';
  const catalog = new MetricCatalog(readMetrics(plan), worseBelow(plan));
  const chunks = rangeChunks(source.fromMs, source.toMs, source.stepMs);
  const wanted = readMetrics(plan).filter((m) => Object.hasOwn(source.queries, m));
  const baselines = source.baselines ?? {};
  // Each metric's query, then its baseline's where the policy gives one: fetched in this order, one ahead.
  const jobs = wanted.flatMap((metric) => [
    { metric, query: source.queries[metric], field: `prometheus.queries.${metric}`, baseline: false },
    ...(Object.hasOwn(baselines, metric) ? [{ metric, query: baselines[metric], field: `prometheus.baseline.${metric}`, baseline: true }] : []),
  ]);
  const cancel = new AbortController();
  const opts = { ...DEFAULT_HTTP, ...http, signal: http.signal ? AbortSignal.any([http.signal, cancel.signal]) : cancel.signal };

  /** The answers for one query, chunk after chunk, up to the first refusal. */
  const answersFor = async (query: string): Promise<QueryAnswer[]> => {
    const answers: QueryAnswer[] = [];
    for (const chunk of chunks) {
      const answer = await queryRange(url, queryRangeForm(query, chunk, source.stepMs), shown, opts);
      answers.push(answer);
      if (!answer.ok) break;
    }
    return answers;
  };
  const pending: (Promise<QueryAnswer[]> | undefined)[] = [];
  const begin = (i: number) => {
    if (i >= jobs.length || pending[i]) return;
    const p = answersFor(jobs[i].query);
    // Handled where it is awaited; this keeps a failure of one fetched ahead from going unhandled meanwhile.
    p.catch(() => undefined);
    pending[i] = p;
  };

  const parts: { where: string; parsed: ParsedSeries }[] = [];
  const saved: RawSeries[] = [];
  const empty: string[] = [];
  const issues: DataIssue[] = [];
  const queries: Record<string, string> = {};
  const baselineParts: { where: string; parsed: ParsedSeries }[] = [];
  const savedBaseline: NonNullable<SavedTrace['rolloutLens']['baseline']> = { queries: {}, result: [] };
  try {
    for (let i = 0; i < jobs.length; i++) {
      begin(i);
      begin(i + 1);
      const answers = await pending[i]!;
      const { metric, field, baseline } = jobs[i];
      if (baseline) savedBaseline.queries[metric] = jobs[i].query;
      else queries[metric] = jobs[i].query;
      const bySeries = new Map<string, RawSeries>();
      for (const answer of answers) {
        if (!answer.ok) {
          const { errorType, error, status } = answer.refusal;
          throw new InputError(`${file}: ${field}: Prometheus refused the query (HTTP ${status}${errorType ? `, ${errorType}` : ''}): ${error}`, { file, field });
        }
        for (const r of resultsOf(answer.doc, metric, field, catalog)) {
          const key = formatSelector(sortedLabels(r.metric));
          const known = bySeries.get(key);
          if (known) for (const v of r.values) known.values.push(v);
          else bySeries.set(key, { metric: r.metric, values: r.values });
        }
      }
      if (bySeries.size > 1) throw severalSeries(file, field, metric, [...bySeries.values()]);
      const only = bySeries.values().next().value;
      if (!only && baseline) {
        issues.push({ metric, kind: 'no-data', count: 0, message: `${field}: no data from ${iso(source.fromMs)} to ${iso(source.toMs)} (the canary is not judged against a baseline without readings)` });
        continue;
      }
      if (!only) {
        empty.push(metric);
        issues.push({ metric, kind: 'no-data', count: 0, message: `${field}: no data from ${iso(source.fromMs)} to ${iso(source.toMs)} (the gate reads this as no data, never as a pass)` });
        continue;
      }
      const doc = { status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: metric }, values: only.values }] } };
      const parsed = parsePrometheus(doc, { metric }, field, catalog);
      if (baseline) {
        baselineParts.push({ where: field, parsed });
        savedBaseline.result.push(doc.data.result[0]);
      } else {
        parts.push({ where: field, parsed });
        saved.push(doc.data.result[0]);
      }
    }
  } finally {
    cancel.abort();
  }
  const merged = mergeParsed(parts);
  const base = mergeParsed(baselineParts);
  const trace: Trace = { source: shown, series: merged.series, issues: [...issues, ...merged.issues, ...base.issues], ...(base.series.size ? { baselines: base.series } : {}) };
  const withBaseline = Object.keys(savedBaseline.queries).length ? { baseline: savedBaseline } : {};
  return {
    trace,
    empty,
    saved: {
      status: 'success',
      data: { resultType: 'matrix', result: saved },
      rolloutLens: { prometheus: shown, from: iso(source.fromMs), to: iso(source.toMs), step: shortDuration(source.stepMs), queries, ...withBaseline },
    },
  };
}

/** The series of an answer, loosely: the parser checks every field once the chunks are joined. */
function resultsOf(doc: unknown, metric: string, field: string, catalog: MetricCatalog): RawSeries[] {
  const result = (doc as { data?: { result?: unknown } } | null)?.data?.result;
  if (!Array.isArray(result)) {
    // Not a matrix: the parser says which field is wrong.
    parsePrometheus(doc, { metric }, field, catalog);
    throw new InputError(`the answer has no data.result (expected a query_range matrix)`, { field });
  }
  return result.map((r: unknown) => {
    const x = (r ?? {}) as { metric?: unknown; values?: unknown };
    const labels = typeof x.metric === 'object' && x.metric !== null ? (x.metric as Record<string, string>) : {};
    return { metric: labels, values: Array.isArray(x.values) ? (x.values as unknown[]) : [] };
  });
}

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Several series are never summed or averaged here: the query says how, so the rollout engine reads the same number. */
function severalSeries(file: string, field: string, metric: string, series: RawSeries[]): InputError {
  const shown = series.slice(0, 4).map((s) => formatSelector(Object.fromEntries(Object.entries(s.metric).filter(([k]) => k !== '__name__'))));
  const more = series.length > 4 ? `, and ${series.length - 4} more` : '';
  const worst = metric === 'success_rate' ? 'min' : 'max';
  return new InputError(
    `${file}: ${field}: the query returns ${series.length} series: ${shown.join(', ')}${more} (expected one; aggregate them in the query, e.g. ${worst}(…) or sum(…) for a total)`,
    { file, field },
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
