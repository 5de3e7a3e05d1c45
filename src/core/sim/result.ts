import type { SimulationResult } from './schema';
import type { EngineResult } from './engine';
import { formatComparison, formatDuration, metricPhrase } from './format';
import type { DataIssue } from './trace';
import type { SimSetup } from './setup';
import { stepAt } from './timeline';

/** What a result needs of the readings a run saw: where they start, what was wrong with them, and chart points up to a minute. */
export interface Readings {
  firstMinute: number;
  issues: DataIssue[];
  /** Per metric index, the readings from `firstMinute` to `to` thinned to about `maxPoints`. */
  points(to: number, maxPoints: number): [number, number][][];
}

/** Turns one engine run and the readings it saw into the result views and the CLI print. */
export function buildResult(setup: SimSetup, grid: Readings, run: EngineResult, maxPoints = 2000): SimulationResult {
  const { timeline } = setup;
  const stages: SimulationResult['stages'] = timeline.stages.map((st, i) => {
    const o = run.stages[i];
    return {
      number: st.number,
      name: st.name,
      decision: o.decision,
      startMinute: st.startMinute,
      endMinute: o.endMinute,
      ...(o.reason ? { reason: o.reason } : {}),
      steps: st.steps.map((s) => ({ startMinute: s.startMinute, endMinute: s.endMinute, trafficPercent: s.trafficPercent })),
      criteria: o.criteria,
    };
  });
  const series: SimulationResult['series'] = [];
  const points = grid.points(run.durationMinutes, maxPoints);
  for (const [name, i] of setup.metricIndex) {
    const gate = setup.stageGates.flat().find((g) => g.gate.metric === name)?.gate;
    if (!gate) continue;
    series.push({
      metric: name,
      label: gate.label,
      unit: gate.unit,
      warning: gate.warning,
      critical: gate.critical,
      direction: gate.direction,
      points: points[i],
    });
  }
  const dataIssues = [
    ...grid.issues,
    ...run.gaps.map((g) => ({
      metric: g.metric,
      kind: 'gap',
      count: g.count,
      message: `${g.count} gap${g.count === 1 ? '' : 's'} over ${g.limit} min without ${g.metric} readings, the longest ${formatDuration(g.longest)} from minute ${g.longestAt}`,
    })),
  ];
  return {
    outcome: run.outcome,
    verdict: verdictOf(setup, run),
    stages,
    rollback: run.rollback,
    alerts: run.alerts,
    incidents: run.incidents,
    dataIssues,
    series,
    blastRadius: round(run.blastRadius, 2),
    durationMinutes: run.durationMinutes,
  };
}

/** One line a person reads at a glance: where it stopped, when, and on which reading. */
export function verdictOf(setup: SimSetup, run: EngineResult): string {
  const { timeline } = setup;
  if (run.outcome === 'promoted') {
    const last = [...timeline.stages].reverse().find((s) => !s.skipped && s.steps.length);
    const pct = last ? last.steps[last.steps.length - 1].trafficPercent : 0;
    const to = pct === 0 ? 'with its flag still off (0 % of users)' : `to ${pct} %`;
    return `Promoted ${to} after ${formatDuration(run.durationMinutes)}: every gate stayed green and every criterion held`;
  }
  const st = timeline.stages[run.stopStage];
  const o = run.stages[run.stopStage];
  if (run.rollback) {
    const rb = run.rollback;
    const pct = stepAt(st, rb.minute)?.trafficPercent ?? 0;
    const gate = setup.stageGates[run.stopStage].find((g) => g.gate.metric === rb.metric)!.gate;
    const incident = run.incidents.length ? ', incident opened' : '';
    return `Rolled back at ${st.name} ${pct} %, ${formatDuration(rb.minute)} in: ${metricPhrase(gate.label)} ${formatComparison(rb.value, gate.direction === 'above', rb.threshold, gate.unit)} critical → Level ${rb.level}${incident}`;
  }
  const pct = run.haltTraffic ?? stepAt(st, run.durationMinutes - 1)?.trafficPercent ?? 0;
  return `Halted at ${st.name} ${pct} %, ${formatDuration(run.durationMinutes)} in: ${o.reason ?? 'promotion held'}`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
