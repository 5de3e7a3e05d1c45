import type { RolloutPlan, Stage } from '../plan/schema';

/**
 * The plan laid out on simulation minutes: minute 0 is the start of stage 1, each step lasts its
 * wait (the minimum unless asked for the maximum), and a stage that is not required takes 0 minutes.
 * Calendar moves (nights, weekends) are left out: the simulator measures exposure, not wall time.
 */
export interface TimelineStep {
  startMinute: number;
  endMinute: number;
  trafficPercent: number;
}

export interface TimelineStage {
  index: number;
  number: number;
  name: string;
  skipped: boolean;
  startMinute: number;
  endMinute: number;
  steps: TimelineStep[];
  stage: Stage;
}

/** Minutes `startMinute` to `endMinute` (exclusive) at one traffic share (0–1). */
export interface ShareSpan {
  startMinute: number;
  endMinute: number;
  share: number;
}

export interface Timeline {
  stages: TimelineStage[];
  totalMinutes: number;
  /**
   * Traffic share of the new version, one span per step that lasts, in minute order: a plan's steps
   * are few however long they wait, so nothing here grows with the wait.
   */
  spans: ShareSpan[];
  /** First minute with any traffic on the new version (totalMinutes when none). */
  firstExposure: number;
  /** Local time of day of minute 0, in minutes after midnight (drives daily seasonality). */
  startMinuteOfDay: number;
}

export interface TimelineOptions {
  /** Use each step's maximum wait instead of its minimum. */
  useMaxWait?: boolean;
}

export function buildTimeline(plan: RolloutPlan, options: TimelineOptions = {}): Timeline {
  const stages: TimelineStage[] = [];
  let at = 0;
  plan.stages.forEach((stage, index) => {
    const start = at;
    const steps: TimelineStep[] = [];
    if (stage.required) {
      for (const step of stage.steps) {
        const hours = options.useMaxWait ? step.waitHours.max : step.waitHours.min;
        const minutes = Math.max(0, Math.round(hours * 60));
        steps.push({ startMinute: at, endMinute: at + minutes, trafficPercent: step.trafficPercent });
        at += minutes;
      }
    }
    stages.push({ index, number: stage.number, name: stage.name, skipped: !stage.required, startMinute: start, endMinute: at, steps, stage });
  });
  const spans: ShareSpan[] = [];
  let firstExposure = at;
  for (const st of stages) {
    for (const step of st.steps) {
      if (step.endMinute <= step.startMinute) continue;
      spans.push({ startMinute: step.startMinute, endMinute: step.endMinute, share: step.trafficPercent / 100 });
      if (step.trafficPercent > 0) firstExposure = Math.min(firstExposure, step.startMinute);
    }
  }
  return { stages, totalMinutes: at, spans, firstExposure, startMinuteOfDay: minuteOfDay(plan.schedule.start) };
}

/** Traffic share (0–1) of the new version at a minute; 0 outside the plan. */
export function shareAt(timeline: Timeline, minute: number): number {
  const spans = timeline.spans;
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid];
    if (minute < s.startMinute) hi = mid - 1;
    else if (minute >= s.endMinute) lo = mid + 1;
    else return s.share;
  }
  return 0;
}

/** The wall-clock time written in an ISO-8601 string (its own offset), as minutes after midnight; 10:00 when absent. */
export function minuteOfDay(iso: string): number {
  const m = /T(\d{2}):(\d{2})/.exec(iso);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 600;
}

/** The step running at a minute, for messages ("Canary 10 %"). */
export function stepAt(stage: TimelineStage, minute: number): TimelineStep | undefined {
  return stage.steps.find((s) => minute >= s.startMinute && minute < s.endMinute) ?? stage.steps[stage.steps.length - 1];
}
