/** How the simulator writes values and durations in verdicts, reasons and alerts. */

/** Decimals each unit is shown with by default, for a value of this size. */
function defaultDigits(value: number, unit: string): number {
  switch (unit) {
    case '%':
      return 2;
    case 'ms':
      return Math.abs(value) < 10 ? 1 : 0;
    case 'count':
      return 1;
    case '':
      return 2;
    default:
      return Math.abs(value) < 100 ? 1 : 0;
  }
}

function withUnit(number: string, unit: string): string {
  return unit === 'count' || unit === '' ? number : `${number} ${unit}`;
}

/**
 * A value with its unit. An infinite reading (histogram_quantile above the top bucket) is `+Inf`, a
 * missing one `no reading`: neither is ever written as a number it is not.
 */
export function formatValue(value: number, unit: string, digits = defaultDigits(value, unit)): string {
  if (value !== value) return 'no reading';
  if (value === Infinity) return withUnit('+Inf', unit);
  if (value === -Infinity) return withUnit('-Inf', unit);
  return withUnit(trim(value, digits), unit);
}

/** Most decimals a comparison is ever shown with: beyond this a double's digits are noise. */
const MAX_EXTRA_DIGITS = 12;

/**
 * A value and the threshold it is compared with, each with as many decimals as it takes to tell them
 * apart: `300.4 ms > 300 ms`, never `300 ms > 300 ms`. Both get the same number of decimals before trimming.
 */
export function formatAgainst(value: number, threshold: number, unit: string): [string, string] {
  const base = Math.max(defaultDigits(value, unit), defaultDigits(threshold, unit));
  let v = formatValue(value, unit);
  let t = formatValue(threshold, unit);
  for (let extra = 0; v === t && value !== threshold && extra <= MAX_EXTRA_DIGITS; extra++) {
    v = formatValue(value, unit, base + extra);
    t = formatValue(threshold, unit, base + extra);
  }
  return [v, t];
}

/** `value > threshold` (or `<`), written so the two sides differ whenever the numbers do. */
export function formatComparison(value: number, above: boolean, threshold: number, unit: string): string {
  const [v, t] = formatAgainst(value, threshold, unit);
  return `${v} ${above ? '>' : '<'} ${t}`;
}

function trim(value: number, digits: number): string {
  const s = value.toFixed(Math.min(digits, 20));
  return digits > 0 ? s.replace(/\.?0+$/, '') : s;
}

/** `2 h 14 min`, `45 min`, `0 min`. */
export function formatDuration(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** `error rate` from the gate label `Error rate`, for use inside a sentence. */
export function metricPhrase(label: string): string {
  return label.length > 1 && label[1] === label[1].toLowerCase() ? label[0].toLowerCase() + label.slice(1) : label;
}

/** A p-value as a person reads it: 2 significant digits, or "< 0.0001". */
export function formatP(p: number): string {
  if (p < 1e-4) return '< 0.0001';
  return `${Number(p.toPrecision(2))}`;
}
