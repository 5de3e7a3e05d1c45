/**
 * Faults the view offers to lay over a scenario or a recorded trace: a regression only the new
 * version carries, weighted by its traffic share (src/core/sim/fault.ts). Sized against the
 * seed's thresholds, so each one tells a different story at a canary.
 */
export interface FaultPreset {
  name: string;
  description: string;
  fault: { metric: string; delta?: number; factor?: number };
}

export const FAULT_PRESETS: readonly FaultPreset[] = [
  { name: 'errors+1%', description: 'the new version fails 1 % more requests', fault: { metric: 'error_rate', delta: 1 } },
  { name: 'errors+5%', description: 'the new version fails 5 % more requests', fault: { metric: 'error_rate', delta: 5 } },
  { name: 'latency-x3', description: 'the new version is three times slower at p95', fault: { metric: 'latency_p95_ms', factor: 3 } },
  { name: 'success-2%', description: 'the new version succeeds 2 % less often', fault: { metric: 'success_rate', delta: -2 } },
  { name: 'db-errors+500', description: 'the new version adds 500 failing queries a minute', fault: { metric: 'db_errors_per_min', delta: 500 } },
];

export function faultPreset(name: string): FaultPreset {
  const p = FAULT_PRESETS.find((f) => f.name === name);
  if (!p) throw new Error(`unknown fault "${name}" (expected one of ${FAULT_PRESETS.map((f) => f.name).join(', ')})`);
  return p;
}
