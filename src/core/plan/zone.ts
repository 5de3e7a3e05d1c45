/**
 * Time-zone arithmetic with Intl.DateTimeFormat only: wall time in an IANA zone ↔ UTC instants,
 * and ISO-8601 output with the zone's offset. Calendar days are handled as civil dates (y, m, d),
 * so daylight-saving switches and year ends never shift a day.
 */
import { InputError } from '../errors';

export interface CivilDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export interface WallTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The machine's time zone, the default when the policy names none. */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Throws an InputError naming `field` unless `timeZone` is an IANA zone this runtime knows. */
export function checkTimeZone(timeZone: string, field = 'timezone'): string {
  try {
    formatter(timeZone);
  } catch {
    throw new InputError(`expected an IANA time zone such as Europe/Berlin or America/New_York, got "${timeZone}"`, { field });
  }
  return timeZone;
}

/** Weekday of a civil date, independent of any zone. */
export function weekdayOf(d: CivilDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

/** The civil date `days` after `d` (negative goes back); crosses months and years. */
export function addDays(d: CivilDate, days: number): CivilDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function civilKey(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${pad(d.month)}-${pad(d.day)}`;
}

/** Whether `year-month-day` names a real calendar day (rejects 2026-02-30). */
export function isRealDate(year: number, month: number, day: number): boolean {
  const t = new Date(Date.UTC(year, month - 1, day));
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
}

/** The wall-clock reading in `timeZone` at instant `t`. */
export function wallTime(t: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const date = { year: parts.year, month: parts.month, day: parts.day };
  return { ...date, hour: parts.hour, minute: parts.minute, second: parts.second, weekday: weekdayOf(date) };
}

/** UTC offset of `timeZone` at instant `t`, in minutes east of Greenwich (e.g. -300 for New York in winter). */
export function offsetMinutes(t: Date, timeZone: string): number {
  const w = wallTime(t, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const whole = Math.floor(t.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60000);
}

/**
 * The instant at which the clocks of `timeZone` read the given wall time.
 * - Ambiguous (the repeated hour when clocks fall back): the earlier instant.
 * - Nonexistent (skipped when clocks spring forward): pushed forward by the gap, as clocks read it
 *   (02:30 on a spring-forward night in New York becomes 03:30 EDT).
 */
export function fromWallTime(d: CivilDate, hour: number, minute: number, timeZone: string, second = 0): Date {
  const asUtc = Date.UTC(d.year, d.month - 1, d.day, hour, minute, second);
  // The offsets in force a day either side bracket any transition near this wall time.
  const before = offsetMinutes(new Date(asUtc - 86_400_000), timeZone);
  const after = offsetMinutes(new Date(asUtc + 86_400_000), timeZone);
  const valid = [...new Set([before, after])]
    .map((o) => asUtc - o * 60000)
    .filter((t) => offsetMinutes(new Date(t), timeZone) * 60000 === asUtc - t)
    .sort((a, b) => a - b);
  if (valid.length) return new Date(valid[0]);
  // In the gap: read the wall time with the offset from before the switch, which lands after it.
  return new Date(asUtc - before * 60000);
}

/** ISO-8601 with the zone's offset at that instant, e.g. 2026-03-10T10:00:00-05:00. */
export function toIsoInZone(t: Date, timeZone: string): string {
  const w = wallTime(t, timeZone);
  const off = offsetMinutes(t, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${civilKey(w)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a start time: ISO-8601 with an offset or `Z` is an exact instant; without one it is wall
 * time in `timeZone`; a date alone means that day's midnight there. Anything else is an InputError.
 */
export function parseIsoInZone(text: string, timeZone: string, field: 'start' | 'from' | 'to' = 'start'): Date {
  const m = ISO.exec(text.trim());
  const expected = `expected an ISO-8601 time such as 2026-03-10T10:00:00-05:00 or 2026-03-10T10:00, got "${text}"`;
  if (!m) throw new InputError(expected, { field });
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) throw new InputError(expected, { field });
  const zone = m[7];
  if (zone === undefined) return fromWallTime({ year, month, day }, hour, minute, timeZone, second);
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) throw new InputError(expected, { field });
    offset = (digits[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60000);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
