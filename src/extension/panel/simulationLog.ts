/** The last simulation the extension ran, for the integration tests' internal command. */
import type { SimulationResult } from '../../protocol/messages';

let last: SimulationResult | undefined;

export function recordSimulation(result: SimulationResult): void {
  last = result;
}

export function lastSimulation(): SimulationResult | undefined {
  return last;
}
