/** Several trace files make one Trace; a metric may come from one file only. */
import { InputError } from '../../errors';
import type { Trace } from '../trace';
import type { ParsedSeries } from './csv';

export function mergeParsed(parts: { where: string; parsed: ParsedSeries }[]): Trace {
  const trace: Trace = { source: parts.map((p) => p.where).join(', '), series: new Map(), issues: [] };
  const from = new Map<string, string>();
  for (const { where, parsed } of parts) {
    for (const [metric, series] of parsed.series) {
      const earlier = from.get(metric);
      if (earlier !== undefined) {
        throw new InputError(`${where}: metric ${metric} is also in ${earlier} (expected each metric in one trace file)`, { file: where });
      }
      from.set(metric, where);
      trace.series.set(metric, series);
    }
    for (const [metric, series] of parsed.baselines ?? []) (trace.baselines ??= new Map()).set(metric, series);
    trace.issues.push(...parsed.issues);
  }
  return trace;
}
