/**
 * The recordings the Prometheus tests backfill: 72 h at 15 s of five healthy gate metrics, and error
 * rates with a spike in the canary, a gap, and two series where the gate expects one.
 */

/** 2026-03-09T00:00:00Z: minute 0 of every replay. */
export const T0 = Date.UTC(2026, 2, 9, 0, 0, 0);
export const SPAN_HOURS = 72;
export const SCRAPE_S = 15;
/** The spike and the gap start here, inside the MEDIUM plan's Canary 10 % (minutes 60–180). */
export const TROUBLE_MINUTE = 90;
export const GAP_MINUTES = 60;

export const HEALTHY: Record<string, number> = {
  error_rate: 0.05,
  latency_p95_ms: 150,
  success_rate: 99.95,
  db_errors_per_min: 2,
  security_alerts: 0,
};

/** The stable version's error rate, and a canary's that is worse but under the 0.2 % warning. */
export const STABLE_ERROR = 0.05;
export const WORSE_ERROR = 0.12;

/** A deterministic spread of ±0.01 around a level: 13 steps, one per 15 s reading. */
function sawtooth(minute: number, phase: number): number {
  const i = Math.round(minute * 4);
  return Number(((0.01 * (((i * 7 + phase) % 13) - 6)) / 6).toFixed(6));
}

interface Series {
  name: string;
  labels: Record<string, string>;
  /** Reading at a minute since T0, or undefined for none. */
  at: (minute: number) => number | undefined;
}

function series(): Series[] {
  const out: Series[] = Object.entries(HEALTHY).map(([m, v]) => ({ name: `rl_${m}`, labels: { scenario: 'healthy' }, at: () => v }));
  const healthyError = HEALTHY.error_rate;
  out.push({ name: 'rl_error_rate', labels: { scenario: 'spike' }, at: (m) => (m >= TROUBLE_MINUTE ? 8 : healthyError) });
  out.push({ name: 'rl_error_rate', labels: { scenario: 'gap' }, at: (m) => (m >= TROUBLE_MINUTE && m < TROUBLE_MINUTE + GAP_MINUTES ? undefined : healthyError) });
  for (const instance of ['a', 'b']) out.push({ name: 'rl_error_rate', labels: { scenario: 'pair', instance }, at: () => healthyError });
  // Canary against baseline: the stable version's error rate, a canary worse than it but under the
  // 0.2 % warning, and a canary read from the same distribution as the stable one (another phase).
  out.push({ name: 'rl_error_rate', labels: { scenario: 'stable' }, at: (m) => STABLE_ERROR + sawtooth(m, 0) });
  out.push({ name: 'rl_error_rate', labels: { scenario: 'worse' }, at: (m) => WORSE_ERROR + sawtooth(m, 0) });
  out.push({ name: 'rl_error_rate', labels: { scenario: 'twin' }, at: (m) => STABLE_ERROR + sawtooth(m, 5) });
  return out;
}

/** OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: one family after another, samples in time order. */
export function openMetrics(): string {
  const families = new Map<string, Series[]>();
  for (const s of series()) families.set(s.name, [...(families.get(s.name) ?? []), s]);
  const parts: string[] = [];
  const samples = (SPAN_HOURS * 3600) / SCRAPE_S;
  for (const [name, members] of families) {
    parts.push(`# TYPE ${name} gauge\n`);
    for (const s of members) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',');
      const lines: string[] = [];
      for (let i = 0; i < samples; i++) {
        const t = T0 / 1000 + i * SCRAPE_S;
        const v = s.at((i * SCRAPE_S) / 60);
        if (v !== undefined) lines.push(`${name}{${labels}} ${v} ${t}`);
      }
      parts.push(lines.join('\n') + '\n');
    }
  }
  parts.push('# EOF\n');
  return parts.join('');
}

/** `prometheus.queries` reading the healthy recording, with some metrics swapped for another query. */
export function queries(over: Record<string, string> = {}): Record<string, string> {
  const q: Record<string, string> = {};
  for (const m of Object.keys(HEALTHY)) q[m] = `rl_${m}{scenario="healthy"}`;
  return { ...q, ...over };
}
