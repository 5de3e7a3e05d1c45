/**
 * Trace timestamps: ISO-8601, `YYYY-MM-DD HH:MM:SS` (UTC), or epoch seconds / milliseconds told apart
 * by magnitude. A time without an offset is UTC: monitoring exports are, and guessing the machine's zone
 * would make the same file replay differently on two laptops.
 */
import { unquote } from './numbers';

/** Below this an epoch number is seconds (1e11 s is the year 5138); from here it is milliseconds. */
const SECONDS_LIMIT = 1e11;
/** 1e14 ms is also the year 5138: bigger numbers are microseconds or nanoseconds, which we refuse to guess. */
const MILLISECONDS_LIMIT = 1e14;

export const TIMESTAMP_EXPECTED = 'expected ISO-8601, YYYY-MM-DD HH:MM:SS or epoch seconds/milliseconds';

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Consecutive rows nearly always share a date: remember the last valid one and its day number.
let lastYear = -1;
let lastMonth = -1;
let lastDay = -1;
let lastDays = 0;

/** Epoch milliseconds of a calendar time, or NaN if any field is out of range. */
function civilMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (!(hour <= 23 && minute <= 59 && second <= 60)) return NaN;
  if (year !== lastYear || month !== lastMonth || day !== lastDay) {
    if (!(year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
    lastDays = daysFromCivil(year, month, day);
    lastYear = year;
    lastMonth = month;
    lastDay = day;
  }
  return ((lastDays * 24 + hour) * 60 + minute) * 60000 + second * 1000;
}

function epochMs(n: number): number {
  if (!(n >= 0)) return NaN;
  if (n < SECONDS_LIMIT) return Math.round(n * 1000);
  if (n < MILLISECONDS_LIMIT) return Math.round(n);
  return NaN;
}

function d2(b: Uint8Array, i: number): number {
  const x = b[i] - 48;
  const y = b[i + 1] - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : NaN;
}

/**
 * The two shapes nearly every row has — `YYYY-MM-DD HH:MM:SS[Z]` (also with `T`) and an integer epoch —
 * read from bytes. Returns NaN when it cannot decide; the text path then gives the answer or the error.
 */
export function fastTimestamp(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 19 || (len === 20 && b[end - 1] === 90)) {
    const s = start;
    if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 13] !== 58 || b[s + 16] !== 58) return NaN;
    const sep = b[s + 10];
    if (sep !== 32 && sep !== 84) return NaN;
    const year = d2(b, s) * 100 + d2(b, s + 2);
    return civilMs(year, d2(b, s + 5), d2(b, s + 8), d2(b, s + 11), d2(b, s + 14), d2(b, s + 17));
  }
  if (len === 0 || len > 15) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return epochMs(n);
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH = /^\d+(?:\.\d+)?$/;

/** Epoch milliseconds of a timestamp cell or JSON field, or NaN if it is not one of the accepted shapes. */
export function parseTimestampText(raw: string): number {
  const text = unquote(raw.trim());
  if (EPOCH.test(text)) return epochMs(Number(text));
  const m = ISO.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, zone] = m;
  const ms = civilMs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  const fraction = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  return ms + fraction - zoneOffsetMs(zone);
}

/** `Z`, `+02`, `+0200`, `-05:30` → milliseconds east of UTC (NaN if out of range). */
function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return NaN;
  return sign * (hours * 60 + minutes) * 60000;
}
