/**
 * The plan session: the tier the user chose, the what-if values in effect and the last
 * simulation, changed only through its methods, which fire `onDidChange`. It builds what the plan
 * view and the plan commands show, from the current analysis (or the chosen tier) through
 * src/core: the same plan the CLI prints for the same change and policy.
 */
import * as vscode from 'vscode';
import { TIERS, type Tier } from '../core/tier';
import type { LoadedPolicy, LoadedTrace } from '../core/pipeline';
import type { FindingView, MonteCarlo, PlanView, RolloutPlan, SimulationResult, WhatIf } from '../protocol/messages';
import type { AnalysisState } from './analysisRunner';
import { loadCore, loadEngine, type Engine } from './core';
import { PolicyCache } from './policyCache';
import { WINDOW_PROMPTS, type ReplayPrompts } from './prometheus';
import type { Repository } from './repositories';
import { settings } from './settings';
import { applyWhatIf } from './whatIf';

const CHECKLIST_KEY = 'rolloutLens.checklist';

export interface Built {
  view: PlanView;
  plan: RolloutPlan;
  /** The policy planned with (what-if values applied), and the file it was read from. */
  policy: LoadedPolicy;
  engine: Engine;
}

/** What the view or a command simulates: a scenario, or a trace the host holds. */
export type SimSource = { kind: 'scenario'; scenario: string; seed: number } | { kind: 'trace'; trace: LoadedTrace; seed: number };

/** What changed in the session: the panel shows a new plan for `tier`, `whatIf` or another repository. */
export type SessionChange = 'tier' | 'whatIf' | 'simulation' | 'repository';

/** The repositories a plan can be for. */
export interface PlanTargets {
  readonly all: readonly Repository[];
}

export class PlanSession implements vscode.Disposable {
  private tier: Tier | undefined;
  private values: WhatIf | undefined;
  private last: SimulationResult | undefined;
  private readonly changed = new vscode.EventEmitter<SessionChange>();
  readonly onDidChange = this.changed.event;
  /** Read once, again only when the policy file changes (`policyChanged`); an analysis brings its own. */
  private readonly policies = new PolicyCache<LoadedPolicy>(async (folder) => {
    const engine = await loadEngine();
    return engine.readPolicy({ root: folder === undefined ? undefined : await engine.policyRoot(folder) });
  });

  constructor(
    readonly log: vscode.LogOutputChannel,
    private readonly context: vscode.ExtensionContext,
    private readonly targets: PlanTargets,
  ) {}

  private chosenRoot: string | undefined;

  /** The repository the plan is for: the one chosen last, else the first of the workspace. */
  get repository(): Repository | undefined {
    const all = this.targets.all;
    return all.find((r) => r.root === this.chosenRoot) ?? all[0];
  }

  /** The workspace holds more than one repository: a plan command asks which one. */
  get several(): boolean {
    return this.targets.all.length > 1;
  }

  /** Plans for `repo` from now on; a tier or what-if values chosen for another repository do not carry over. */
  useRepository(repo: Repository): void {
    const changed = repo !== this.repository;
    this.chosenRoot = repo.root;
    if (!changed) return;
    this.tier = undefined;
    this.values = undefined;
    this.changed.fire('repository');
  }

  private get state(): AnalysisState {
    return this.repository?.runner.state ?? { kind: 'idle' };
  }

  private get folderPath(): string | undefined {
    return this.repository?.folders[0]?.uri.fsPath;
  }

  /** A tier the user picked (untrusted workspace, no repository, or on purpose). */
  get chosenTier(): Tier | undefined {
    return this.tier;
  }

  /** The what-if values in effect, not saved to the policy; undefined when there are none. */
  get whatIf(): WhatIf | undefined {
    return this.values;
  }

  /** The analysis the plan is built from, as it stands. */
  get analysis(): AnalysisState {
    return this.state;
  }

  /** The last simulation run from the view or a command. */
  get lastSimulation(): SimulationResult | undefined {
    return this.last;
  }

  /** Plans for `tier` (undefined: back to the analysis's tier, as when the workspace becomes trusted). */
  setTier(tier: Tier | undefined): void {
    if (tier === this.tier) return;
    this.tier = tier;
    this.changed.fire('tier');
  }

  /** A view that opens with no analysis and no chosen tier shows the MEDIUM plan. */
  defaultTier(): void {
    if (this.needsTier()) this.setTier('MEDIUM');
  }

  /** What-if values with no gate and no steps mean none. */
  setWhatIf(whatIf: WhatIf | undefined): void {
    const next = whatIf && (Object.keys(whatIf.gates).length || whatIf.steps) ? whatIf : undefined;
    if (JSON.stringify(next) === JSON.stringify(this.values)) return;
    this.values = next;
    this.changed.fire('whatIf');
  }

  private asking: ReplayPrompts = WINDOW_PROMPTS;

  /** How a Prometheus replay asks the user (the window's dialogs unless the integration suites answer). */
  get prompts(): ReplayPrompts {
    return this.asking;
  }

  usePrompts(prompts: ReplayPrompts | undefined): void {
    this.asking = prompts ?? WINDOW_PROMPTS;
  }

  /**
   * The policy a Prometheus replay takes its URL and queries from. In an untrusted workspace the plan
   * never reads the repository's policy, but a replay the user asked for reads its `prometheus`
   * section: nothing is sent until the user has confirmed the URL (chooseReplay asks).
   */
  async replayPolicy(planned: LoadedPolicy): Promise<LoadedPolicy> {
    const folder = this.folderPath;
    if (vscode.workspace.isTrusted || !folder) return planned;
    // The folder itself: no git runs in an untrusted workspace to find its top level.
    const own = await (await loadEngine()).readPolicy({ root: folder });
    return { policy: { ...planned.policy, prometheus: own.policy.prometheus }, ...(own.file ? { file: own.file } : {}) };
  }

  /** The policy file of the repository at `root` was created, changed or deleted: its next plan reads it again. */
  policyChanged(root: string): void {
    this.policies.invalidate(root);
  }

  /** `source` on the plan in effect, as the CLI simulates it; Monte Carlo runs (`runs` > 1) on worker threads only. */
  async simulate(source: SimSource, o: { fault?: string; runs: number }): Promise<{ result: SimulationResult; monteCarlo?: MonteCarlo }> {
    const { plan, engine } = await this.build();
    const faults = o.fault ? [(await loadCore()).faultPreset(o.fault)] : [];
    const from = source.kind === 'trace' ? { kind: 'trace' as const, trace: source.trace.trace, alignAt: source.trace.alignAt } : source;
    const { monteCarlo, ...result } = await engine.simulate(plan, from, { faults, runs: o.runs, offThread: true });
    return { result, ...(monteCarlo ? { monteCarlo } : {}) };
  }

  /** One run of `source` on the plan in effect, kept as the last simulation. */
  async simulateOnce(source: SimSource): Promise<SimulationResult> {
    const { result } = await this.simulate(source, { runs: 1 });
    this.record(result);
    return result;
  }

  record(result: SimulationResult): void {
    this.last = result;
    this.changed.fire('simulation');
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** The repository root when the analysis has run, else the repository's first workspace folder. */
  root(): string | undefined {
    const s = this.state;
    return s.kind === 'ready' ? s.result.root : this.folderPath;
  }

  /**
   * The folder whose `.rollout-lens.json` applies: the analysis root, else the top level git reports
   * for the workspace folder, so the plan never reads another policy than the analysis does. In an
   * untrusted workspace no git runs and the policy is not read; the folder itself is returned.
   */
  async policyRoot(): Promise<string | undefined> {
    const s = this.state;
    if (s.kind === 'ready') return s.result.root;
    const folder = this.folderPath;
    if (!folder || !vscode.workspace.isTrusted) return folder;
    return (await loadEngine()).policyRoot(folder);
  }

  /** Whether the plan can come from the analysis, or needs a chosen tier. */
  needsTier(): boolean {
    return this.tier === undefined && this.state.kind !== 'ready';
  }

  /** Asks which tier to plan for. */
  async pickTier(): Promise<Tier | undefined> {
    const why = this.state.kind === 'restricted' ? 'This workspace is not trusted, so Rollout Lens runs no git.' : 'No analysis of the working tree is available.';
    const pick = await vscode.window.showQuickPick(
      [...TIERS].reverse().map((t) => ({ label: t, description: TIER_HINT[t] })),
      { title: 'Rollout Lens: plan for which risk tier?', placeHolder: why },
    );
    if (pick) this.setTier(pick.label as Tier);
    return this.tier;
  }

  async build(): Promise<Built> {
    const engine = await loadEngine();
    const state = this.state;
    const fromAnalysis = state.kind === 'ready' && this.tier === undefined;
    // The analysis read the policy with the change; otherwise it is read once and kept until the file changes.
    // In an untrusted workspace the policy file is not read: it is the repository's content.
    const loaded = state.kind === 'ready' ? state.result.policy : await this.policies.get(vscode.workspace.isTrusted ? this.policyKey() : undefined);
    const tier: Tier = fromAnalysis ? state.result.assessment.tier : (this.tier ?? 'MEDIUM');
    const policy = { ...loaded, policy: applyWhatIf(loaded.policy, tier, this.values) };
    const opts = { timezone: settings().timezone };
    const plan = engine.planFor(fromAnalysis ? state.result.assessment : { tier }, policy, opts);
    const core = await loadCore();
    const findings: FindingView[] = fromAnalysis ? core.placedFindings(state.result.assessment) : [];
    const scenarios = engine.scenarios();
    const wanted = settings().defaultScenario;
    const view: PlanView = {
      plan,
      markdown: engine.markdown(plan, { findings: fromAnalysis ? findings : undefined, ticks: this.checklist(), whatIf: this.values !== undefined }),
      findings,
      tierSource: fromAnalysis ? 'analysis' : 'chosen',
      restricted: state.kind === 'restricted',
      scenarios,
      faults: core.FAULT_PRESETS.map(({ name, description }) => ({ name, description })),
      defaultScenario: scenarios.some((s) => s.name === wanted) ? wanted : (scenarios[0]?.name ?? wanted),
      checklist: this.checklist(),
      whatIf: this.values,
      ...(this.several && this.repository ? { repository: this.repository.name } : {}),
      // What the saved policy gives, for the form to compare an edit with.
      saved: core.whatIfOfPlan(this.values ? engine.planFor(fromAnalysis ? state.result.assessment : { tier }, loaded, opts) : plan),
    };
    return { view, plan, policy, engine };
  }

  /** The folder the cached policy is kept under: the repository's top folder, or the lone folder that is not one. */
  private policyKey(): string | undefined {
    return this.repository?.root || undefined;
  }

  /** Where the ticks are kept: one list for the workspace, or one per repository when it holds several. */
  private checklistKey(): string {
    return this.several && this.repository ? `${CHECKLIST_KEY}:${this.repository.root}` : CHECKLIST_KEY;
  }

  checklist(): Record<string, boolean> {
    return this.context.workspaceState.get<Record<string, boolean>>(this.checklistKey(), {});
  }

  async setChecklist(id: string, done: boolean): Promise<void> {
    await this.context.workspaceState.update(this.checklistKey(), { ...this.checklist(), [id]: done });
  }
}

const TIER_HINT: Record<Tier, string> = {
  HIGH: 'auth, payments, data writes, breaking migrations: extended canary',
  MEDIUM: 'middleware, API changes, compatible migrations: canary 10 → 50 → 100 %',
  LOW: 'new code not yet called: flag-gated, 1 h with the flag OFF',
  ZERO: 'tests, docs, code behind an OFF flag: deploy immediately',
};
