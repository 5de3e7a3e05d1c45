import { parseFault } from '../core/sim/fault';

/**
 * Faults the view offers to lay over a scenario or a recorded trace: a regression only the new
 * version carries, weighted by its traffic share (src/core/sim/fault.ts). Each is named by the
 * `--fault` value the CLI takes, so `rollout-lens simulate --fault error_rate=+1` gives the
 * answer the view gives. Sized against the seed's thresholds, so each tells a different story.
 */
export interface FaultPreset {
  name: string;
  description: string;
}

export const FAULT_PRESETS: readonly FaultPreset[] = [
  { name: 'error_rate=+1', description: 'the new version fails 1 % more requests' },
  { name: 'error_rate=+5', description: 'the new version fails 5 % more requests' },
  { name: 'latency_p95_ms=x3', description: 'the new version is three times slower at p95' },
  { name: 'success_rate=-2', description: 'the new version succeeds 2 % less often' },
  { name: 'db_errors_per_min=+500', description: 'the new version adds 500 failing queries a minute' },
];

/** The fault of a preset name, or of any value in the CLI's `--fault` syntax. */
export function faultPreset(name: string) {
  return parseFault(name);
}
