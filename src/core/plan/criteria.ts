/**
 * The seed's stage success criteria, made checkable against the stage's gates
 * (see CriterionSchema for what each kind means to the simulator).
 */
import type { Criterion, Gate } from './schema';

const TOLERANCE = 10;

/** A memory metric among the gates, if the policy defines one: "no memory leaks" can then be checked. */
function memoryMetric(gates: Gate[]): string | undefined {
  return gates.find((g) => /mem|heap|rss/.test(g.metric))?.metric;
}

const has = (gates: Gate[], metric: string) => gates.some((g) => g.metric === metric);

/** Stage 1: "Build succeeds, app healthy" — checked by a person (the seed's ZERO monitors deployment success only). */
export function infrastructureCriteria(gates: Gate[]): Criterion[] {
  const out: Criterion[] = [
    { id: 'build-succeeds', text: 'Build succeeds', kind: 'manual' },
    { id: 'app-healthy', text: 'App healthy (health checks pass after the deploy)', kind: 'manual' },
  ];
  if (gates.length) out.push({ id: 'no-critical', text: 'No gate reaches its critical threshold', kind: 'no-critical' });
  return out;
}

/** Stage 2: "No memory leaks, no new errors" — the new code should be silent. */
export function integrationCriteria(gates: Gate[]): Criterion[] {
  const mem = memoryMetric(gates);
  const out: Criterion[] = [
    mem
      ? { id: 'no-memory-leaks', text: `No memory leaks (${mem} does not trend up)`, kind: 'stable', metric: mem, tolerancePercent: TOLERANCE }
      : { id: 'no-memory-leaks', text: 'No memory leaks (no memory metric among the gates: check the dashboard)', kind: 'manual' },
  ];
  if (has(gates, 'error_rate')) {
    out.push({ id: 'no-new-errors', text: 'No new errors (error rate does not rise)', kind: 'stable', metric: 'error_rate', tolerancePercent: TOLERANCE });
  }
  out.push({ id: 'no-warning', text: 'No gate reaches its warning threshold', kind: 'no-warning' });
  return out;
}

/** Stage 3: "Error rate stable, latency within 10% baseline"; Level 1 at ANY critical alert. */
export function canaryCriteria(gates: Gate[]): Criterion[] {
  const out: Criterion[] = [];
  if (has(gates, 'error_rate')) out.push({ id: 'error-rate-stable', text: 'Error rate stable', kind: 'stable', metric: 'error_rate', tolerancePercent: TOLERANCE });
  if (has(gates, 'latency_p95_ms')) {
    out.push({ id: 'latency-within-baseline', text: 'Latency p95 within 10% of baseline', kind: 'relative-to-baseline', metric: 'latency_p95_ms', tolerancePercent: TOLERANCE });
  }
  out.push({ id: 'no-critical', text: 'No critical alert (ANY critical alert rolls back, Level 1)', kind: 'no-critical' });
  return out;
}

/** Stage 4: "Metrics stable at scale" — every metric, not only the canary's two. */
export function partialCriteria(gates: Gate[]): Criterion[] {
  const out: Criterion[] = gates
    .filter((g) => g.metric !== 'security_alerts')
    .map((g) => ({ id: `${g.metric}-stable`, text: `${g.label}: stable at scale`, kind: 'stable' as const, metric: g.metric, tolerancePercent: TOLERANCE }));
  out.push({ id: 'no-critical', text: 'No critical alert', kind: 'no-critical' });
  return out;
}

/** Stage 5: "Metrics scale linearly, no surprises". */
export function fullCriteria(gates: Gate[]): Criterion[] {
  const out: Criterion[] = gates
    .filter((g) => g.metric !== 'security_alerts')
    .map((g) => ({
      id: `${g.metric}-scales-linearly`,
      text: `${g.label}: scales linearly with traffic`,
      kind: 'scales-linearly' as const,
      metric: g.metric,
      tolerancePercent: 2 * TOLERANCE,
    }));
  out.push({ id: 'no-surprises', text: 'No surprises: no gate reaches its warning threshold', kind: 'no-warning' });
  out.push({ id: 'no-critical', text: 'No critical alert', kind: 'no-critical' });
  return out;
}
