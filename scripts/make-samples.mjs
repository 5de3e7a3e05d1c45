// Writes the sample traces in media/samples/ from the simulator's own seeded scenarios, so they are
// reproducible: `node --import tsx scripts/make-samples.mjs [DIR]` (default media/samples/). Each trace starts at sim minute 0
// (stage 1) on 2026-03-10 10:00 UTC, which is where a replay puts minute 0 by default, and carries
// all five metrics the seed's plans gate.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildPlan } from '../src/core/plan/index.ts';
import { DEFAULT_POLICY } from '../src/core/policy/schema.ts';
import { scenarioModel, synthesizeTrace } from '../src/core/sim/index.ts';

const OUT = process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'media', 'samples');
const START = Date.UTC(2026, 2, 10, 10);
const SEED = 1;
const METRICS = ['error_rate', 'latency_p95_ms', 'success_rate', 'db_errors_per_min', 'security_alerts'];
/** Decimals kept per metric: what a dashboard shows, and small files. */
const DECIMALS = { error_rate: 3, latency_p95_ms: 1, success_rate: 3, db_errors_per_min: 1, security_alerts: 0 };

const plan = (tier) =>
  buildPlan({ tier, files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [] }, DEFAULT_POLICY, {
    start: new Date(START),
    timezone: 'UTC',
  });

/**
 * One seeded run, as rows of readings every `step` minutes over [0, minutes) — a scrape at that
 * interval reads the value of its minute, so every `step`-th minute is kept, not an average.
 */
function rows(tier, scenario, { minutes, step, faults = [] }) {
  const trace = synthesizeTrace(scenarioModel(plan(tier), scenario, { faults }), SEED, START);
  const out = [];
  for (let m = 0; m < minutes; m += step) {
    const t = START + m * 60000;
    const values = METRICS.map((name) => {
      const s = trace.series.get(name);
      const i = s.times.indexOf(t);
      return i < 0 ? NaN : Number(s.values[i].toFixed(DECIMALS[name]));
    });
    out.push({ t, values });
  }
  return out;
}

const iso = (t) => new Date(t).toISOString().replace('.000Z', 'Z');

function wideCsv(data) {
  return ['timestamp,' + METRICS.join(','), ...data.map((r) => [iso(r.t), ...r.values].join(','))].join('\n') + '\n';
}

/** A Prometheus `query_range` response: one matrix series per metric, seconds and string values. */
function prometheus(data) {
  const result = METRICS.map((name, k) => ({
    metric: { __name__: name, job: 'checkout', instance: 'canary-1' },
    values: data.map((r) => [r.t / 1000, String(r.values[k])]),
  }));
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }) + '\n';
}

/** A CloudWatch `GetMetricData` response: one result per metric Id, newest first, as the API returns it. */
function cloudwatch(data) {
  const newest = [...data].reverse();
  const labels = {
    error_rate: 'HTTPCode_Target_5XX_Count / RequestCount',
    latency_p95_ms: 'TargetResponseTime p95',
    success_rate: '100 - error percentage',
    db_errors_per_min: 'DatabaseErrors',
    security_alerts: 'GuardDuty findings',
  };
  const results = METRICS.map((name, k) => ({
    Id: name,
    Label: labels[name],
    Timestamps: newest.map((r) => iso(r.t).replace('Z', '+00:00')),
    Values: newest.map((r) => r.values[k]),
    StatusCode: 'Complete',
  }));
  return JSON.stringify({ MetricDataResults: results, Messages: [] }) + '\n';
}

const medium = plan('MEDIUM');
const mediumMinutes = medium.stages.flatMap((s) => (s.required ? s.steps : [])).reduce((n, s) => n + Math.round(s.waitHours.min * 60), 0);

const samples = {
  // The whole MEDIUM plan (31 h), nothing wrong: promoted.
  'healthy.csv': wideCsv(rows('MEDIUM', 'healthy', { minutes: mediumMinutes, step: 5 })),
  // The same service, but the new version fails 8 % of its requests from its first minute of
  // traffic: 0.8 % more errors at a 10 % canary, over the 0.5 % critical line.
  'failing.csv': wideCsv(rows('MEDIUM', 'healthy', { minutes: mediumMinutes, step: 5, faults: [{ metric: 'error_rate', delta: 8 }] })),
  // The new version waits on a slow dependency (+4 s p95 at full traffic): critical latency at the
  // 10 % canary, sustained 10 minutes. Three hours at a 1-minute step, enough to reach the rollback.
  'prometheus.json': prometheus(rows('MEDIUM', 'latency-regression', { minutes: 180, step: 1 })),
  // 15 minutes into the canary the new version's queries start failing: database errors over 50/min.
  'cloudwatch.json': cloudwatch(rows('MEDIUM', 'db-errors', { minutes: 180, step: 5 })),
};

for (const [name, text] of Object.entries(samples)) {
  writeFileSync(path.join(OUT, name), text);
  console.log(`${name}: ${(text.length / 1024).toFixed(1)} KB`);
}
