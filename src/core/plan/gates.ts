/**
 * The threshold gates a rollout watches: the seed's metric table, with the policy's overrides and
 * custom metrics. The plan puts them in its stages; the simulator reuses the same list.
 */
import { InputError } from '../errors';
import { DEFAULT_GATES, METRICS, BuiltinMetric } from '../policy/defaults';
import type { GateOverride, Policy } from '../policy/schema';
import type { Gate } from './schema';

/** The rollback level an action names ("Level 1 rollback", "Immediate Level 1 + incident"); Level 1 when none. */
export function levelOfAction(action: string): 1 | 2 | 3 {
  const m = /level\s*([123])/i.exec(action);
  return m ? (Number(m[1]) as 1 | 2 | 3) : 1;
}

function isBuiltin(name: string): name is BuiltinMetric {
  return (METRICS as readonly string[]).includes(name);
}

function fieldError(name: string, field: string, expected: string): InputError {
  const where = `gates.${name}.${field}`;
  return new InputError(expected, { field: where });
}

function customGate(name: string, o: GateOverride): Gate {
  for (const field of ['warning', 'critical', 'direction'] as const) {
    if (o[field] === undefined) {
      throw fieldError(name, field, `a custom metric needs warning, critical and direction ("above" or "below"); "${field}" is missing`);
    }
  }
  const action = o.action ?? 'Level 1 rollback';
  return {
    metric: name,
    label: o.label ?? name.replace(/_/g, ' '),
    unit: o.unit ?? '',
    // With no baseline given, the warning threshold is the only known edge of normal.
    baseline: o.baseline ?? o.warning!,
    direction: o.direction!,
    warning: o.warning!,
    critical: o.critical!,
    action,
    rollbackLevel: levelOfAction(action),
    sustainMinutes: o.sustainMinutes ?? 0,
    consecutive: o.consecutive ?? 1,
    ...limits(o),
    incident: o.incident ?? false,
  };
}

function builtinGate(name: BuiltinMetric, o: GateOverride | undefined): Gate {
  const d = DEFAULT_GATES[name];
  const action = o?.action ?? d.action;
  return {
    metric: name,
    label: o?.label ?? d.label,
    unit: o?.unit ?? d.unit,
    baseline: o?.baseline ?? d.baseline,
    direction: o?.direction ?? d.direction,
    warning: o?.warning ?? d.warning,
    critical: o?.critical ?? d.critical,
    action,
    rollbackLevel: levelOfAction(action),
    sustainMinutes: o?.sustainMinutes ?? d.sustainMinutes,
    consecutive: o?.consecutive ?? d.consecutive,
    ...limits(o),
    incident: o?.incident ?? d.incident,
  };
}

/** The per-step limits, only when the policy sets them: a plan without them keeps its shape. */
function limits(o: GateOverride | undefined): Pick<Gate, 'failureLimit' | 'warningLimit'> {
  return {
    ...(o?.failureLimit !== undefined ? { failureLimit: o.failureLimit } : {}),
    ...(o?.warningLimit !== undefined ? { warningLimit: o.warningLimit } : {}),
  };
}

/** A critical threshold must lie beyond the warning one, in the metric's bad direction. */
function checkOrder(g: Gate): void {
  const ok = g.direction === 'above' ? g.critical >= g.warning : g.critical <= g.warning;
  if (!ok) {
    const bad = g.direction === 'above' ? 'rises' : 'falls';
    const rel = g.direction === 'above' ? 'at least' : 'at most';
    throw fieldError(g.metric, 'critical', `expected ${rel} the warning threshold (${g.warning}) for a metric that is bad when it ${bad}, got ${g.critical}`);
  }
}

/**
 * Every enabled gate: the seed's five metrics in the seed's order (overridden field by field),
 * then the policy's custom metrics in the order the policy lists them.
 */
export function resolveGates(policy: Pick<Policy, 'gates'>): Gate[] {
  const gates: Gate[] = [];
  for (const name of METRICS) {
    const o = policy.gates[name];
    if (o?.enabled === false) continue;
    gates.push(builtinGate(name, o));
  }
  for (const [name, o] of Object.entries(policy.gates)) {
    if (isBuiltin(name) || o.enabled === false) continue;
    gates.push(customGate(name, o));
  }
  gates.forEach(checkOrder);
  return gates;
}
