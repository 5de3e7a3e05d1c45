import type { SimulationResult } from './schema';
import type { EngineResult, HoldFacts } from './engine';
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
export function buildResult(setup: SimSetup, grid: Readings, run: EngineResult, maxPoints = 2000, resumed?: EngineResult): SimulationResult {
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
    ...(run.hold ? { hold: holdView(setup, run.hold) } : {}),
    ...(run.outcome === 'halted' && resumed ? { afterResume: afterResumeView(setup, run, resumed) } : {}),
  };
}

/** What the same rollout would have done had each hold been resumed: its end, and what it saw after the first hold. */
function afterResumeView(setup: SimSetup, run: EngineResult, resumed: EngineResult): NonNullable<SimulationResult['afterResume']> {
  const holds = resumed.resumed ?? [];
  const more = holds.length > 1 ? ` at each of its ${holds.length} holds` : '';
  let verdict: string;
  if (resumed.outcome === 'promoted') {
    const last = [...setup.timeline.stages].reverse().find((s) => !s.skipped && s.steps.length);
    const pct = last ? last.steps[last.steps.length - 1].trafficPercent : 0;
    verdict = `If resumed${more}: reaches ${pct} % after ${formatDuration(resumed.durationMinutes)} with no rollback`;
  } else verdict = `If resumed${more}: ${verdictOf(setup, resumed)}`;
  return {
    outcome: resumed.outcome,
    verdict,
    holds,
    rollback: resumed.rollback,
    alerts: resumed.alerts.filter((a) => a.minute >= run.durationMinutes),
    durationMinutes: resumed.durationMinutes,
    blastRadius: round(resumed.blastRadius, 2),
  };
}

/** What a hold waits on and what resuming it would mean, in words, beside the facts. */
export function holdView(setup: SimSetup, h: HoldFacts): NonNullable<SimulationResult['hold']> {
  const st = setup.timeline.stages.find((s) => s.number === h.stage)!;
  const at = `${st.name} ${h.trafficPercent} % (minutes ${h.stepStart}–${h.stepEnd})`;
  const names = h.metrics.join(', ');
  const gate = h.metrics.length ? setup.stageGates[st.index].find((g) => g.gate.metric === h.metrics[0])?.gate : undefined;
  const reading = gate && h.value !== undefined && h.threshold !== undefined ? `${formatComparison(h.value, gate.direction === 'above', h.threshold, gate.unit)}` : '';
  const waitsOn: Record<HoldFacts['kind'], () => string> = {
    'no-data': () => `readings of ${names}: none in ${at}, decided at minute ${h.minute}`,
    hole: () => `readings of ${names}: minutes ${h.from}–${h.to} of ${at} unobserved (${(h.to ?? 0) - (h.from ?? 0)} min, more than the ${h.limit} min the series may be silent), decided at minute ${h.minute}`,
    warning: () => `a person to judge ${h.count} ${gate ? metricPhrase(gate.label) : names} readings at warning or worse in ${at}${reading ? `, the worst ${reading}` : ''} (the limit is ${h.limit}), held at minute ${h.minute}${h.minute < h.stepEnd ? `, when the limit was reached` : ''}`,
    critical: () => `a person to judge a critical ${gate ? metricPhrase(gate.label) : names} reading${reading ? ` (${reading})` : ''} in ${at} that did not last long enough to roll back, held at minute ${h.minute}`,
    criterion: () => `a person to judge the criterion "${h.criterion}", not met over ${at}, held at minute ${h.minute}`,
    'before-exposure': () => `the running version: ${names} critical since minute ${h.from}, before any user saw the new one, found at minute ${h.minute} in ${at}`,
    unwatched: () => `a plan that watches ${at}: users would reach the new version with no reading to stop it`,
  };
  return {
    kind: h.kind,
    stage: h.stage,
    trafficPercent: h.trafficPercent,
    minute: h.minute,
    metrics: h.metrics,
    ...(h.from !== undefined ? { from: h.from } : {}),
    ...(h.to !== undefined ? { to: h.to } : {}),
    ...(h.count !== undefined ? { count: h.count } : {}),
    ...(h.limit !== undefined ? { limit: h.limit } : {}),
    waitsOn: waitsOn[h.kind](),
    resume: resumeMeaning(setup, h),
  };
}

function resumeMeaning(setup: SimSetup, h: HoldFacts): string {
  const steps = setup.timeline.stages.filter((s) => !s.skipped).flatMap((s) => s.steps.map((step) => ({ ...step, name: s.name })));
  const next = steps.find((s) => s.startMinute >= h.stepEnd && s.endMinute > s.startMinute);
  const onward = next ? `promotes to ${next.name} ${next.trafficPercent} % at minute ${next.startMinute}` : 'completes the rollout';
  switch (h.kind) {
    case 'no-data':
    case 'hole':
      return h.minute < h.stepEnd
        ? `resuming keeps ${h.trafficPercent} % of users on the new version to minute ${h.stepEnd} with ${h.metrics.join(', ')} unobserved: no gate can judge it until readings come back — mend the exporter or the trace first`
        : `resuming ${onward} with ${h.metrics.join(', ')} unobserved: no gate vouches for that step`;
    case 'warning':
      if (h.minute < h.stepEnd) {
        return `resuming accepts what was seen and keeps ${h.trafficPercent} % of users on the new version to minute ${h.stepEnd}, then ${onward}; ${h.metrics.join(', ')} warnings are accepted for the rest of the step, the gates go on watching, and a critical reading still rolls back`;
      }
      return `resuming accepts what was seen and ${onward}; the gates go on watching, and a critical reading still rolls back`;
    case 'critical':
    case 'criterion':
      return `resuming accepts what was seen and ${onward}; the gates go on watching, and a critical reading still rolls back`;
    case 'before-exposure':
      return 'resuming goes on exposing users while the running version is already critical: a rollback could not fix it — fix the running version, then start again';
    case 'unwatched':
      return `resuming sends ${h.trafficPercent} % of users to the new version with nothing watching it`;
  }
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
