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
}

export interface GateState {
  warnRun: number;
  critRun: number;
  critStart: number;
  lastSample: number;
  /** Severity the gate is in now (after `consecutive`). */
  severity: number;
  /** Highest severity reached since the last promotion point, and the reading that reached it. */
  worst: number;
  worstValue: number;
  worstMinute: number;
  /** Severity this sample entered (a new alert), OK when it entered none. */
  entered: number;
}

export function compileGate(gate: Gate, metricIndex: number): CompiledGate {
  return {
    gate,
    metricIndex,
    above: gate.direction === 'above',
    warning: gate.warning,
    critical: gate.critical,
    consecutive: Math.max(1, gate.consecutive),
    sustainMinutes: gate.sustainMinutes,
  };
}

export function newGateState(): GateState {
  return { warnRun: 0, critRun: 0, critStart: 0, lastSample: -Infinity, severity: OK, worst: OK, worstValue: NaN, worstMinute: -1, entered: OK };
}

/** Severity of one reading, before `consecutive` and `sustainMinutes` apply. */
export function readingSeverity(g: CompiledGate, value: number): number {
  if (g.above) return value > g.critical ? CRITICAL : value > g.warning ? WARNING : OK;
  return value < g.critical ? CRITICAL : value < g.warning ? WARNING : OK;
}

/**
 * Feeds one finite sample to a gate. `gapLimit`: a silence longer than this many minutes breaks
 * a run, since nobody can say the reading stayed bad while nothing was measured.
 */
export function feedGate(g: CompiledGate, st: GateState, value: number, minute: number, gapLimit: number): GateEvent {
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
  if (level === CRITICAL) {
    if (st.critRun === 0) st.critStart = minute;
    st.critRun++;
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
  if (severity === CRITICAL && minute - st.critStart + 1 >= g.sustainMinutes) return GateEvent.Rollback;
  if (st.entered === CRITICAL) return GateEvent.EnteredCritical;
  return st.entered === WARNING ? GateEvent.EnteredWarning : GateEvent.None;
}

function isWorse(g: CompiledGate, a: number, b: number): boolean {
  return b !== b || (g.above ? a > b : a < b);
}

export function thresholdOf(g: CompiledGate, severity: number): number {
  return severity === CRITICAL ? g.critical : g.warning;
}
