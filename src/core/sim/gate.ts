import type { Gate } from '../plan/schema';

/**
 * One gate's reading of one sample. Severity is decided per sample against the gate's thresholds;
 * it only counts once `consecutive` samples in a row reach it, and a critical reading rolls back
 * only once it has lasted `sustainMinutes` (latency: "Level 1 if sustained").
 */

export const OK = 0;
export const WARNING = 1;
export const CRITICAL = 2;

/** What a sample changed: nothing, the gate entered a severity, or the gate demands a rollback. */
export const GateEvent = { None: 0, EnteredWarning: 1, EnteredCritical: 2, Rollback: 3 } as const;
export type GateEvent = (typeof GateEvent)[keyof typeof GateEvent];

export interface CompiledGate {
  gate: Gate;
  metricIndex: number;
  above: boolean;
  warning: number;
  critical: number;
  consecutive: number;
  sustainMinutes: number;
  /** Critical readings in one step that roll back even when no run of them lasts (a flapping critical). */
  failureLimit: number;
  /** Warning (or worse) readings in one step before the step is held. */
  warningLimit: number;
  /** Minutes one reading of this gate's series stands for (the series' median spacing). */
  resolution: number;
  /** A silence longer than this many minutes is a hole: it breaks a run and the step is not vouched for. */
  gapLimit: number;
}

export interface GateState {
  warnRun: number;
  critRun: number;
  critStart: number;
  lastSample: number;
  /** Critical and warning-or-worse readings in the current step (cumulative, not in a row). */
  critCount: number;
  warnCount: number;
  /** Of `warnCount`, the readings of a run that was going when the step began. */
  carriedWarn: number;
  /** Severity the gate is in now (after `consecutive`). */
  severity: number;
  /** Highest severity reached since the last promotion point, and the reading that reached it. */
  worst: number;
  worstValue: number;
  worstMinute: number;
  /** Severity this sample entered (a new alert), OK when it entered none. */
  entered: number;
}

/** Fewest critical readings a step may hold before it rolls back by default, whatever `consecutive` or the sustain time ask in a row. */
export const DEFAULT_FAILURE_LIMIT = 5;
/** Most critical readings a step may hold by default, however long the gate's own rule waits: a flapping critical never gets past this. */
export const MAX_DEFAULT_FAILURE_LIMIT = 10;
/** Warning readings a step may hold by default and still promote: one or two stray readings are reported, not held on. */
export const DEFAULT_WARNING_LIMIT = 3;
/** A silence longer than this many of a series' own readings is a hole. */
export const GAP_READINGS = 3;

/** The readings in a row the sustain time needs at a resolution. */
export function sustainReadings(sustainMinutes: number, resolution: number): number {
  return Math.max(1, Math.ceil(sustainMinutes / resolution));
}

/** Critical readings in one step that roll a gate back: the policy's `failureLimit`, or the default for the series' resolution. */
export function failureLimitOf(gate: Pick<Gate, 'consecutive' | 'sustainMinutes' | 'failureLimit'>, resolution = 1): number {
  const res = Math.max(1, resolution);
  return gate.failureLimit ?? Math.min(MAX_DEFAULT_FAILURE_LIMIT, Math.max(DEFAULT_FAILURE_LIMIT, Math.max(1, gate.consecutive), sustainReadings(gate.sustainMinutes, res)));
}

/** Warning (or worse) readings in one step that hold it: the policy's `warningLimit`, or the default. */
export function warningLimitOf(gate: Pick<Gate, 'warningLimit'>): number {
  return gate.warningLimit ?? DEFAULT_WARNING_LIMIT;
}

/** Minutes of silence that make a hole at a resolution: a few of the series' own readings, and at least `minGap`. */
export function holeLimit(resolution: number, minGap = 5): number {
  return Math.max(minGap, GAP_READINGS * Math.max(1, resolution));
}

export function compileGate(gate: Gate, metricIndex: number, resolution = 1, minGap = 5): CompiledGate {
  const consecutive = Math.max(1, gate.consecutive);
  const res = Math.max(1, resolution);
  return {
    gate,
    metricIndex,
    above: gate.direction === 'above',
    warning: gate.warning,
    critical: gate.critical,
    consecutive,
    sustainMinutes: gate.sustainMinutes,
    failureLimit: failureLimitOf(gate, res),
    warningLimit: warningLimitOf(gate),
    resolution: res,
    gapLimit: holeLimit(res, minGap),
  };
}

export function newGateState(): GateState {
  return { warnRun: 0, critRun: 0, critStart: 0, lastSample: -Infinity, critCount: 0, warnCount: 0, carriedWarn: 0, severity: OK, worst: OK, worstValue: NaN, worstMinute: -1, entered: OK };
}

/** Severity of one reading, before `consecutive` and `sustainMinutes` apply. */
export function readingSeverity(g: CompiledGate, value: number): number {
  if (g.above) return value > g.critical ? CRITICAL : value > g.warning ? WARNING : OK;
  return value < g.critical ? CRITICAL : value < g.warning ? WARNING : OK;
}

/**
 * Feeds one finite sample to a gate. A silence longer than the gate's `gapLimit` breaks a run,
 * since nobody can say the reading stayed bad while nothing was measured. `gapLimit` overrides it.
 */
export function feedGate(g: CompiledGate, st: GateState, value: number, minute: number, gapLimit = g.gapLimit): GateEvent {
  if (minute - st.lastSample > gapLimit + 1) {
    st.warnRun = 0;
    st.critRun = 0;
  }
  st.lastSample = minute;
  st.entered = OK;
  const level = readingSeverity(g, value);
  if (level === OK) {
    st.warnRun = 0;
    st.critRun = 0;
    st.severity = OK;
    return GateEvent.None;
  }
  st.warnRun++;
  st.warnCount++;
  if (level === CRITICAL) {
    if (st.critRun === 0) st.critStart = minute;
    st.critRun++;
    st.critCount++;
  } else st.critRun = 0;
  const severity = st.critRun >= g.consecutive ? CRITICAL : st.warnRun >= g.consecutive ? WARNING : OK;
  const before = st.severity;
  st.severity = severity;
  if (severity > before) st.entered = severity;
  if (severity > st.worst || (severity === st.worst && severity > OK && isWorse(g, value, st.worstValue))) {
    st.worst = severity;
    st.worstValue = value;
    st.worstMinute = minute;
  }
  // A reading stands for its series' resolution: a run of 10-minute readings lasts 10 minutes per reading.
  if (severity === CRITICAL && minute - st.critStart + g.resolution >= g.sustainMinutes) return GateEvent.Rollback;
  if (level === CRITICAL && st.critCount >= g.failureLimit) return GateEvent.Rollback;
  if (st.entered === CRITICAL) return GateEvent.EnteredCritical;
  return st.entered === WARNING ? GateEvent.EnteredWarning : GateEvent.None;
}

function isWorse(g: CompiledGate, a: number, b: number): boolean {
  return b !== b || (g.above ? a > b : a < b);
}

export function thresholdOf(g: CompiledGate, severity: number): number {
  return severity === CRITICAL ? g.critical : g.warning;
}
