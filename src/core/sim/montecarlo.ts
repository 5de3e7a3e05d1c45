import type { MonteCarloResult } from './schema';
import { runEngine } from './engine';
import { FastModel, FastRunner } from './fast';
import type { ScenarioModel } from './scenarios';

/** The per-run figures Monte Carlo keeps: small enough to ship between threads. */
export interface RunSummary {
  /** 0 promoted, 1 rolled back, 2 halted. */
  outcome: Int8Array;
  /** Index of the stage that stopped the run, -1 when promoted. */
  stopStage: Int8Array;
  blastRadius: Float64Array;
}

const OUTCOME_CODE = { promoted: 0, rolled_back: 1, halted: 2 } as const;

/** The fast path's tables, worked out once per scenario model (a pooled thread runs many calls on one model). */
const FAST = new WeakMap<ScenarioModel, FastModel | null>();
function fastModelOf(model: ScenarioModel): FastModel | undefined {
  let f = FAST.get(model);
  if (f === undefined) FAST.set(model, (f = FastModel.of(model) ?? null));
  return f ?? undefined;
}

/**
 * Runs seeds `firstSeed … firstSeed + runs − 1`, each on the fly: no trace is ever materialised.
 * Runs draw only the minutes a gate could react to and each step's sums (fast.ts) where the scenario
 * allows; `exact` (and any other scenario) draws every reading through the per-reading engine.
 */
export function runSeeds(model: ScenarioModel, firstSeed: number, runs: number, exact = false): RunSummary {
  const outcome = new Int8Array(runs);
  const stopStage = new Int8Array(runs);
  const blastRadius = new Float64Array(runs);
  const fast = exact ? undefined : fastModelOf(model);
  if (fast) {
    const runner = new FastRunner(fast);
    for (let k = 0; k < runs; k++) {
      const r = runner.run(firstSeed + k);
      outcome[k] = r.outcome;
      stopStage[k] = r.stopStage;
      blastRadius[k] = r.blastRadius;
    }
    return { outcome, stopStage, blastRadius };
  }
  for (let k = 0; k < runs; k++) {
    const r = runEngine(model.setup, model.source(firstSeed + k), false);
    outcome[k] = OUTCOME_CODE[r.outcome];
    stopStage[k] = r.stopStage;
    blastRadius[k] = r.blastRadius;
  }
  return { outcome, stopStage, blastRadius };
}

/** Shares, where regressions were caught, and the blast radius distribution. */
export function summarize(model: ScenarioModel, firstSeed: number, parts: RunSummary[], elapsedMs: number): MonteCarloResult {
  const stages = model.setup.timeline.stages;
  const runs = parts.reduce((n, p) => n + p.outcome.length, 0);
  const counts = [0, 0, 0];
  const rolledBack = new Array<number>(stages.length).fill(0);
  const halted = new Array<number>(stages.length).fill(0);
  const blast = new Float64Array(runs);
  let at = 0;
  for (const p of parts) {
    for (let k = 0; k < p.outcome.length; k++) {
      counts[p.outcome[k]]++;
      if (p.outcome[k] === 1) rolledBack[p.stopStage[k]]++;
      if (p.outcome[k] === 2) halted[p.stopStage[k]]++;
    }
    blast.set(p.blastRadius, at);
    at += p.blastRadius.length;
  }
  blast.sort();
  const share = (n: number) => (runs ? n / runs : 0);
  return {
    runs,
    scenario: model.scenario,
    firstSeed,
    promoted: share(counts[0]),
    rolledBack: share(counts[1]),
    halted: share(counts[2]),
    caughtAt: stages
      .map((st, i) => ({ stage: st.number, name: st.name, rolledBack: rolledBack[i], halted: halted[i], share: share(rolledBack[i] + halted[i]) }))
      .filter((c) => c.rolledBack + c.halted > 0),
    blastRadius: {
      min: quantile(blast, 0),
      median: quantile(blast, 0.5),
      p95: quantile(blast, 0.95),
      max: quantile(blast, 1),
    },
    elapsedMs: Math.round(elapsedMs),
  };
}

/** Nearest-rank quantile of sorted values, rounded for display. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[i] * 100) / 100;
}

/** N seeded runs in this thread; `exact` draws every reading (the reference the fast path is held to). */
export function monteCarlo(model: ScenarioModel, runs: number, firstSeed = 1, { exact = false } = {}): MonteCarloResult {
  const t0 = performance.now();
  const part = runSeeds(model, firstSeed, runs, exact);
  return summarize(model, firstSeed, [part], performance.now() - t0);
}
