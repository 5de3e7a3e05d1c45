import { InputError } from '../errors';
import type { MinuteSource } from './engine';
import { mixtureQuantile, quantileOf } from './mixture';
import { Rng } from './prng';
import type { SimSetup } from './setup';
import { shareAt } from './timeline';

/**
 * Synthetic scenarios: a healthy service with noise and a daily cycle, plus a regression that only
 * the new version carries. What the gates see is what the mixed traffic shows, as in production. A
 * rate is the traffic-weighted mean:
 *   observed = (1 − share)·baseline + share·(baseline + regression) = baseline + share·regression,
 * so a +1 % error regression shows as +0.1 % at a 10 % canary. A quantile (the p95 latency) is the
 * quantile of the mixture of both versions' latency distributions (see mixture.ts): 4 s more on the
 * new version barely moves the p95 while under 5 % of requests carry it, and puts it in seconds above.
 */

export const SCENARIO_NAMES = [
  'healthy',
  'error-spike',
  'latency-regression',
  'slow-degradation',
  'db-errors',
  'security-alert',
  'no-data',
  'near-warning',
  'slow-leak',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What the new version does, at full traffic, `t` minutes after it first got traffic. */
interface Regression {
  description: string;
  errorRate?: (t: number) => number;
  latencyMs?: (t: number) => number;
  dbErrors?: (t: number) => number;
  /** Security alerts per minute at full traffic. */
  securityRate?: (t: number) => number;
  /** Minutes after first exposure from which error_rate is no longer reported. */
  errorRateSilentFrom?: number;
}

const after = (onset: number, value: number) => (t: number) => (t >= onset ? value : 0);

export const SCENARIOS: Record<ScenarioName, Regression> = {
  healthy: { description: 'the new version behaves like the old one: noise and the daily cycle only' },
  'error-spike': {
    description: '30 min after it gets traffic, the new version fails 60 % of its requests',
    errorRate: after(30, 60),
  },
  'latency-regression': {
    description: 'the new version waits on a slow dependency: +4 s on its p95 latency',
    latencyMs: after(0, 4000),
  },
  'slow-degradation': {
    description: 'a leak: the new version adds 0.25 % errors and 60 ms of latency per hour it runs',
    errorRate: (t) => (0.25 * t) / 60,
    latencyMs: (t) => t,
  },
  'db-errors': {
    description: '15 min after it gets traffic, the new version makes 6,000 failing queries a minute',
    dbErrors: after(15, 6000),
  },
  'security-alert': {
    description: 'the new version trips the intrusion detector: 3 security alerts a minute at full traffic',
    securityRate: after(0, 3),
  },
  'no-data': {
    description: 'the new version stops exporting error_rate: the dashboard goes blank when it gets traffic',
    errorRateSilentFrom: 0,
  },
  'near-warning': {
    description: 'the new version adds 0.15 % errors: at full traffic the error rate sits at the 0.2 % warning, far under the 0.5 % critical',
    errorRate: after(0, 0.15),
  },
  'slow-leak': {
    description: 'a slow leak: the new version adds 0.004 % errors per hour it runs, reaching the 0.2 % warning after about 37 h',
    errorRate: (t) => (0.004 * t) / 60,
  },
};

export function isScenario(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

export function scenarioOrThrow(name: string): ScenarioName {
  if (!isScenario(name)) {
    throw new InputError(`unknown scenario ${JSON.stringify(name)} (expected one of ${SCENARIO_NAMES.join(', ')})`, { field: 'scenario' });
  }
  return name;
}

/** A synthetic regression added on top of a scenario: `delta` in the metric's unit, or a `factor`, for the new version's traffic. */
export interface Fault {
  metric: string;
  delta?: number;
  factor?: number;
  /** Sim minute from which the new version carries the fault (default: as soon as it gets traffic). */
  fromMinute?: number;
}

/** The healthy service the scenarios draw: level and noise of each reading (see `fillMinute`). */
export const NOISE = {
  errBase: 0.05, errSd: 0.008,
  latLevel: 150, latSeason: 0.03, latSd: 8,
  otherBase: 0.003, otherSd: 0.002,
  dbBase: 1.5, dbSeason: 0.05, dbSd: 0.5,
} as const;

/** Per-minute tables of a scenario over the whole plan, from `firstMinute` on (row 0), for the Monte Carlo fast path. */
export interface MinuteTables {
  season: Float64Array;
  regErr: Float64Array;
  latMix: Float64Array;
  regDb: Float64Array;
  secP: Float64Array;
  idx: { err: number; lat: number; succ: number; db: number; sec: number };
}

/** The quantile `latency_p95_ms` is. */
const LATENCY_QUANTILE = quantileOf('latency_p95_ms')!;

/** Minutes of pre-rollout samples every synthetic trace starts with: the baseline the criteria compare to. */
export const PRE_ROLLOUT_MINUTES = 60;

/**
 * Minutes whose daily cycle, traffic share and regression are held worked out: 45 days (6 arrays of
 * 512 KB). A longer plan moves this window along as its minutes are read, with the same arithmetic,
 * so memory stays the same however long the plan waits.
 */
const WINDOW_MINUTES = 1 << 16;

/**
 * Per-plan precomputation shared by every seed: the daily cycle, traffic share and minutes since
 * exposure at each minute. A Monte Carlo run then only draws noise.
 */
export class ScenarioModel {
  readonly firstMinute = -PRE_ROLLOUT_MINUTES;
  /** Minutes (from `firstMinute`) the arrays below hold, from `windowStart` on. */
  private readonly window: number;
  private windowStart = 0;
  private readonly season: Float64Array;
  private readonly share: Float64Array;
  private readonly regErr: Float64Array;
  /** p95 latency of the traffic mix before measurement noise: both versions' distributions mixed at the share. */
  private readonly latMix: Float64Array;
  private readonly regDb: Float64Array;
  private readonly secP: Float64Array;
  private readonly reg: Regression;
  private readonly errSilentFrom: number;
  private readonly idx: { err: number; lat: number; succ: number; db: number; sec: number };
  private readonly custom: { index: number; baseline: number }[];
  private readonly faults: { index: number; delta: number; factor: number; from: number }[];
  /** Faults on the p95 latency: they change the new version's distribution, and the mix is solved again. */
  private readonly latencyFaults: { delta: number; factor: number; from: number }[];

  constructor(
    readonly setup: SimSetup,
    readonly scenario: ScenarioName,
    faults: readonly Fault[] = [],
  ) {
    const tl = setup.timeline;
    const reg = SCENARIOS[scenario];
    this.reg = reg;
    const n = Math.min(tl.totalMinutes + PRE_ROLLOUT_MINUTES, WINDOW_MINUTES);
    this.window = n;
    this.season = new Float64Array(n);
    this.share = new Float64Array(n);
    this.regErr = new Float64Array(n);
    this.latMix = new Float64Array(n);
    this.regDb = new Float64Array(n);
    this.secP = new Float64Array(n);
    this.errSilentFrom = reg.errorRateSilentFrom === undefined ? Infinity : tl.firstExposure + reg.errorRateSilentFrom;
    const at = (name: string) => setup.metricIndex.get(name) ?? -1;
    this.idx = { err: at('error_rate'), lat: at('latency_p95_ms'), succ: at('success_rate'), db: at('db_errors_per_min'), sec: at('security_alerts') };
    const builtin = new Set(Object.values(this.idx));
    this.custom = setup.metrics.flatMap((m, index) => (builtin.has(index) ? [] : [{ index, baseline: m.baseline }]));
    const compiled = faults.map((f) => {
      const index = setup.metricIndex.get(f.metric);
      if (index === undefined) throw new InputError(`metric ${JSON.stringify(f.metric)} is not gated by this plan (expected one of ${setup.metrics.map((x) => x.name).join(', ')})`, { field: 'fault' });
      return { index, delta: f.delta ?? 0, factor: f.factor ?? 1, from: f.fromMinute ?? tl.firstExposure };
    });
    this.latencyFaults = compiled.filter((f) => f.index === this.idx.lat);
    this.faults = compiled.filter((f) => f.index !== this.idx.lat);
    this.fillWindow(0);
  }

  /** Works out the window of minutes from row `start` (minute `start − PRE_ROLLOUT_MINUTES`) on. */
  private fillWindow(start: number): void {
    const tl = this.setup.timeline;
    const reg = this.reg;
    this.windowStart = start;
    for (let j = 0; j < this.window; j++) {
      const m = start + j - PRE_ROLLOUT_MINUTES;
      // Daily cycle peaking at 14:00 local time.
      const tod = tl.startMinuteOfDay + m;
      this.season[j] = Math.sin((2 * Math.PI * (tod - 480)) / 1440);
      const s = m >= 0 ? shareAt(tl, m) : 0;
      this.share[j] = s;
      this.regErr[j] = this.regDb[j] = this.secP[j] = 0;
      const oldLat = NOISE.latLevel * (1 + NOISE.latSeason * this.season[j]);
      this.latMix[j] = oldLat;
      if (s > 0) {
        const t = m - tl.firstExposure;
        this.regErr[j] = s * (reg.errorRate?.(t) ?? 0);
        let newLat = oldLat + (reg.latencyMs?.(t) ?? 0);
        for (const f of this.latencyFaults) if (m >= f.from) newLat = newLat * f.factor + f.delta;
        this.latMix[j] = mixtureQuantile(oldLat, newLat, s, LATENCY_QUANTILE);
        this.regDb[j] = s * (reg.dbErrors?.(t) ?? 0);
        this.secP[j] = 1 - Math.exp(-s * (reg.securityRate?.(t) ?? 0));
      }
    }
  }

  /**
   * The per-minute tables for the whole plan, or undefined when a run needs the per-reading engine:
   * a plan longer than the window, a metric that goes silent, custom metrics, faults on a rate.
   */
  minuteTables(): MinuteTables | undefined {
    const rows = this.setup.timeline.totalMinutes + PRE_ROLLOUT_MINUTES;
    if (rows > this.window || this.errSilentFrom !== Infinity || this.custom.length || this.faults.length) return undefined;
    if (this.windowStart !== 0) this.fillWindow(0);
    const cut = (a: Float64Array) => a.slice(0, rows);
    return { season: cut(this.season), regErr: cut(this.regErr), latMix: cut(this.latMix), regDb: cut(this.regDb), secP: cut(this.secP), idx: { ...this.idx } };
  }

  get description(): string {
    return SCENARIOS[this.scenario].description;
  }

  /** A fresh, seeded stream of readings. */
  source(seed: number): MinuteSource {
    return new ScenarioSource(this, seed);
  }

  /** @internal the per-minute generator; kept here so it reads the precomputed arrays directly. */
  fillMinute(noise: Float64Array, at: number, customRng: Rng, m: number, out: Float64Array): void {
    let k = m + PRE_ROLLOUT_MINUTES - this.windowStart;
    if (k < 0 || k >= this.window) {
      // Only a plan longer than the window gets here: move it to this minute.
      this.fillWindow(m + PRE_ROLLOUT_MINUTES);
      k = 0;
    }
    const season = this.season[k];
    const nErr = noise[at];
    const nLat = noise[at + 1];
    const nOther = noise[at + 2];
    const nDb = noise[at + 3];
    const uSec = noise[at + 4];
    const err = Math.max(0, 0.05 + 0.008 * nErr) + this.regErr[k];
    const lat = this.latMix[k] + 8 * nLat;
    const other = Math.max(0, 0.003 + 0.002 * nOther);
    const db = Math.max(0, 1.5 * (1 + 0.05 * season) + 0.5 * nDb) + this.regDb[k];
    // (The figures above are NOISE's, written out: this loop runs for every minute of every run.)
    const sec = uSec < this.secP[k] ? 1 : 0;
    const idx = this.idx;
    if (idx.err >= 0) out[idx.err] = m >= this.errSilentFrom ? NaN : err;
    if (idx.lat >= 0) out[idx.lat] = lat;
    if (idx.succ >= 0) out[idx.succ] = Math.max(0, 100 - Math.min(100, err) - other);
    if (idx.db >= 0) out[idx.db] = db;
    if (idx.sec >= 0) out[idx.sec] = sec;
    for (let j = 0; j < this.custom.length; j++) {
      const c = this.custom[j];
      out[c.index] = Number.isFinite(c.baseline) ? c.baseline * (1 + 0.02 * customRng.normal()) : NaN;
    }
    if (this.faults.length) {
      const s = this.share[k];
      for (let j = 0; j < this.faults.length; j++) {
        const f = this.faults[j];
        if (m < f.from || s === 0) continue;
        out[f.index] = out[f.index] * (1 + s * (f.factor - 1)) + s * f.delta;
      }
    }
  }
}

/** Minutes of noise drawn at a time: small enough to stay in the CPU cache, large enough that refills are rare. */
const NOISE_BLOCK = 64;
/** Per minute: four normals (error rate, latency, other failures, database errors), then one uniform (security). */
const NORMALS = 4;
const STRIDE = NORMALS + 1;

class ScenarioSource implements MinuteSource {
  readonly firstMinute: number;
  private readonly rng: Rng;
  private readonly customRng: Rng;
  private readonly noise = new Float64Array(NOISE_BLOCK * STRIDE);
  /** Minute the noise block starts at; the block is drawn before first use. */
  private readonly block = new Float64Array([NaN]);

  constructor(
    private readonly model: ScenarioModel,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    this.customRng = new Rng(seed ^ 0x5bd1e995);
    this.firstMinute = model.firstMinute;
  }

  /**
   * The five built-in metrics are drawn in a fixed order whatever the plan gates (custom metrics use
   * their own stream), so a seed means the same trace for every plan. Minutes are read in rising
   * order, each once, so a block drawn ahead is consumed exactly as single draws would be.
   */
  fill(minute: number, out: Float64Array): void {
    let j = minute - this.block[0];
    if (!(j >= 0 && j < NOISE_BLOCK)) {
      this.rng.fill(this.noise, NOISE_BLOCK, NORMALS, 1);
      this.block[0] = minute;
      j = 0;
    }
    this.model.fillMinute(this.noise, j * STRIDE, this.customRng, minute, out);
  }
}
