/** Prometheus durations (`15s`, `5m`, `1h30m`), as `--step` takes them. */
import { InputError } from '../errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
/** Units largest first, each at most once, as Prometheus parses them. */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** Milliseconds of a Prometheus duration; `min` and `max` bound it (a step below a second or above a day replays nothing useful). */
export function parseDuration(text: string, field: string, min = 1000, max = UNIT_MS.d): number {
  const expected = `${field}: expected a Prometheus duration from ${shortDuration(min)} to ${shortDuration(max)} such as 15s, 1m or 5m, got "${text}"`;
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === '') throw new InputError(expected, { field });
  let ms = 0;
  ORDER.forEach((unit, i) => {
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[unit];
  });
  if (!(ms >= min && ms <= max)) throw new InputError(expected, { field });
  return ms;
}

/** A duration written back the way Prometheus writes it: `15s`, `1m`, `1h30m`. */
export function shortDuration(ms: number): string {
  let rest = ms;
  let out = '';
  for (const unit of ORDER) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit];
    }
  }
  return out || '0s';
}
