/**
 * What the extension asks of src/core, behind one interface. Types only: the implementation
 * (engineImpl.ts) pulls in git, the SQL parser and the simulator, and is reached through core.ts.
 */
import type { Assessment } from '../core/risk/types';
import type { Policy } from '../core/policy/schema';
import type { Tier } from '../core/tier';
import type { MarkdownOptions } from '../core/plan/markdown';
import type { PlacedFinding } from '../core/plan/summary';
import type { MonteCarlo, RolloutPlan, SimulationResult, WhatIf } from '../protocol/messages';

export interface Named {
  name: string;
  description: string;
}

export interface AnalyzeResult {
  assessment: Assessment;
  /** The repository's top level. */
  root: string;
  branch: string | null;
}

/** A recorded trace loaded from a file, kept by the host while the view uses it. */
export interface LoadedTrace {
  name: string;
  metrics: string[];
  /** Opaque to the extension: what the simulator replays. */
  trace: unknown;
  /** Epoch ms of sim minute 0, when it is not the first reading (a range fetched from Prometheus). */
  alignAt?: number;
  /** Minutes of readings from sim minute 0 on: how much of a plan it can replay. */
  spanMinutes: number;
}

/** What to fetch from Prometheus for a replay. */
export interface PrometheusRequest {
  url: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
  token?: string;
  signal?: AbortSignal;
}

export type SimSource = { kind: 'scenario'; scenario: string; seed: number } | { kind: 'trace'; trace: LoadedTrace; seed: number };

export interface Engine {
  analyze(opts: { repo: string; base?: string; signal?: AbortSignal; onGit?: (args: string[], ms: number) => void }): Promise<AnalyzeResult>;
  /** The repository's `.rollout-lens.json`, or the seed's defaults; InputError on a bad file. */
  loadPolicy(root: string | undefined): Promise<{ policy: Policy; file?: string }>;
  /** The top level git reports for a folder (the folder itself outside a repository): where its policy lives. */
  policyRoot(folder: string): Promise<string>;
  plan(input: { assessment: Assessment } | { tier: Tier }, policy: Policy, opts: { start?: Date; timezone?: string }): RolloutPlan;
  markdown(plan: RolloutPlan, opts?: MarkdownOptions): string;
  /** The assessment's findings placed in their files, strongest first. */
  findings(assessment: Assessment): PlacedFinding[];
  /** The thresholds and traffic steps the plan uses. */
  planValues(plan: RolloutPlan): Required<WhatIf>;
  scenarios(): Named[];
  faults(): Named[];
  loadTrace(file: string): Promise<LoadedTrace>;
  /** The plan's gated metrics fetched with the policy's `prometheus.queries`; `saved` is the query_range file `--trace` replays. */
  fetchPrometheus(plan: RolloutPlan, policy: Policy, request: PrometheusRequest): Promise<{ trace: LoadedTrace; saved: string }>;
  /** Monte Carlo runs (`runs` > 1) go to worker threads: the extension host never blocks on them. */
  simulate(plan: RolloutPlan, source: SimSource, opts: { fault?: string; runs: number }): Promise<{ result: SimulationResult; monteCarlo?: MonteCarlo }>;
}
