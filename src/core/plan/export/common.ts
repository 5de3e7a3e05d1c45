/** What both exporters share: options, the gates to analyse, the Prometheus queries and durations. */
import { InputError } from '../../errors';
import type { Gate, RolloutPlan, Step } from '../schema';
import { failureLimitOf, holeLimit, warningLimitOf } from '../../sim/gate';

/** A Kubernetes object as plain JSON. */
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };

export interface ExportOptions {
  /** Name of the Rollout / Canary (and prefix of the analysis objects). */
  name?: string;
  namespace?: string;
  /** The existing Deployment the rollout takes over; defaults to `name`. */
  deployment?: string;
  /** The Service port Flagger routes (Flagger requires one). */
  port?: number;
  /** From the policy's `prometheus` field. */
  prometheus?: { address?: string; queries?: Record<string, string>; baseline?: Record<string, string> };
}

export interface ExportResult {
  objects: KubeObject[];
  /** Lines a person must act on before applying the manifests (a metric with no query…). */
  warnings: string[];
  /** Where the engine decides differently from the plan's gates: written as comment lines above the YAML. */
  notes: string[];
}

export const DEFAULT_NAME = 'my-service';
export const DEFAULT_PROMETHEUS = 'http://prometheus.monitoring:9090';
/** The plan's gates read one sample a minute, as the simulator does. */
export const SAMPLE_MINUTES = 1;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes names are DNS-1123 labels: checked here so a bad name fails before `kubectl apply`. */
export function checkName(value: string, field: 'export.name' | 'export.namespace' | 'export.deployment'): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw new InputError(`expected a Kubernetes name (lowercase letters, digits and "-", at most 63 characters), got "${value}"`, { field });
  }
  return value;
}

export interface Resolved {
  name: string;
  namespace?: string;
  deployment: string;
  port: number;
  address: string;
  queries: Record<string, string>;
}

export function resolveOptions(opts: ExportOptions): Resolved {
  const name = checkName(opts.name ?? DEFAULT_NAME, 'export.name');
  const port = opts.port ?? 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`expected a port number 1–65535, got ${port}`, { field: 'export.port' });
  return {
    name,
    namespace: opts.namespace === undefined ? undefined : checkName(opts.namespace, 'export.namespace'),
    deployment: checkName(opts.deployment ?? name, 'export.deployment'),
    port,
    address: opts.prometheus?.address ?? DEFAULT_PROMETHEUS,
    queries: opts.prometheus?.queries ?? {},
  };
}

export function metadata(r: Resolved, name: string): KubeObject['metadata'] {
  return r.namespace === undefined ? { name } : { name, namespace: r.namespace };
}

/** Metric names become parts of Kubernetes names: `error_rate` → `error-rate`. */
export function kubeName(metric: string): string {
  return metric.replace(/_/g, '-');
}

/** Steps of the required stages, in order. */
export function requiredSteps(plan: RolloutPlan): Step[] {
  return plan.stages.filter((s) => s.required).flatMap((s) => s.steps);
}

/** Each gated metric once, as the first required stage that gates it defines it (stages share one gate table). */
export function analysedGates(plan: RolloutPlan): Gate[] {
  const seen = new Map<string, Gate>();
  for (const stage of plan.stages.filter((s) => s.required)) for (const g of stage.gates) if (!seen.has(g.metric)) seen.set(g.metric, g);
  return [...seen.values()];
}

/**
 * The PromQL for a gate, or a placeholder that returns no data: both engines count "no data" as a failed
 * measurement, so an unfilled query stops the rollout instead of passing it.
 */
export function queryFor(gate: Gate, r: Resolved): { query: string; placeholder: boolean } {
  // Gate names are the user's (`constructor` is one): only the policy's own entries count.
  const q = Object.hasOwn(r.queries, gate.metric) ? r.queries[gate.metric] : undefined;
  if (q !== undefined) return { query: q, placeholder: false };
  return {
    query: `# PLACEHOLDER: set prometheus.queries.${gate.metric} in .rollout-lens.json to PromQL returning ${gate.label} in ${gate.unit}\nrollout_lens_query_missing{metric="${gate.metric}"}`,
    placeholder: true,
  };
}

/** The stderr lines for metrics still on a placeholder query, and for a default Prometheus address. */
export function queryWarnings(engine: string, gates: readonly Gate[], r: Resolved, hasAddress: boolean): string[] {
  const missing = gates.filter((g) => queryFor(g, r).placeholder);
  const lines = missing.map(
    (g) => `${engine}: metric "${g.metric}" (${g.label}) has no Prometheus query: set prometheus.queries.${g.metric} in .rollout-lens.json (the exported placeholder fails the analysis)`,
  );
  if (gates.length > 0 && !hasAddress) lines.push(`${engine}: no prometheus.address in .rollout-lens.json: using ${DEFAULT_PROMETHEUS}`);
  return lines;
}

/**
 * The stderr lines for `prometheus.baseline` queries of analysed gates: neither export writes the
 * canary-against-baseline comparison (a Mann–Whitney test of two series), and each says why.
 */
export function baselineWarnings(engine: 'argo-rollouts' | 'flagger', gates: readonly Gate[], opts: ExportOptions): string[] {
  const baseline = opts.prometheus?.baseline ?? {};
  const why =
    engine === 'argo-rollouts'
      ? "Argo Rollouts judges a canary against its baseline only through its Kayenta provider (a Kayenta server and a canary config holding both queries), which the export cannot create; its Prometheus metrics test one query against fixed thresholds. To keep the comparison, add a kayenta metric to the AnalysisTemplate by hand"
      : 'Flagger checks each metric against a fixed thresholdRange and has no statistical test of two series';
  return gates
    .filter((g) => Object.hasOwn(baseline, g.metric))
    .map((g) => `${engine}: prometheus.baseline.${g.metric} is not exported: ${why}; the exported gate keeps its thresholds only`);
}

/** Hours as a Go duration with whole units (`8h`, `90m`), as both engines parse it. */
export function goDuration(hours: number): string {
  const minutes = Math.round(hours * 60);
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/** The number of samples a gate needs over its threshold before it fires: `consecutive`, or the sustain time. */
export function samplesToFire(gate: Gate): number {
  return Math.max(gate.consecutive, Math.ceil(gate.sustainMinutes / SAMPLE_MINUTES), 1);
}

/**
 * The fewest critical samples after which the plan's gate can roll back: its rule in a row, or its
 * cumulative `failureLimit`, whichever is smaller. An engine that only counts failures cumulatively
 * gets this count, so it never fires later than the plan's gate would.
 */
export function failuresToFire(gate: Gate): number {
  return Math.min(samplesToFire(gate), failureLimitOf(gate, SAMPLE_MINUTES));
}

/** Warning-band samples after which the plan's gate holds. */
export function warningsToHold(gate: Gate): number {
  return warningLimitOf(gate);
}

/** Failed or empty queries in a row that make a hole in a series sampled every `SAMPLE_MINUTES`. */
export function silentSamples(): number {
  return Math.floor(holeLimit(SAMPLE_MINUTES) / SAMPLE_MINUTES);
}
