import type { Alert, CriterionResult } from './schema';
import { checkCriteria, type CriteriaContext } from './criteria';
import { formatComparison, formatDuration, formatValue, metricPhrase } from './format';
import { CRITICAL, feedGate, GateEvent, newGateState, OK, thresholdOf, WARNING, type CompiledGate, type GateState } from './gate';
import type { SimSetup } from './setup';
import { MeanAccumulator, StepStats } from './stats';

/**
 * The stage state machine: walks the plan minute by minute, feeds every reading to the stage's
 * gates, rolls back on a critical gate, holds the minute a gate reaches its warning limit, and at
 * the end of each step decides whether it promotes.
 * It reads samples through a `MinuteSource`, so a recorded trace and a generator that never
 * materialises its samples (Monte Carlo) go through exactly the same decisions.
 */
export interface MinuteSource {
  /** First minute (≤ 0) the source can give; minutes before 0 are the pre-rollout baseline. */
  readonly firstMinute: number;
  /** Writes the readings of one minute, in the setup's metric order; NaN where nothing was measured. Called with rising minutes. */
  fill(minute: number, out: Float64Array): void;
}

export type Decision = 'promoted' | 'rolled_back' | 'held' | 'skipped' | 'not_reached';

export interface StageOutcome {
  decision: Decision;
  /** Minute the stage actually stopped at (its planned end unless it stopped early). */
  endMinute: number;
  reason?: string;
  criteria: CriterionResult[];
}

export interface Rollback {
  stage: number;
  minute: number;
  metric: string;
  value: number;
  threshold: number;
  level: number;
}

export interface GapReport {
  metric: string;
  /** Minutes of silence that make a hole for this series (a few of its own readings). */
  limit: number;
  count: number;
  longest: number;
  longestAt: number;
}

/** What a hold waits on, as facts: the result turns them into sentences. */
export interface HoldFacts {
  kind: 'no-data' | 'hole' | 'warning' | 'critical' | 'criterion' | 'before-exposure' | 'unwatched';
  /** Minute the hold was decided. */
  minute: number;
  stage: number;
  /** The step held: its span and traffic. */
  stepStart: number;
  stepEnd: number;
  trafficPercent: number;
  metrics: string[];
  /** The unobserved minutes (a hole), or the run that predates the rollout. */
  from?: number;
  to?: number;
  /** Readings counted towards the warning limit, and the limit. */
  count?: number;
  limit?: number;
  /** The reading that held it, and its threshold. */
  value?: number;
  threshold?: number;
  criterion?: string;
}

export interface EngineResult {
  outcome: 'promoted' | 'rolled_back' | 'halted';
  /** Index of the stage that rolled back or held; -1 when promoted. */
  stopStage: number;
  /** Minutes simulated from minute 0. */
  durationMinutes: number;
  rollback: Rollback | null;
  alerts: Alert[];
  incidents: { minute: number; metric: string; message: string }[];
  stages: StageOutcome[];
  /** Sum of the new version's traffic share over the minutes simulated. */
  blastRadius: number;
  gaps: GapReport[];
  /** Traffic percent of the step a blind halt stopped at (a step nothing observes). */
  haltTraffic?: number;
  /** Set when the outcome is `halted`. */
  hold?: HoldFacts;
  /** In a run that goes on past its holds (as if an operator resumed each one): the holds passed, in order. */
  resumed?: { minute: number; stage: number; reason: string }[];
}

/**
 * `explain: false` (Monte Carlo) skips what only the report needs: passed criteria's sentences, gap counts.
 * `resume: true` goes on past every hold, as if an operator resumed it, and lists the holds passed;
 * the run then ends only in a promotion, a rollback, or a plan that watches nothing.
 */
export function runEngine(setup: SimSetup, source: MinuteSource, explain = true, resume = false): EngineResult {
  const { timeline, metrics } = setup;
  const M = metrics.length;
  const buf = new Float64Array(M);
  const baseline = new MeanAccumulator(M);
  const stats = new StepStats(M);
  const previousMean = new Float64Array(M).fill(NaN);
  const worstSeverity = new Int8Array(M);
  const worstValue = new Float64Array(M);
  const lastSeen = new Float64Array(M);
  const gapOf = setup.metricGapLimits;
  const gaps: GapReport[] = metrics.map((m, i) => ({ metric: m.name, limit: setup.metricGapLimits[i], count: 0, longest: 0, longestAt: 0 }));
  const firstExposure = timeline.firstExposure;
  // Gate state per metric, carried from stage to stage: a run of bad readings that crosses a
  // boundary (or began before minute 0) is one run.
  const carried: (GateState | undefined)[] = new Array(M);
  lastSeen.fill(-1);
  const alerts: Alert[] = [];
  const incidents: EngineResult['incidents'] = [];
  const stages: StageOutcome[] = timeline.stages.map((s) => ({
    decision: s.skipped ? 'skipped' : 'not_reached',
    endMinute: s.endMinute,
    criteria: [],
  }));
  let blast = 0;
  let hold: HoldFacts | undefined;
  const resumed: NonNullable<EngineResult['resumed']> = [];
  // Resuming past a hole or an older condition notes it once: per metric, the reading it followed.
  const holeNoted = new Float64Array(M).fill(NaN);
  const olderNoted = new Set<number>();
  // Imported bindings read in the per-minute loop, held locally: some module loaders turn each
  // read of an import into a property lookup, and this loop runs millions of times.
  const feed = feedGate;
  const NONE = GateEvent.None;
  const ROLLBACK = GateEvent.Rollback;
  const GREEN = OK;

  // Pre-rollout readings set the baseline, and go through the first gate of their metric so that
  // a condition that was already there at minute 0 is known to predate the rollout.
  const preGate: (CompiledGate | undefined)[] = new Array(M);
  for (const gs of setup.stageGates) for (const g of gs) preGate[g.metricIndex] ??= g;
  for (let m = source.firstMinute; m < 0; m++) {
    source.fill(m, buf);
    for (let i = 0; i < M; i++) {
      const v = buf[i];
      if (v !== v) continue;
      baseline.add(i, v);
      const g = preGate[i];
      if (!g) continue;
      const gs = (carried[i] ??= newGateState());
      // As in the step loop: a green reading with no run going changes nothing but the silence.
      if (gs.warnRun === 0 && gs.severity === GREEN && (g.above ? v <= g.warning : v >= g.warning)) gs.lastSample = m;
      else feed(g, gs, v, m, g.gapLimit);
    }
  }

  const ctx: CriteriaContext = { metrics, metricIndex: setup.metricIndex, stats, baseline, previousMean, worstSeverity, worstValue, explain };

  // A plan that watches nothing cannot tell a good version from a bad one: it never promotes.
  const watched = timeline.stages.some((st) => !st.skipped && setup.stageGates[st.index].length > 0 && st.steps.some((s) => s.endMinute > s.startMinute));
  if (!watched) {
    const first = timeline.stages.find((st) => !st.skipped) ?? timeline.stages[0];
    return blind(first, first.startMinute, first.steps[0]?.trafficPercent ?? 0, blindPlan(setup.plan.tier), blast);
  }

  for (const st of timeline.stages) {
    if (st.skipped) continue;
    const out = stages[st.index];
    const gates = setup.stageGates[st.index];
    const states = stageStates(gates, carried);
    const watchedMetrics = Int32Array.from(new Set(gates.map((g) => g.metricIndex)));
    // Per gate, in a run that resumes its holds: its warnings were accepted for the rest of the step.
    const accepted = new Uint8Array(gates.length);
    let nextHole = earliestHole(watchedMetrics, lastSeen, gapOf);
    const exposing = st.steps.filter((s) => s.trafficPercent > 0);
    if (exposing.length && gates.length === 0) {
      const pct = Math.max(...exposing.map((s) => s.trafficPercent));
      return blind(st, st.startMinute, pct, `${st.name} sends up to ${pct} % of users to the new version with no gate on it: no reading could stop a bad version — turn a gate on for this stage (the policy's "gates", or "gates" of stage ${st.number} in a plan file)`, blast);
    }
    const observed = st.steps.some((s) => s.endMinute > s.startMinute);
    if (!observed && exposing.length) return blind(st, st.startMinute, exposing[0].trafficPercent, zeroWait(st.name, exposing[0].trafficPercent), blast);
    if (!observed) {
      out.decision = 'promoted';
      out.reason = 'a 0-minute stage: nothing to observe, its checks happen at deploy time';
      out.criteria = st.stage.successCriteria.map((c) => ({
        id: c.id, text: c.text, kind: c.kind, status: 'assumed', detail: 'not observable in a 0-minute stage',
      }));
      continue;
    }
    for (const step of st.steps) {
      const a = step.startMinute;
      const b = step.endMinute;
      if (b <= a) {
        if (step.trafficPercent > 0) return blind(st, a, step.trafficPercent, zeroWait(st.name, step.trafficPercent), blast);
        continue;
      }
      stats.reset();
      worstSeverity.fill(OK);
      for (let k = 0; k < states.length; k++) carryInto(states[k], gates[k], a);
      accepted.fill(0);
      const share = step.trafficPercent / 100;
      const third1 = a + (b - a) / 3;
      const third2 = a + (2 * (b - a)) / 3;
      for (let m = a; m < b; m++) {
        // A step is vouched for minute by minute: once a gated series is silent for longer than a
        // few of its own readings, nothing can say the version is healthy, and the step holds now.
        // Deadlines only move later as readings come, so the earliest is rechecked only once reached.
        if (m >= nextHole) nextHole = earliestHole(watchedMetrics, lastSeen, gapOf);
        for (let w = 0; m >= nextHole && w < watchedMetrics.length; w++) {
          const i = watchedMetrics[w];
          if (m - lastSeen[i] - 1 > gapOf[i] && resume) {
            if (holeNoted[i] !== lastSeen[i]) resumed.push({ minute: m, stage: st.number, reason: holeReason(setup, watchedMetrics, stats, lastSeen, m, `${st.name} ${step.trafficPercent} % (minutes ${a}–${b})`, b) });
            for (const j of watchedMetrics) if (m - lastSeen[j] - 1 > gapOf[j]) holeNoted[j] = lastSeen[j];
          } else if (m - lastSeen[i] - 1 > gapOf[i]) {
            const reason = holeReason(setup, watchedMetrics, stats, lastSeen, m, `${st.name} ${step.trafficPercent} % (minutes ${a}–${b})`, b);
            if (explain) for (const j of watchedMetrics) if (m - lastSeen[j] - 1 > gapOf[j]) noteGap(gaps[j], m - lastSeen[j] - 1, lastSeen[j] + 1);
            out.decision = 'held';
            out.endMinute = m;
            out.reason = reason;
            out.criteria = [];
            hold = holeFacts(setup, watchedMetrics, stats, lastSeen, m, st.number, step);
            return finish('halted', st.index, m, null, blast);
          }
        }
        source.fill(m, buf);
        blast += share;
        const third = m < third1 ? 0 : m >= third2 ? 2 : 1;
        const exposed = m >= firstExposure;
        for (let i = 0; i < M; i++) {
          const v = buf[i];
          if (v !== v) continue;
          stats.add(i, v, third);
          if (!exposed) baseline.add(i, v);
          // Holes are decided on above; counting them for the report is only for a run that explains.
          if (explain) {
            const silent = m - lastSeen[i] - 1;
            if (silent > gapOf[i]) noteGap(gaps[i], silent, lastSeen[i] + 1);
          }
          lastSeen[i] = m;
        }
        let warned = -1;
        for (let k = 0; k < gates.length; k++) {
          const g = gates[k];
          const v = buf[g.metricIndex];
          if (v !== v) continue;
          const gs0 = states[k];
          // Fast path: a green reading on a gate with no run going changes nothing.
          if (gs0.warnRun === 0 && gs0.severity === GREEN && (g.above ? v <= g.warning : v >= g.warning)) continue;
          const ev = feed(g, gs0, v, m, g.gapLimit);
          // The warning limit is reached: the step holds this minute, unless a critical reading is among
          // the counted ones (the gate's critical rules then have the step to roll back: a hold decided
          // now would stop a flapping critical before its failure limit), or a gate rolls back this minute.
          if (warned < 0 && gs0.warnCount >= g.warningLimit && gs0.critCount === 0 && accepted[k] === 0) warned = k;
          if (ev === NONE) continue;
          const gs = states[k];
          if (gs.entered !== GREEN) alerts.push(alertOf(g, gs.entered, v, m, st.number));
          if (ev === ROLLBACK && gs.critRun > 0 && gs.critStart < 0 && resume) {
            if (!olderNoted.has(g.metricIndex)) resumed.push({ minute: m, stage: st.number, reason: `${metricPhrase(g.gate.label)} critical since minute ${gs.critStart}, before any exposure: not caused by this rollout` });
            olderNoted.add(g.metricIndex);
            continue;
          }
          if (ev === ROLLBACK && gs.critRun > 0 && gs.critStart < 0) {
            // The run began before the new version existed: rolling it back would not help.
            out.decision = 'held';
            out.endMinute = m + 1;
            out.reason = `${metricPhrase(g.gate.label)} ${formatComparison(v, g.above, g.critical, g.gate.unit)} critical since minute ${gs.critStart}, before any exposure: not caused by this rollout — fix the running version first, then start the rollout again`;
            hold = { kind: 'before-exposure', minute: m, stage: st.number, stepStart: a, stepEnd: b, trafficPercent: step.trafficPercent, metrics: [g.gate.metric], from: gs.critStart, to: m + 1, value: v, threshold: g.critical };
            return finish('halted', st.index, m + 1, null, blast);
          }
          if (ev === ROLLBACK) {
            // The minute of the bad reading counts as exposed: it is already in `blast`.
            const rb: Rollback = { stage: st.number, minute: m, metric: g.gate.metric, value: v, threshold: g.critical, level: g.gate.rollbackLevel };
            out.decision = 'rolled_back';
            out.endMinute = m + 1;
            const flapping = gs.critCount >= g.failureLimit && !(gs.severity === CRITICAL && m - gs.critStart + g.resolution >= g.sustainMinutes);
            const how = flapping ? ` (${gs.critCount} critical readings in this step, the limit is ${g.failureLimit})` : g.sustainMinutes > 1 ? ` for ${formatDuration(m - gs.critStart + g.resolution)}` : '';
            out.reason = `${metricPhrase(g.gate.label)} ${formatComparison(v, g.above, g.critical, g.gate.unit)} critical${how} → Level ${g.gate.rollbackLevel} rollback`;
            if (g.gate.incident) incidents.push({ minute: m, metric: g.gate.metric, message: `${g.gate.label}: ${formatValue(v, g.gate.unit)} at ${st.name} — ${g.gate.action}` });
            return finish('rolled_back', st.index, m + 1, rb, blast);
          }
        }
        if (warned >= 0) {
          const g = gates[warned];
          const gs = states[warned];
          const v = buf[g.metricIndex];
          const reason = warningReason(g, gs, v, m);
          if (resume) {
            // Resumed, the gate's warnings are accepted for the rest of the step; its critical rules still hold.
            resumed.push({ minute: m, stage: st.number, reason });
            accepted[warned] = 1;
          } else {
            out.decision = 'held';
            out.endMinute = m + 1;
            out.reason = reason;
            out.criteria = [];
            hold = {
              kind: 'warning', minute: m, stage: st.number, stepStart: a, stepEnd: b, trafficPercent: step.trafficPercent, metrics: [g.gate.metric],
              count: gs.warnCount, limit: g.warningLimit, value: gs.worst === WARNING ? gs.worstValue : v, threshold: g.warning,
            };
            return finish('halted', st.index, m + 1, null, blast);
          }
        }
      }
      for (let k = 0; k < gates.length; k++) {
        const i = gates[k].metricIndex;
        const s = states[k];
        // Stray warnings below the gate's warning limit are reported, not held on.
        const worst = s.worst === WARNING && s.warnCount < gates[k].warningLimit ? OK : s.worst;
        if (worst > worstSeverity[i]) {
          worstSeverity[i] = worst;
          worstValue[i] = s.worstValue;
        }
      }
      const empty = unread(gates, stats);
      const held = empty.length ? `no data for ${empty.join(', ')} during ${st.name} ${step.trafficPercent} % (minutes ${a}–${b}): ${noDataAdvice(empty)}` : holdReason(gates, states, accepted);
      let criteria = checkCriteria(st.stage.successCriteria, ctx);
      let failed = criteria.find((c) => c.status === 'failed' || c.status === 'no-data');
      if (failed && !explain) {
        // A hold is rare and its reason is the verdict: write it out even in a Monte Carlo run.
        criteria = checkCriteria(st.stage.successCriteria, { ...ctx, explain: true });
        failed = criteria.find((c) => c.status === 'failed' || c.status === 'no-data');
      }
      out.criteria = criteria;
      if ((held || failed) && resume) {
        // A silence already resumed in this step is not a second hold at its end.
        const last = resumed[resumed.length - 1];
        if (!(empty.length && last && last.stage === st.number && last.minute >= a)) resumed.push({ minute: b, stage: st.number, reason: held ?? `criterion not met: ${failed!.text} — ${failed!.detail}` });
      }
      else if (held || failed) {
        // A critical run still going when the step ends is watched on, at this step's traffic, until
        // it is sustained (rollback) or breaks: a run that crosses the boundary is still one run.
        let stopAt = b;
        for (let m = b, until = Math.min(timeline.totalMinutes, b + pendingSustain(gates, states, b)); m < until && states.some((x) => x.critRun > 0); m++) {
          stopAt = m + 1;
          source.fill(m, buf);
          blast += share;
          for (let k = 0; k < gates.length; k++) {
            const g = gates[k];
            const v = buf[g.metricIndex];
            if (v !== v || states[k].critRun === 0) continue;
            const gs = states[k];
            const ev = feed(g, gs, v, m, g.gapLimit);
            if (ev === ROLLBACK) {
              const rb: Rollback = { stage: st.number, minute: m, metric: g.gate.metric, value: v, threshold: g.critical, level: g.gate.rollbackLevel };
              out.decision = 'rolled_back';
              out.endMinute = m + 1;
              out.reason = `${metricPhrase(g.gate.label)} ${formatComparison(v, g.above, g.critical, g.gate.unit)} critical for ${formatDuration(m - gs.critStart + g.resolution)}, held at the end of the step and sustained past it → Level ${g.gate.rollbackLevel} rollback`;
              if (g.gate.incident) incidents.push({ minute: m, metric: g.gate.metric, message: `${g.gate.label}: ${formatValue(v, g.gate.unit)} at ${st.name} — ${g.gate.action}` });
              return finish('rolled_back', st.index, m + 1, rb, blast);
            }
          }
        }
        out.decision = 'held';
        out.endMinute = stopAt;
        out.reason = held ?? `criterion not met: ${failed!.text} — ${failed!.detail}`;
        const where = { minute: stopAt, stage: st.number, stepStart: a, stepEnd: b, trafficPercent: step.trafficPercent };
        hold = empty.length
          ? { kind: 'no-data', ...where, metrics: empty, from: a, to: b }
          : held
            ? { ...where, ...gateHoldFacts(gates, states, accepted)! }
            : { kind: 'criterion', ...where, metrics: criterionMetrics(st.stage.successCriteria, failed!.id), criterion: failed!.text };
        return finish('halted', st.index, stopAt, null, blast);
      }
      if (step.trafficPercent > 0) for (let i = 0; i < M; i++) if (stats.count(i) > 0) previousMean[i] = stats.mean(i);
    }
    out.decision = 'promoted';
    out.reason = 'every gate stayed green and every criterion held';
  }
  return finish('promoted', -1, timeline.totalMinutes, null, blast);

  // `blast` is passed in rather than captured: a captured number would be boxed on every update.
  /** Halts where users would be exposed with nothing watching: the stage is held, the plan never promotes. */
  function blind(st: (typeof timeline.stages)[number], minute: number, traffic: number, reason: string, blastRadius: number): EngineResult {
    const out = stages[st.index];
    out.decision = 'held';
    out.endMinute = minute;
    out.reason = reason;
    const step = st.steps.find((s) => s.startMinute >= minute) ?? st.steps[0];
    hold = { kind: 'unwatched', minute, stage: st.number, stepStart: step?.startMinute ?? minute, stepEnd: step?.endMinute ?? minute, trafficPercent: traffic, metrics: [] };
    return { ...finish('halted', st.index, minute, null, blastRadius), haltTraffic: traffic };
  }

  function finish(outcome: EngineResult['outcome'], stopStage: number, durationMinutes: number, rollback: Rollback | null, blastRadius: number): EngineResult {
    return {
      outcome,
      stopStage,
      durationMinutes,
      rollback,
      alerts,
      incidents,
      stages,
      blastRadius,
      gaps: gaps.filter((g) => g.count > 0),
      ...(hold && outcome === 'halted' ? { hold } : {}),
      ...(resume ? { resumed } : {}),
    };
  }
}

function blindPlan(tier: string): string {
  const fix =
    tier === 'ZERO'
      ? 'a ZERO-risk plan deploys at once by design; simulate the plan of a higher tier to see a watched rollout'
      : 'turn a gate on (the policy\'s "gates") and give a step with traffic a wait above 0 h';
  return `the plan watches nothing: no stage has both a gate and a step that lasts, so no reading could stop a bad version — ${fix}`;
}

function zeroWait(stage: string, traffic: number): string {
  return `${stage} ${traffic} % waits 0 h: the new version reaches ${traffic} % of users with nothing observed, so no gate could stop it — give the step a wait above 0 h (waitHours in the policy's rollout steps or the plan file), or simulate a plan that watches its rollout (a higher tier)`;
}

/**
 * A gate's counts at the start of a step: the step's own, plus the readings of a run still going at
 * the boundary (a run that crosses a step boundary is one run, for the warning limit too).
 */
export function carryInto(s: GateState, g: CompiledGate, start: number): void {
  const live = start - s.lastSample <= g.gapLimit + 1;
  s.worst = OK;
  s.worstValue = NaN;
  s.critCount = live ? s.critRun : 0;
  s.warnCount = live ? s.warnRun : 0;
  s.carriedWarn = s.warnCount;
}

/**
 * The hold of a gate that reached its warning limit at minute `m` on reading `v`: decided as it
 * happens, as Argo Rollouts pauses at the measurement past its `inconclusiveLimit`.
 */
function warningReason(g: CompiledGate, s: GateState, v: number, m: number): string {
  const where = s.carriedWarn > 0 ? `in this step and the run going into it (${s.carriedWarn} before it; the limit is ${g.warningLimit})` : `in this step (the limit is ${g.warningLimit})`;
  return `${metricPhrase(g.gate.label)} ${formatComparison(v, g.above, g.warning, g.gate.unit)} warning at ${formatDuration(m)}, the ${ordinal(s.warnCount)} reading at warning or worse ${where}: promotion held`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/**
 * Why a step cannot promote on its gates alone at its end: a brief critical reading, or a warning
 * limit reached with a critical reading among the counted ones (the limit reached on warnings alone
 * held in its minute). A gate whose warnings were accepted on resume is not held on them again.
 */
function holdReason(gates: CompiledGate[], states: GateState[], accepted: Uint8Array): string | undefined {
  for (let k = 0; k < gates.length; k++) {
    const s = states[k];
    const g = gates[k];
    if (accepted[k] && s.worst < CRITICAL) continue;
    if (s.worst < CRITICAL && s.warnCount >= g.warningLimit && s.worst === OK) {
      const where = s.carriedWarn > 0 ? `in this step and the run going into it (${s.carriedWarn} before it)` : 'in this step';
      return `${s.warnCount} ${metricPhrase(g.gate.label)} readings ${g.above ? 'over' : 'under'} the ${formatValue(g.warning, g.gate.unit)} warning ${where} (the limit is ${g.warningLimit}): promotion held`;
    }
    if (s.worst === CRITICAL || (s.worst === WARNING && s.warnCount >= g.warningLimit)) {
      const sev = s.worst === CRITICAL ? 'critical' : 'warning';
      const carried = s.carriedWarn > 0 ? ` (${s.warnCount} warning readings, ${s.carriedWarn} of them in a run that began in the step before; the limit is ${g.warningLimit})` : '';
      const extra = s.worst === CRITICAL ? ` (not sustained ${formatDuration(g.sustainMinutes)}, so no rollback)` : carried;
      return `${metricPhrase(g.gate.label)} ${formatComparison(s.worstValue, g.above, thresholdOf(g, s.worst), g.gate.unit)} ${sev} at ${formatDuration(s.worstMinute)}${extra}: promotion held`;
    }
  }
  return undefined;
}

function criterionMetrics(criteria: readonly { id: string; metric?: string }[], id: string): string[] {
  const metric = criteria.find((c) => c.id === id)?.metric;
  return metric ? [metric] : [];
}

/** The gate a step-end hold names (the one `holdReason` words), as facts. */
function gateHoldFacts(gates: CompiledGate[], states: GateState[], accepted: Uint8Array): Pick<HoldFacts, 'kind' | 'metrics' | 'count' | 'limit' | 'value' | 'threshold'> | undefined {
  for (let k = 0; k < gates.length; k++) {
    const s = states[k];
    const g = gates[k];
    if (accepted[k] && s.worst < CRITICAL) continue;
    if (s.worst === CRITICAL) return { kind: 'critical', metrics: [g.gate.metric], count: s.critCount, limit: g.failureLimit, value: s.worstValue, threshold: g.critical };
    if (s.warnCount >= g.warningLimit && s.worst <= WARNING) {
      return { kind: 'warning', metrics: [g.gate.metric], count: s.warnCount, limit: g.warningLimit, ...(s.worst === WARNING ? { value: s.worstValue } : {}), threshold: g.warning };
    }
  }
  return undefined;
}

/** The facts of a hole halt at minute `m`: the silent series, the span nobody observed, the limit. */
function holeFacts(setup: SimSetup, watched: Int32Array, stats: StepStats, lastSeen: Float64Array, m: number, stage: number, step: { startMinute: number; endMinute: number; trafficPercent: number }): HoldFacts {
  const holes = [...watched].filter((i) => m - lastSeen[i] - 1 > setup.metricGapLimits[i]);
  const metrics = [...new Set(holes.map((i) => setup.metrics[i].name))];
  const none = holes.every((i) => stats.count(i) === 0);
  return {
    kind: none ? 'no-data' : 'hole', minute: m, stage, stepStart: step.startMinute, stepEnd: step.endMinute, trafficPercent: step.trafficPercent, metrics,
    from: Math.min(...holes.map((i) => lastSeen[i] + 1)), to: m, limit: Math.min(...holes.map((i) => setup.metricGapLimits[i])),
  };
}

/**
 * Why a step holds at minute `m`: the gated series silent for longer than their hole limit, with
 * the span nobody observed. A series with no reading in the step at all is "no data".
 */
function holeReason(setup: SimSetup, watched: Int32Array, stats: StepStats, lastSeen: Float64Array, m: number, where: string, end: number): string {
  const holes = [...watched].filter((i) => m - lastSeen[i] - 1 > setup.metricGapLimits[i]);
  const names = (is: number[]) => [...new Set(is.map((i) => setup.metrics[i].name))];
  const silent = names(holes.filter((i) => stats.count(i) === 0));
  if (silent.length === holes.length) return `no data for ${silent.join(', ')} during ${where}: ${noDataAdvice(silent)}`;
  const since = Math.min(...holes.map((i) => lastSeen[i] + 1));
  const limit = Math.min(...holes.map((i) => setup.metricGapLimits[i]));
  return `no reading of ${names(holes).join(', ')} after ${formatDuration(since)}, ${formatDuration(end - since)} before the end of ${where}: a gate cannot pass on data that stopped or has a hole — minutes ${since}–${m} are unobserved (${m - since} min, more than the ${limit} min this series may be silent); replay a trace that covers the whole plan (it may end too early), or mend the exporter`;
}

/**
 * A stage's gate states: each metric's first gate carries on the state its metric had (a run that
 * crosses the boundary stays one run). Outside `runEngine` so no closure captures its loop variables.
 */
export function stageStates(gates: CompiledGate[], carried: (GateState | undefined)[]): GateState[] {
  return gates.map((g, k) => {
    const own = gates.findIndex((h) => h.metricIndex === g.metricIndex) === k;
    return own ? (carried[g.metricIndex] ??= newGateState()) : newGateState();
  });
}

/** The gated metrics without a reading in the step (a function of its own: a closure here would capture the loop's `stats`). */
function unread(gates: CompiledGate[], stats: StepStats): string[] {
  return [...new Set(gates.filter((g) => stats.count(g.metricIndex) === 0).map((g) => g.gate.metric))];
}

/** The first minute at which one of the watched series would be silent for longer than its hole limit. */
function earliestHole(watched: Int32Array, lastSeen: Float64Array, gapOf: Float64Array): number {
  let at = Infinity;
  for (let w = 0; w < watched.length; w++) at = Math.min(at, lastSeen[watched[w]] + gapOf[watched[w]] + 2);
  return at;
}

/** Minutes past a step's end a critical run still going needs to be sustained; 0 when none is going. */
export function pendingSustain(gates: CompiledGate[], states: GateState[], end: number): number {
  let most = 0;
  for (let k = 0; k < gates.length; k++) {
    const g = gates[k];
    const s = states[k];
    if (s.severity !== CRITICAL || s.critRun === 0 || end - s.lastSample > g.gapLimit) continue;
    most = Math.max(most, s.critStart + g.sustainMinutes - g.resolution + 1 - end);
  }
  return Math.max(0, most);
}

/** What to do about a gate with no readings: the two ways out, the second as the exact policy lines to write. */
export function noDataAdvice(metrics: readonly string[]): string {
  const off = metrics.map((m) => `${JSON.stringify(m)}: {"enabled": false}`).join(', ');
  const them = metrics.length > 1 ? 'the metrics' : 'the metric';
  const gate = metrics.length > 1 ? 'those gates' : 'the gate';
  return `a gate with nothing to read cannot pass — add ${them} to the trace, or turn ${gate} off in .rollout-lens.json with "gates": {${off}}`;
}

function noteGap(g: GapReport, length: number, at: number): void {
  g.count++;
  if (length > g.longest) {
    g.longest = length;
    g.longestAt = at;
  }
}

function alertOf(g: CompiledGate, severity: number, value: number, minute: number, stage: number): Alert {
  const sev = severity === CRITICAL ? 'critical' : 'warning';
  const threshold = thresholdOf(g, severity);
  return {
    minute,
    stage,
    metric: g.gate.metric,
    severity: sev,
    value,
    threshold,
    message: `${g.gate.label} ${formatComparison(value, g.above, threshold, g.gate.unit)} ${sev}`,
  };
}
