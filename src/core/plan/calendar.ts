/**
 * The seed's deployment timing as rules on the calendar: when a step may begin, and, when it may
 * not, which rule says so and where the next allowed start is.
 */
import { DEFAULT_TIMING } from '../policy/defaults';
import type { Policy } from '../policy/schema';
import { InputError } from '../errors';
import { addDays, CivilDate, civilKey, fromWallTime, isRealDate, wallTime } from './zone';

export type TimingRule =
  | 'holiday'
  | 'before-holiday'
  | 'weekend'
  | 'friday-afternoon'
  | 'after-hours'
  | 'outside-best-window'
  | 'peak-traffic';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Tue–Thu", "Mon", "Mon, Wed": a day list as a person writes it. */
function dayList(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const consecutive = sorted.length > 2 && sorted.every((d, i) => i === 0 || d === sorted[i - 1] + 1);
  return consecutive ? `${DAY_NAMES[sorted[0]]}–${DAY_NAMES[sorted[sorted.length - 1]]}` : sorted.map((d) => DAY_NAMES[d]).join(', ');
}

/** Why each rule exists, in the seed's words, with the times this policy uses. */
function ruleReasons(t: { bestWindows: readonly { days: readonly number[]; start: string; end: string }[]; latestStart: string; fridayCutoff: string }): Record<TimingRule, string> {
  return {
    holiday: 'never on a holiday (team unavailable)',
    'before-holiday': 'never the day before a holiday (team unavailable)',
    weekend: 'never on weekends',
    'friday-afternoon': `never on Friday after ${t.fridayCutoff} (weekend incident risk)`,
    'after-hours': `never after ${t.latestStart} (team leaving soon)`,
    'outside-best-window': `starts only in the best windows: ${t.bestWindows.map((w) => `${dayList(w.days)} ${w.start}–${w.end}`).join(', ')}`,
    'peak-traffic': 'never during peak traffic (increased blast radius)',
  };
}

interface Window {
  days: readonly number[];
  /** Minutes after local midnight; end is exclusive. */
  start: number;
  end: number;
  quality: 'optimal' | 'acceptable';
}

interface Peak {
  days?: readonly number[];
  start: number;
  end: number;
}

/** The timing rules of one policy in one time zone. */
export interface Calendar {
  timeZone: string;
  windows: Window[];
  holidays: Set<string>;
  peaks: Peak[];
  latestStart: number;
  fridayCutoff: number;
  /** Why each rule moves a step, with this calendar's times. */
  reasons: Record<TimingRule, string>;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Builds the calendar from the policy; a holiday that is not a real date is an InputError naming it. */
export function makeCalendar(policy: Policy, timeZone: string): Calendar {
  policy.holidays.forEach((h, i) => {
    const [y, m, d] = h.split('-').map(Number);
    if (!isRealDate(y, m, d)) throw new InputError(`expected a real calendar date as YYYY-MM-DD, got "${h}"`, { field: `holidays.${i}` });
  });
  policy.peakWindows.forEach((p, i) => {
    if (p.start === p.end) throw new InputError(`start and end are both ${p.start}; expected a window of some length`, { field: `peakWindows.${i}` });
  });
  const timing = {
    bestWindows: policy.timing?.bestWindows ?? DEFAULT_TIMING.bestWindows,
    latestStart: policy.timing?.latestStart ?? DEFAULT_TIMING.latestStart,
    fridayCutoff: policy.timing?.fridayCutoff ?? DEFAULT_TIMING.fridayCutoff,
  };
  timing.bestWindows.forEach((w, i) => {
    if (minutesOf(w.end) <= minutesOf(w.start)) {
      throw new InputError(`ends at ${w.end}, not after its start ${w.start}; expected a window within one day`, { field: `timing.bestWindows.${i}` });
    }
  });
  return {
    timeZone,
    windows: timing.bestWindows.map((w) => ({ days: w.days, start: minutesOf(w.start), end: minutesOf(w.end), quality: w.quality })),
    holidays: new Set(policy.holidays),
    peaks: policy.peakWindows.map((p) => ({ days: p.days, start: minutesOf(p.start), end: minutesOf(p.end) })),
    latestStart: minutesOf(timing.latestStart),
    fridayCutoff: minutesOf(timing.fridayCutoff),
    reasons: ruleReasons(timing),
  };
}

/** A best window of one day clipped by the latest start and the Friday cutoff. */
function windowsOn(cal: Calendar, weekday: number): { start: number; end: number; quality: Window['quality'] }[] {
  const out = [];
  for (const w of cal.windows) {
    if (!w.days.includes(weekday)) continue;
    let end = Math.min(w.end, cal.latestStart);
    if (weekday === 5) end = Math.min(end, cal.fridayCutoff);
    if (end > w.start) out.push({ start: w.start, end, quality: w.quality });
  }
  return out;
}

/** Whether a peak window covers minute `m` of a day with this weekday (windows may wrap past midnight). */
function peakAt(cal: Calendar, weekday: number, m: number): Peak | undefined {
  const yesterday = (weekday + 6) % 7;
  return cal.peaks.find((p) => {
    if (p.start < p.end) return (!p.days || p.days.includes(weekday)) && m >= p.start && m < p.end;
    // Wrapping window: the evening part belongs to its own day, the early part to the next day.
    return ((!p.days || p.days.includes(weekday)) && m >= p.start) || ((!p.days || p.days.includes(yesterday)) && m < p.end);
  });
}

/** The rule that forbids a step to begin at `t`, or null when it may. */
export function forbiddenBy(cal: Calendar, t: Date): TimingRule | null {
  const w = wallTime(t, cal.timeZone);
  const m = w.hour * 60 + w.minute + w.second / 60;
  if (cal.holidays.has(civilKey(w))) return 'holiday';
  if (cal.holidays.has(civilKey(addDays(w, 1)))) return 'before-holiday';
  if (w.weekday === 0 || w.weekday === 6) return 'weekend';
  if (w.weekday === 5 && m >= cal.fridayCutoff) return 'friday-afternoon';
  if (m >= cal.latestStart) return 'after-hours';
  if (!windowsOn(cal, w.weekday).some((x) => m >= x.start && m < x.end)) return 'outside-best-window';
  if (peakAt(cal, w.weekday, m)) return 'peak-traffic';
  return null;
}

/** The quality of the best window `t` falls in, if any. */
export function windowQuality(cal: Calendar, t: Date): Window['quality'] | null {
  const w = wallTime(t, cal.timeZone);
  const m = w.hour * 60 + w.minute;
  return windowsOn(cal, w.weekday).find((x) => m >= x.start && m < x.end)?.quality ?? null;
}

/** The first instant at or after `from` that lies inside a best window (weekday rules only). */
function nextWindowOpening(cal: Calendar, from: Date): Date {
  const day0 = wallTime(from, cal.timeZone);
  for (let i = 0; i < 14; i++) {
    const day = addDays(day0, i);
    const weekday = (day0.weekday + i) % 7;
    for (const x of windowsOn(cal, weekday)) {
      const open = fromWallTime(day, Math.floor(x.start / 60), x.start % 60, cal.timeZone);
      const close = fromWallTime(day, Math.floor(x.end / 60), x.end % 60, cal.timeZone);
      if (from < close) return open > from ? open : from;
    }
  }
  throw new Error('no deployment window in a fortnight: the best windows are empty');
}

function startOfDay(cal: Calendar, day: CivilDate): Date {
  return fromWallTime(day, 0, 0, cal.timeZone);
}

/** Where a forbidden start moves to: past the forbidden day or window, then into the next best window. */
function escape(cal: Calendar, t: Date, rule: TimingRule): Date {
  const w = wallTime(t, cal.timeZone);
  switch (rule) {
    case 'holiday':
    case 'before-holiday':
      return nextWindowOpening(cal, startOfDay(cal, addDays(w, 1)));
    case 'peak-traffic': {
      const m = w.hour * 60 + w.minute;
      const peak = peakAt(cal, w.weekday, m)!;
      const endsToday = peak.start < peak.end || m < peak.end;
      const endDay = endsToday ? w : addDays(w, 1);
      const end = fromWallTime(endDay, Math.floor(peak.end / 60), peak.end % 60, cal.timeZone);
      return end > t ? end : new Date(t.getTime() + 60000);
    }
    default:
      return nextWindowOpening(cal, t);
  }
}

export interface Move {
  rule: TimingRule;
  from: Date;
  to: Date;
}

/**
 * The earliest allowed start at or after `t`, and each move that got there, in order
 * (e.g. Friday 13:00 → Monday 11:00 by `friday-afternoon`, then → Tuesday 10:00 by `holiday`).
 */
export function nextAllowedStart(cal: Calendar, t: Date): { start: Date; moves: Move[] } {
  const moves: Move[] = [];
  let at = t;
  const limit = t.getTime() + 2 * 366 * 86_400_000;
  for (;;) {
    const rule = forbiddenBy(cal, at);
    if (!rule) return { start: at, moves };
    const next = escape(cal, at, rule);
    moves.push({ rule, from: at, to: next });
    at = next;
    if (at.getTime() > limit) {
      throw new InputError('holidays, peakWindows: they leave no allowed deployment start within two years; expected some free time in the best windows', {
        field: 'peakWindows',
      });
    }
  }
}
