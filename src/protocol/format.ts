/** The view's one door to the formatting it shares with the CLI and the verdicts: values read as the simulator writes them. */
export { formatP, formatValue } from '../core/sim/format';
