import { checkCriteria, type CriteriaContext } from './criteria';
import { carryInto, pendingSustain, stageStates } from './engine';
import { CRITICAL, feedGate, GateEvent, newGateState, OK, type CompiledGate, type GateState } from './gate';
import { normalCdf } from './mixture';
import { normalQuantile, Rng128 } from './prng';
import { NOISE, PRE_ROLLOUT_MINUTES, type MinuteTables, type ScenarioModel } from './scenarios';
import type { SimSetup } from './setup';
import { MeanAccumulator, StepStats } from './stats';

/**
 * Monte Carlo without drawing every reading. A scenario's readings are independent from minute to
 * minute, each a known distribution, so a run needs only:
 * - the minutes where some reading is not green (outside a "quiet box" below every gate's warning):
 *   a Bernoulli process whose per-minute probability the model gives exactly, drawn by inverting its
 *   cumulative hazard (one uniform and a binary search per such minute). Those minutes are drawn in
 *   full, conditioned on leaving the box, and go through the same gate code as the per-reading engine;
 *   a quiet minute between them is a green reading, which breaks a run;
 * - each step third's count, sum and sum of squares of the quiet readings, which the success criteria
 *   read: drawn from their distribution (normal sums of the truncated readings, a chi-square spread).
 * Outcomes and caught-at stages have the same distribution as the per-reading engine's (a test holds
 * the two to binomial error); the draws differ, so run k is not the trace of seed k. The per-reading
 * engine stays the reference and runs single simulations, and any plan or scenario this does not cover.
 */

/** Upper bound on the "other failures" noise inside the box: beyond it (p ≈ 1e-9) a minute is drawn in full. */
const OTHER_BOX = 6;
/** Log of a quiet minute's probability is floored here: a minute that is sure to be interesting. */
const LOG_FLOOR = -50;
/** Draws of the fast path are salted so they never line up with the per-reading stream of the same seed. */
const SALT = 0x2545f491;

const C_ERR = 0, C_LAT = 1, C_OTHER = 2, C_DB = 3, C_SEC = 4;
const COMPONENTS = 4;

export interface FastRun {
  outcome: number;
  stopStage: number;
  blastRadius: number;
}

const phi = (z: number) => (Number.isFinite(z) ? Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) : 0);

/** Mean and variance of max(0, a + b·Z) for a standard normal Z ≤ h. */
function rectified(a: number, b: number, h: number): [number, number] {
  const ph = normalCdf(h);
  const z0 = -a / b;
  if (z0 >= h || ph <= 0) return [0, 0];
  const p0 = normalCdf(z0);
  const d0 = phi(z0);
  const dh = phi(h);
  const mass = ph - p0;
  const m1 = (a * mass + b * (d0 - dh)) / ph;
  const m2 = (a * a * mass + 2 * a * b * (d0 - dh) + b * b * (mass + (Number.isFinite(z0) ? z0 * d0 : 0) - (Number.isFinite(h) ? h * dh : 0))) / ph;
  return [m1, Math.max(0, m2 - m1 * m1)];
}

/** The per-plan tables: box bounds, exceedance probabilities, cumulative hazard, and prefix sums of the quiet readings' moments. */
export class FastModel {
  readonly setup: SimSetup;
  readonly rows: number;
  readonly t: MinuteTables;
  /** Per minute row and component: the noise bound of the box, and the probability of leaving it. */
  readonly hi: Float64Array;
  readonly p: Float64Array;
  /** Cumulative hazard of "some reading leaves the box": H[j] = −Σ_{r<j} log P(row r quiet). */
  readonly hazard: Float64Array;
  /** Prefix sums per component of the quiet reading's mean, variance and squared mean. */
  readonly pMean: Float64Array[];
  readonly pVar: Float64Array[];
  readonly pMean2: Float64Array[];
  readonly preGates: CompiledGate[];

  private constructor(setup: SimSetup, t: MinuteTables) {
    this.setup = setup;
    this.t = t;
    const rows = (this.rows = t.season.length);
    const warn = strictestWarnings(setup, t);
    this.hi = new Float64Array(rows * 5);
    this.p = new Float64Array(rows * 5);
    this.hazard = new Float64Array(rows + 1);
    this.pMean = Array.from({ length: COMPONENTS }, () => new Float64Array(rows + 1));
    this.pVar = Array.from({ length: COMPONENTS }, () => new Float64Array(rows + 1));
    this.pMean2 = Array.from({ length: COMPONENTS }, () => new Float64Array(rows + 1));
    const otherMax = NOISE.otherBase + NOISE.otherSd * OTHER_BOX;
    for (let j = 0; j < rows; j++) {
      const dbLevel = NOISE.dbBase * (1 + NOISE.dbSeason * t.season[j]);
      // Green error rate and green success rate (whatever the other failures inside the box add).
      const errRoom = Math.min(warn.err, 100 - warn.succ - otherMax) - t.regErr[j];
      const hiErr = errRoom < 0 ? -Infinity : (errRoom - NOISE.errBase) / NOISE.errSd;
      const hiLat = (warn.lat - t.latMix[j]) / NOISE.latSd;
      const dbRoom = warn.db - t.regDb[j];
      const hiDb = dbRoom < 0 ? -Infinity : (dbRoom - dbLevel) / NOISE.dbSd;
      const o = j * 5;
      this.hi[o + C_ERR] = hiErr;
      this.hi[o + C_LAT] = hiLat;
      this.hi[o + C_OTHER] = OTHER_BOX;
      this.hi[o + C_DB] = hiDb;
      for (let c = 0; c < COMPONENTS; c++) this.p[o + c] = normalCdf(-this.hi[o + c]);
      // Every security alert is a minute to draw in full (its gate fires on any; the quiet sums hold none).
      this.p[o + C_SEC] = t.secP[j];
      let logQuiet = 0;
      for (let c = 0; c < 5; c++) logQuiet += Math.log1p(-Math.min(this.p[o + c], 1));
      this.hazard[j + 1] = this.hazard[j] - Math.max(LOG_FLOOR, logQuiet);
      const moments: [number, number][] = [
        shifted(rectified(NOISE.errBase, NOISE.errSd, hiErr), t.regErr[j]),
        shifted(rectified(t.latMix[j], NOISE.latSd, hiLat), 0),
        rectified(NOISE.otherBase, NOISE.otherSd, OTHER_BOX),
        shifted(rectified(dbLevel, NOISE.dbSd, hiDb), t.regDb[j]),
      ];
      for (let c = 0; c < COMPONENTS; c++) {
        const [m, v] = moments[c];
        this.pMean[c][j + 1] = this.pMean[c][j] + m;
        this.pVar[c][j + 1] = this.pVar[c][j] + v;
        this.pMean2[c][j + 1] = this.pMean2[c][j] + m * m;
      }
    }
    const pre: CompiledGate[] = [];
    for (const gs of setup.stageGates) for (const g of gs) if (!pre.some((x) => x.metricIndex === g.metricIndex)) pre.push(g);
    this.preGates = pre;
  }

  /** The fast path for a scenario, or undefined when its runs must take the per-reading engine. */
  static of(model: ScenarioModel): FastModel | undefined {
    const setup = model.setup;
    const t = model.minuteTables();
    if (!t || setup.metrics.length !== 5 || !plainPlan(setup, t)) return undefined;
    return new FastModel(setup, t);
  }
}

function shifted([m, v]: [number, number], by: number): [number, number] {
  return [m + by, v];
}

interface Warnings {
  err: number;
  lat: number;
  succ: number;
  db: number;
}

/** The lowest warning of each rising metric and the highest of the success rate, over every gate of the plan: the box sits under all. */
function strictestWarnings(setup: SimSetup, t: MinuteTables): Warnings {
  const w: Warnings = { err: Infinity, lat: Infinity, succ: -Infinity, db: Infinity };
  for (const gs of setup.stageGates) {
    for (const g of gs) {
      const i = g.metricIndex;
      if (i === t.idx.err) w.err = Math.min(w.err, g.warning);
      else if (i === t.idx.lat) w.lat = Math.min(w.lat, g.warning);
      else if (i === t.idx.succ) w.succ = Math.max(w.succ, g.warning);
      else if (i === t.idx.db) w.db = Math.min(w.db, g.warning);
    }
  }
  return w;
}

/**
 * Plans whose every early exit the per-reading engine takes before reading anything (a blind stage,
 * a 0-hour step with traffic), gates on the usual side, and one-minute readings: those are covered.
 */
function plainPlan(setup: SimSetup, t: MinuteTables): boolean {
  const tl = setup.timeline;
  let watched = false;
  for (const st of tl.stages) {
    if (st.skipped) continue;
    const gates = setup.stageGates[st.index];
    const exposing = st.steps.some((s) => s.trafficPercent > 0);
    const observed = st.steps.some((s) => s.endMinute > s.startMinute);
    if (exposing && (gates.length === 0 || !observed)) return false;
    if (st.steps.some((s) => s.endMinute <= s.startMinute && s.trafficPercent > 0)) return false;
    if (gates.length && observed) watched = true;
    for (const g of gates) {
      if (g.resolution !== 1 || g.gapLimit < 1) return false;
      if (g.above !== (g.metricIndex !== t.idx.succ)) return false;
    }
  }
  return watched;
}

/** A run's working state, allocated once per thread and reset per run. */
export class FastRunner {
  private readonly rng = new Rng128(0);
  private readonly M: number;
  private readonly stats: StepStats;
  private readonly baseline: MeanAccumulator;
  private readonly previousMean: Float64Array;
  private readonly worstSeverity: Int8Array;
  private readonly worstValue: Float64Array;
  private readonly buf: Float64Array;
  private readonly ctx: CriteriaContext;
  /** Per third and component: the moments of the interesting minutes, taken off the quiet sums. */
  private readonly taken = new Float64Array(3 * COMPONENTS * 3 + 3);
  /** Per stage, its gates' states (each metric's first gate shares the metric's state across stages), reset per run. */
  private readonly stageStates: GateState[][];
  private readonly preStates: GateState[];
  private readonly allStates: GateState[];
  private lastBusy = -Infinity;
  private stopMinute = 0;

  constructor(private readonly f: FastModel) {
    const M = (this.M = f.setup.metrics.length);
    this.stats = new StepStats(M);
    this.baseline = new MeanAccumulator(M);
    this.previousMean = new Float64Array(M);
    this.worstSeverity = new Int8Array(M);
    this.worstValue = new Float64Array(M);
    this.buf = new Float64Array(M);
    const carried: GateState[] = Array.from({ length: M }, () => newGateState());
    this.stageStates = f.setup.stageGates.map((gates) => stageStates(gates, carried));
    this.preStates = f.preGates.map((g) => carried[g.metricIndex]);
    this.allStates = [...new Set([...carried, ...this.stageStates.flat()])];
    this.ctx = { metrics: f.setup.metrics, metricIndex: f.setup.metricIndex, stats: this.stats, baseline: this.baseline, previousMean: this.previousMean, worstSeverity: this.worstSeverity, worstValue: this.worstValue, explain: false };
  }

  run(seed: number): FastRun {
    const f = this.f;
    const tl = f.setup.timeline;
    this.rng.reseed(seed ^ SALT);
    this.baseline.n.fill(0);
    this.baseline.sum.fill(0);
    this.previousMean.fill(NaN);
    for (const s of this.allStates) Object.assign(s, FRESH);
    this.lastBusy = -Infinity;
    const first = -PRE_ROLLOUT_MINUTES;
    // Pre-rollout: the baseline, and the first gate of each metric (a condition older than the rollout).
    const pre = this.preStates;
    this.taken.fill(0);
    this.walk(first, 0, f.preGates, pre, 0, 0, true, false);
    this.settle(f.preGates, pre, 0);
    this.addQuiet(first, 0, 0, true, false);
    let blast = 0;
    for (const st of tl.stages) {
      if (st.skipped) continue;
      const gates = f.setup.stageGates[st.index];
      const states = this.stageStates[st.index];
      for (const step of st.steps) {
        const a = step.startMinute;
        const b = step.endMinute;
        if (b <= a) continue;
        this.stats.reset();
        this.worstSeverity.fill(OK);
        // As the per-reading engine: a run going at the boundary brings its readings into the step's counts.
        for (let k = 0; k < states.length; k++) carryInto(states[k], gates[k], a);
        const share = step.trafficPercent / 100;
        const unexposed = b <= tl.firstExposure;
        const third1 = Math.ceil(a + (b - a) / 3);
        const third2 = Math.ceil(a + (2 * (b - a)) / 3);
        this.taken.fill(0);
        const code = this.walk(a, b, gates, states, third1, third2, unexposed, true);
        if (code) {
          const m = this.stopMinute;
          return { outcome: code, stopStage: st.index, blastRadius: blast + share * (m - a + 1) };
        }
        this.settle(gates, states, b);
        this.addQuiet(a, third1, 0, unexposed, true);
        this.addQuiet(third1, third2, 1, unexposed, true);
        this.addQuiet(third2, b, 2, unexposed, true);
        blast += share * (b - a);
        for (let k = 0; k < gates.length; k++) {
          const i = gates[k].metricIndex;
          const s = states[k];
          const worst = s.worst === 1 && s.warnCount < gates[k].warningLimit ? OK : s.worst;
          if (worst > this.worstSeverity[i]) {
            this.worstSeverity[i] = worst;
            this.worstValue[i] = s.worstValue;
          }
        }
        let hold = false;
        for (let k = 0; k < gates.length; k++) if (states[k].worst === CRITICAL || states[k].warnCount >= gates[k].warningLimit) hold = true;
        if (!hold) hold = checkCriteria(st.stage.successCriteria, this.ctx).some((c) => c.status === 'failed' || c.status === 'no-data');
        if (hold) {
          // As the per-reading engine: a critical run still going is watched on at this step's traffic.
          const until = Math.min(tl.totalMinutes, b + pendingSustain(gates, states, b));
          for (let m = b; m < until && states.some((x) => x.critRun > 0); m++) {
            blast += share;
            this.drawFull(m);
            for (let k = 0; k < gates.length; k++) {
              const v = this.buf[gates[k].metricIndex];
              if (v !== v || states[k].critRun === 0) continue;
              if (feedGate(gates[k], states[k], v, m, gates[k].gapLimit) === GateEvent.Rollback) return { outcome: 1, stopStage: st.index, blastRadius: blast };
            }
          }
          return { outcome: 2, stopStage: st.index, blastRadius: blast };
        }
        if (step.trafficPercent > 0) for (let i = 0; i < this.M; i++) if (this.stats.count(i) > 0) this.previousMean[i] = this.stats.mean(i);
      }
    }
    return { outcome: 0, stopStage: -1, blastRadius: blast };
  }

  /**
   * Minutes [a, b): each minute where a reading leaves the quiet box goes through the gates.
   * Returns 0, or 1 (rolled back) / 2 (halted: critical since before any exposure, or a warning limit
   * reached on warnings alone, as the per-reading engine holds in that minute) with `stopMinute`.
   */
  private walk(a: number, b: number, gates: CompiledGate[], states: GateState[], third1: number, third2: number, baseline: boolean, decide: boolean): number {
    const f = this.f;
    const H = f.hazard;
    const off = PRE_ROLLOUT_MINUTES;
    let m = a;
    for (;;) {
      // The next minute from m on that leaves the box: the first row where the hazard passes an exponential draw.
      const target = H[m + off] - Math.log(1 - this.rng.next());
      if (!(H[b + off] >= target)) return 0;
      let lo = m + off;
      let hi = b + off - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (H[mid + 1] >= target) hi = mid;
        else lo = mid + 1;
      }
      m = lo - off;
      this.drawBusy(m);
      const third = m < third1 ? 0 : m >= third2 ? 2 : 1;
      this.record(m, third, baseline);
      if (this.lastBusy < m - 1) this.settle(gates, states, m);
      this.lastBusy = m;
      let warned = false;
      for (let k = 0; k < gates.length; k++) {
        const g = gates[k];
        const v = this.buf[g.metricIndex];
        const gs = states[k];
        if (gs.warnRun === 0 && gs.severity === OK && (g.above ? v <= g.warning : v >= g.warning)) continue;
        const ev = feedGate(g, gs, v, m, g.gapLimit);
        if (!decide) continue;
        if (gs.warnCount >= g.warningLimit && gs.critCount === 0) warned = true;
        if (ev !== GateEvent.Rollback) continue;
        this.stopMinute = m;
        return gs.critRun > 0 && gs.critStart < 0 ? 2 : 1;
      }
      if (warned) {
        this.stopMinute = m;
        return 2;
      }
      m++;
      if (m >= b) return 0;
    }
  }

  /** A quiet minute before `minute` is a green reading for every gate: it ends a run going. */
  private settle(gates: CompiledGate[], states: GateState[], minute: number): void {
    if (this.lastBusy >= minute - 1) return;
    for (let k = 0; k < gates.length; k++) {
      const s = states[k];
      if (s.warnRun !== 0 || s.severity !== OK) feedGate(gates[k], s, gates[k].above ? -Infinity : Infinity, minute - 1, gates[k].gapLimit);
    }
  }

  /** Draws a minute known to leave the box: which components leave it, then each value given that. */
  private drawBusy(m: number): void {
    const f = this.f;
    const o = (m + PRE_ROLLOUT_MINUTES) * 5;
    const p = f.p;
    // P(none of components c… leaves the box), to condition on at least one leaving.
    let quietRest = 1;
    const rest = this.restScratch;
    for (let c = 4; c >= 0; c--) {
      quietRest *= 1 - Math.min(1, p[o + c]);
      rest[c] = quietRest;
    }
    let found = false;
    for (let c = 0; c < 5; c++) {
      const pc = Math.min(1, p[o + c]);
      // Given none before left and at least one of c… does: c leaves with probability pc / (1 − rest[c]).
      const out = !found && this.rng.next() * (1 - rest[c]) < pc;
      this.noise[c] = this.drawComponent(c, pc, found, out, m);
      if (out) found = true;
    }
    this.valuesAt(m);
  }

  private readonly restScratch = new Float64Array(5);
  private readonly noise = new Float64Array(5);

  /** One component's noise: free (unconditioned), above its bound (`out`), or under it. */
  private drawComponent(c: number, pc: number, free: boolean, out: boolean, m: number): number {
    const u = this.rng.next() + 1.1102230246251565e-16;
    if (c === C_SEC) {
      const secP = this.f.t.secP[m + PRE_ROLLOUT_MINUTES];
      return free ? (u < secP ? 1 : 0) : out ? 1 : 0;
    }
    if (free) return normalQuantile(Math.min(u, 1 - 1e-16));
    return out ? -normalQuantile(u * pc) : normalQuantile(Math.min(1 - 1e-16, u * (1 - pc)));
  }

  /** The readings of minute `m` from the noise in `this.noise` (the scenario's formulas). */
  private valuesAt(m: number): void {
    const t = this.f.t;
    const j = m + PRE_ROLLOUT_MINUTES;
    const n = this.noise;
    const err = Math.max(0, NOISE.errBase + NOISE.errSd * n[C_ERR]) + t.regErr[j];
    const lat = t.latMix[j] + NOISE.latSd * n[C_LAT];
    const other = Math.max(0, NOISE.otherBase + NOISE.otherSd * n[C_OTHER]);
    const db = Math.max(0, NOISE.dbBase * (1 + NOISE.dbSeason * t.season[j]) + NOISE.dbSd * n[C_DB]) + t.regDb[j];
    const out = this.buf;
    out[t.idx.err] = err;
    out[t.idx.lat] = lat;
    out[t.idx.succ] = Math.max(0, 100 - Math.min(100, err) - other);
    out[t.idx.db] = db;
    out[t.idx.sec] = n[C_SEC];
  }

  /** Every reading of a minute, unconditioned (the minutes a run is watched on past a step's end). */
  private drawFull(m: number): void {
    for (let c = 0; c < 4; c++) this.noise[c] = this.rng.normal();
    this.noise[C_SEC] = this.rng.next() < this.f.t.secP[m + PRE_ROLLOUT_MINUTES] ? 1 : 0;
    this.valuesAt(m);
  }

  /** Adds an interesting minute's readings to the step's sums, and takes its quiet moments off the quiet part. */
  private record(m: number, third: number, baseline: boolean): void {
    const f = this.f;
    const j = m + PRE_ROLLOUT_MINUTES;
    for (let i = 0; i < this.M; i++) {
      this.stats.add(i, this.buf[i], third);
      if (baseline) this.baseline.add(i, this.buf[i]);
    }
    const o = third * (COMPONENTS * 3 + 1);
    this.taken[o]++;
    for (let c = 0; c < COMPONENTS; c++) {
      const q = o + 1 + c * 3;
      this.taken[q] += f.pMean[c][j + 1] - f.pMean[c][j];
      this.taken[q + 1] += f.pVar[c][j + 1] - f.pVar[c][j];
      this.taken[q + 2] += f.pMean2[c][j + 1] - f.pMean2[c][j];
    }
  }

  private readonly sums = new Float64Array(COMPONENTS);
  private readonly within = new Float64Array(COMPONENTS);

  /** Draws the quiet readings' count, sum and sum of squares over minutes [a, b) of one third (interesting minutes taken off). */
  private addQuiet(a: number, b: number, third: number, baseline: boolean, steps: boolean): void {
    const f = this.f;
    const t = f.t;
    const ja = a + PRE_ROLLOUT_MINUTES;
    const jb = b + PRE_ROLLOUT_MINUTES;
    const o = third * (COMPONENTS * 3 + 1);
    const n = jb - ja - this.taken[o];
    if (n <= 0) return;
    const chiK = n - 1;
    for (let c = 0; c < COMPONENTS; c++) {
      const q = o + 1 + c * 3;
      const mean = f.pMean[c][jb] - f.pMean[c][ja] - this.taken[q];
      const v = Math.max(0, f.pVar[c][jb] - f.pVar[c][ja] - this.taken[q + 1]);
      const mean2 = f.pMean2[c][jb] - f.pMean2[c][ja] - this.taken[q + 2];
      this.sums[c] = mean + Math.sqrt(v) * this.rng.normal();
      if (!steps) continue;
      // Spread inside the third: the readings' variance and the spread of their means, times a chi-square draw.
      const spread = Math.max(0, v + mean2 - (mean * mean) / n);
      this.within[c] = chiK > 0 ? spread * chiSquareRatio(chiK, this.rng.normal()) : 0;
    }
    const succ = 100 * n - this.sums[C_ERR] - this.sums[C_OTHER];
    this.put(t.idx.err, n, this.sums[C_ERR], this.within[C_ERR], third, baseline, steps);
    this.put(t.idx.lat, n, this.sums[C_LAT], this.within[C_LAT], third, baseline, steps);
    this.put(t.idx.succ, n, succ, this.within[C_ERR] + this.within[C_OTHER], third, baseline, steps);
    this.put(t.idx.db, n, this.sums[C_DB], this.within[C_DB], third, baseline, steps);
    this.put(t.idx.sec, n, 0, 0, third, baseline, steps);
  }

  /** Adds `n` quiet readings with this sum (and spread inside the third) to the baseline and the step's third. */
  private put(i: number, n: number, sum: number, within: number, third: number, baseline: boolean, steps: boolean): void {
    if (baseline) {
      this.baseline.n[i] += n;
      this.baseline.sum[i] += sum;
    }
    if (!steps) return;
    const d = this.stats.data;
    const at = i * 9 + 3 * third;
    d[at] += n;
    d[at + 1] += sum;
    d[at + 2] += (sum * sum) / n + within;
  }
}

/** χ²(k)/k from one standard normal (Wilson–Hilferty: accurate to a few parts in 1,000 from k ≈ 10). */
function chiSquareRatio(k: number, z: number): number {
  const s = 2 / (9 * k);
  const c = 1 - s + z * Math.sqrt(s);
  return c > 0 ? c * c * c : 0;
}

const FRESH: Readonly<GateState> = newGateState();
