import { InputError } from '../../errors';

/** One `--trace` value: `FILE`, `METRIC=FILE`, or `METRIC{label="value",…}=FILE` (to pick one Prometheus series). */
export interface TraceSpec {
  file: string;
  /** The metric the file's (single) series is, or which of its series to take. */
  metric?: string;
  /** Prometheus label matchers that must all hold for the chosen series. */
  labels?: Record<string, string>;
  /** `METRIC=FILE#NAME`: the CloudWatch result (by Id, else by Label) that is METRIC. */
  result?: string;
}

const SPEC = /^([a-z][a-z0-9_]*)(\{[^}]*\})?=(.+)$/s;
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/;

/**
 * Splits a spec. A left side that is not a metric name means the whole value is a path, so a file
 * called `a=b.csv` still loads as `./a=b.csv` unless its prefix happens to be a metric name.
 */
export function parseSpec(spec: string): TraceSpec {
  if (spec.trim() === '') throw new InputError('empty value (expected FILE or METRIC=FILE)', { field: 'trace' });
  const m = SPEC.exec(spec);
  if (!m) return { file: spec };
  const [, metric, selector, target] = m;
  const { file, result } = splitResult(target);
  const named = result === undefined ? {} : { result };
  if (!selector) return { file, metric, ...named };
  return { file, metric, labels: parseSelector(selector.slice(1, -1), spec), ...named };
}

/**
 * `FILE#NAME` picks one result of a CloudWatch export. The name is what follows the last `#`; a file whose
 * own name holds a `#` is still found (the loader falls back to the whole text when FILE does not exist).
 */
function splitResult(target: string): { file: string; result?: string } {
  const at = target.lastIndexOf('#');
  if (at <= 0 || at === target.length - 1) return { file: target };
  return { file: target.slice(0, at), result: target.slice(at + 1) };
}

function parseSelector(body: string, spec: string): Record<string, string> {
  // Label names are the user's: `__proto__` or `constructor` is a label like any other.
  const labels = Object.create(null) as Record<string, string>;
  if (body.trim() === '') return labels;
  for (const part of splitMatchers(body)) {
    const m = MATCHER.exec(part);
    if (!m) {
      throw new InputError(
        `label matcher ${JSON.stringify(part.trim())} in ${JSON.stringify(spec)} (expected label="value", as in error_rate{instance="a"}=prom.json)`,
        { field: 'trace' },
      );
    }
    labels[m[1]] = m[2].replace(/\\(.)/g, '$1');
  }
  return labels;
}

/** Splits on commas outside quotes, so a label value may contain a comma. */
function splitMatchers(body: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** How a spec is written back in messages. */
export function formatSelector(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}
