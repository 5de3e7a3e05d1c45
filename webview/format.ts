/** Numbers, times and names as a person reads them in the plan and the verdict. */

export function formatMinutes(total: number): string {
  // Minutes before the rollout started (the baseline) read as "−1 h".
  if (total < 0) return `−${formatMinutes(-total)}`;
  const m = Math.round(total);
  const d = Math.floor(m / 1440);
  const hr = Math.floor((m % 1440) / 60);
  const min = m % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} d`);
  if (hr) parts.push(`${hr} h`);
  if (min || parts.length === 0) parts.push(`${min} min`);
  return parts.join(' ');
}

export function formatHours(min: number, max: number): string {
  if (min === 0 && max === 0) return 'no wait';
  return min === max ? `${min} h` : `${min}–${max} h`;
}

/** "Tue 14 Jan, 10:00": the plan's ISO times carry their offset; show them in that offset, not the viewer's. */
export function formatWhen(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d, hh, mm] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const weekday = date.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  const month = date.toLocaleDateString('en-GB', { month: 'short', timeZone: 'UTC' });
  return `${weekday} ${Number(d)} ${month}, ${hh}:${mm}`;
}

/** Values read as in the CLI and the verdicts: one formatter, the simulator's. */
export { formatP, formatValue } from '../src/protocol/format';

export function percent(share: number, total: number): string {
  if (total <= 0) return '0 %';
  return `${((share / total) * 100).toFixed(share === total || share === 0 ? 0 : 1)} %`;
}

const STRATEGY: Record<string, string> = {
  immediate: 'Deploy immediately',
  'flag-gated': 'Flag-gated',
  canary: 'Canary',
  'extended-canary': 'Extended canary',
};

export function strategyName(s: string): string {
  return STRATEGY[s] ?? s;
}

/** A time-axis step a person reads at a glance (15 min, 1 h, 6 h, 1 d …): at most 8 steps across the span. */
export function timeStep(spanMinutes: number): number {
  const steps = [5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 10080];
  return steps.find((s) => spanMinutes / s <= 8) ?? Math.ceil(spanMinutes / 8 / 1440) * 1440;
}

/** Tick values: the multiples of the step between `from` and `to` (minute 0 is always one when in range). */
export function timeTicks(from: number, to: number): number[] {
  const step = timeStep(to - from);
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

function hoursText(minutes: number): string {
  return minutes >= 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes)} min`;
}

/** "This trace covers 31 h; this plan needs 49 h: the replay ends at 31 h." */
export function coverageText(traceMinutes: number, planMinutes: number): { text: string; short: boolean } {
  const short = traceMinutes + 1 < planMinutes;
  const text = `This trace covers ${hoursText(traceMinutes)}; this plan needs ${hoursText(planMinutes)}${short ? `: the replay ends at ${hoursText(traceMinutes)}, before the plan does.` : '.'}`;
  return { text, short };
}

/** A fault the user writes, in the CLI's `--fault` syntax, from a start minute: "error_rate=+2@90". */
export function customFault(text: string, fromMinute: string): string {
  const t = text.trim();
  if (!t) return '';
  const m = Number(fromMinute.trim());
  return fromMinute.trim() !== '' && Number.isFinite(m) && m > 0 ? `${t.replace(/@.*$/, '')}@${Math.round(m)}` : t;
}

/** The text and start minute of a custom fault, read back: "error_rate=+2@90" → ["error_rate=+2", "90"]. */
export function splitFault(fault: string): [string, string] {
  const at = fault.lastIndexOf('@');
  return at < 0 ? [fault, ''] : [fault.slice(0, at), fault.slice(at + 1)];
}
