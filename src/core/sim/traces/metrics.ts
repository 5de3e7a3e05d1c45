import { METRICS } from '../../policy/defaults';

/** What a metric name may look like: the same shape Prometheus and the policy file use, lower case. */
export const METRIC_NAME = /^[a-z][a-z0-9_]*$/;

const BUILTIN: ReadonlySet<string> = new Set(METRICS);

/** Metrics whose values can never be negative (rates, latencies, counts). */
const NON_NEGATIVE: ReadonlySet<string> = BUILTIN;

/** Metrics measured in percent, so a value above 100 is a unit mistake (a ratio exported ×100 twice, …). */
const PERCENT: ReadonlySet<string> = new Set(['error_rate', 'success_rate']);

/** Metrics whose low readings are the bad ones; every other metric is worse the higher it reads. */
const WORSE_BELOW: ReadonlySet<string> = new Set(['success_rate']);

export function lowerIsWorse(name: string): boolean {
  return WORSE_BELOW.has(name);
}

export function isBuiltinMetric(name: string): boolean {
  return BUILTIN.has(name);
}

export function cannotBeNegative(name: string): boolean {
  return NON_NEGATIVE.has(name);
}

export function isPercent(name: string): boolean {
  return PERCENT.has(name);
}

/**
 * The metrics a file may carry without being named on the command line: the built-in five plus whatever
 * the caller allows. Custom metrics are opt-in so a typo (`eror_rate`) is an error, not a silently ungated series.
 */
export class MetricCatalog {
  private readonly allowed: Set<string>;
  private readonly worseBelow: ReadonlySet<string>;

  /** `worseBelow`: custom metrics whose gate alerts below its threshold (the built-in success rate always does). */
  constructor(allowMetrics: readonly string[] = [], worseBelow: readonly string[] = []) {
    this.allowed = new Set([...METRICS, ...allowMetrics]);
    this.worseBelow = new Set(worseBelow);
  }

  /** Of two readings at one time, is the lower the one to keep? */
  lowerIsWorse(name: string): boolean {
    return lowerIsWorse(name) || this.worseBelow.has(name);
  }

  has(name: string): boolean {
    return this.allowed.has(name);
  }

  /** Human list for error messages: `error_rate, latency_p95_ms, …`. */
  describe(): string {
    return [...this.allowed].join(', ');
  }

  /** `place` says where in the line or document the name was, e.g. ` in column 2`. */
  unknownMessage(name: string, place = ''): string {
    const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
    return `unknown metric ${JSON.stringify(shown)}${place} (expected one of ${this.describe()}, or name it with METRIC=FILE)`;
  }
}
