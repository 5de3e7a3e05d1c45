/**
 * Places a rollout's steps on the calendar, one after another: each begins when the previous one's
 * minimum wait is over, unless a timing rule forbids that moment; then it moves to the next allowed
 * start and says which rule moved it and by how much. Waits are elapsed time, so a 4-hour wait
 * across a daylight-saving switch is 4 real hours.
 */
import { Calendar, nextAllowedStart, TimingRule } from './calendar';
import type { StepTemplate } from './steps';
import { addDays, fromWallTime, toIsoInZone, wallTime } from './zone';

const HOUR = 3_600_000;
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface MoveNote {
  rule: TimingRule | 'overnight';
  message: string;
  movedMinutes: number;
}

export interface PlacedStep {
  start: Date;
  end: Date;
  moved: MoveNote[];
}

/** "Fri 2026-03-13 13:00", the wall time a person reads. */
export function humanTime(t: Date, timeZone: string): string {
  const iso = toIsoInZone(t, timeZone);
  return `${DAY_NAMES[wallTime(t, timeZone).weekday]} ${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = minutes / 60;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

/** The next local 06:00 after `t`'s day: a step started at `t` has then held through one night. */
function morningAfter(t: Date, timeZone: string): Date {
  return fromWallTime(addDays(wallTime(t, timeZone), 1), 6, 0, timeZone);
}

function note(rule: MoveNote['rule'], reason: string, from: Date, to: Date, timeZone: string): MoveNote {
  const movedMinutes = Math.round((to.getTime() - from.getTime()) / 60000);
  return {
    rule,
    movedMinutes,
    message: `${reason}: moved from ${humanTime(from, timeZone)} to ${humanTime(to, timeZone)} (+${formatDuration(movedMinutes)})`,
  };
}

/**
 * Places the steps from `start`. With `exempt` (a security hotfix) no timing rule applies:
 * every step begins the moment the previous one's wait is over.
 */
export function placeSteps(steps: StepTemplate[], start: Date, cal: Calendar, exempt: boolean): PlacedStep[] {
  const placed: PlacedStep[] = [];
  let cursor = start;
  steps.forEach((step, i) => {
    const moved: MoveNote[] = [];
    let earliest = cursor;
    const prev = steps[i - 1];
    if (!exempt && prev?.overnight) {
      const morning = morningAfter(placed[i - 1].start, cal.timeZone);
      if (morning > earliest) {
        moved.push(note('overnight', `the ${prev.trafficPercent}% step holds overnight, to watch it through a night`, earliest, morning, cal.timeZone));
        earliest = morning;
      }
    }
    let begin = earliest;
    if (!exempt) {
      const allowed = nextAllowedStart(cal, earliest);
      for (const m of allowed.moves) moved.push(note(m.rule, cal.reasons[m.rule], m.from, m.to, cal.timeZone));
      begin = allowed.start;
    }
    const end = new Date(begin.getTime() + step.waitHours.min * HOUR);
    placed.push({ start: begin, end, moved });
    cursor = end;
  });
  return placed;
}
