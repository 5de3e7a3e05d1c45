/** How the simulator writes values and durations in verdicts, reasons and alerts. */

/** A value with its unit, at a precision that shows the difference to the thresholds. */
export function formatValue(value: number, unit: string): string {
  switch (unit) {
    case '%':
      return `${trim(value, 2)} %`;
    case 'ms':
      return `${trim(value, value < 10 ? 1 : 0)} ms`;
    case 'count':
      return trim(value, 1);
    case '':
      return trim(value, 2);
    default:
      return `${trim(value, value < 100 ? 1 : 0)} ${unit}`;
  }
}

function trim(value: number, digits: number): string {
  const s = value.toFixed(digits);
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
