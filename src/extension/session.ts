/**
 * The plan session: the tier the user chose, the what-if values in effect and the last
 * simulation, changed only through its methods, which fire `onDidChange`. It builds what the plan
 * view and the plan commands show, from the current analysis (or the chosen tier) through
 * src/core: the same plan the CLI prints for the same change and policy.
 */
import * as vscode from 'vscode';
import { TIERS, type Tier } from '../core/tier';
import type { Policy } from '../core/policy/schema';
import type { FindingView, PlanView, RolloutPlan, SimulationResult, WhatIf } from '../protocol/messages';
import type { AnalysisRunner } from './analysisRunner';
import { loadEngine } from './core';
import type { Engine, SimSource } from './engine';
import { settings } from './settings';
import { applyWhatIf } from './whatIf';

const CHECKLIST_KEY = 'rolloutLens.checklist';

export interface Built {
  view: PlanView;
  plan: RolloutPlan;
  policy: Policy;
  engine: Engine;
}

/** What changed in the session: the panel shows a new plan for `tier` and `whatIf`. */
export type SessionChange = 'tier' | 'whatIf' | 'simulation';

export class PlanSession implements vscode.Disposable {
  private tier: Tier | undefined;
  private values: WhatIf | undefined;
  private last: SimulationResult | undefined;
  private readonly changed = new vscode.EventEmitter<SessionChange>();
  readonly onDidChange = this.changed.event;

  constructor(
    readonly log: vscode.LogOutputChannel,
    private readonly context: vscode.ExtensionContext,
    private readonly runner: AnalysisRunner,
    private readonly folder: () => vscode.WorkspaceFolder | undefined,
  ) {}

  /** A tier the user picked (untrusted workspace, no repository, or on purpose). */
  get chosenTier(): Tier | undefined {
    return this.tier;
  }

  /** The what-if values in effect, not saved to the policy; undefined when there are none. */
  get whatIf(): WhatIf | undefined {
    return this.values;
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

  /** One run of `source` on the plan in effect, kept as the last simulation. */
  async simulateOnce(source: SimSource): Promise<SimulationResult> {
    const { plan, engine } = await this.build();
    const { result } = await engine.simulate(plan, source, { runs: 1 });
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

  /** The repository root when the analysis has run, else the first workspace folder. */
  root(): string | undefined {
    const s = this.runner.state;
    return s.kind === 'ready' ? s.result.root : this.folder()?.uri.fsPath;
  }

  /**
   * The folder whose `.rollout-lens.json` applies: the analysis root, else the top level git reports
   * for the workspace folder, so the plan never reads another policy than the analysis does. In an
   * untrusted workspace no git runs and the policy is not read; the folder itself is returned.
   */
  async policyRoot(): Promise<string | undefined> {
    const s = this.runner.state;
    if (s.kind === 'ready') return s.result.root;
    const folder = this.folder()?.uri.fsPath;
    if (!folder || !vscode.workspace.isTrusted) return folder;
    return (await loadEngine()).policyRoot(folder);
  }

  /** Whether the plan can come from the analysis, or needs a chosen tier. */
  needsTier(): boolean {
    return this.tier === undefined && this.runner.state.kind !== 'ready';
  }

  /** Asks which tier to plan for. */
  async pickTier(): Promise<Tier | undefined> {
    const why = this.runner.state.kind === 'restricted' ? 'This workspace is not trusted, so Rollout Lens runs no git.' : 'No analysis of the working tree is available.';
    const pick = await vscode.window.showQuickPick(
      [...TIERS].reverse().map((t) => ({ label: t, description: TIER_HINT[t] })),
      { title: 'Rollout Lens: plan for which risk tier?', placeHolder: why },
    );
    if (pick) this.setTier(pick.label as Tier);
    return this.tier;
  }

  async build(): Promise<Built> {
    const engine = await loadEngine();
    const state = this.runner.state;
    const fromAnalysis = state.kind === 'ready' && this.tier === undefined;
    const trusted = vscode.workspace.isTrusted;
    // In an untrusted workspace the policy file is not read either: it is the repository's content.
    const { policy: base } = trusted ? await engine.loadPolicy(await this.policyRoot()) : { policy: (await engine.loadPolicy(undefined)).policy };
    const tier: Tier = fromAnalysis ? state.result.assessment.tier : (this.tier ?? 'MEDIUM');
    const policy = applyWhatIf(base, tier, this.values);
    const opts = { timezone: settings().timezone };
    const plan = fromAnalysis ? engine.plan({ assessment: state.result.assessment }, policy, opts) : engine.plan({ tier }, policy, opts);
    const findings: FindingView[] = fromAnalysis ? engine.findings(state.result.assessment) : [];
    const scenarios = engine.scenarios();
    const wanted = settings().defaultScenario;
    const view: PlanView = {
      plan,
      markdown: engine.markdown(plan, { findings: fromAnalysis ? findings : undefined, ticks: this.checklist(), whatIf: this.values !== undefined }),
      findings,
      tierSource: fromAnalysis ? 'analysis' : 'chosen',
      restricted: state.kind === 'restricted',
      scenarios,
      faults: engine.faults(),
      defaultScenario: scenarios.some((s) => s.name === wanted) ? wanted : (scenarios[0]?.name ?? wanted),
      checklist: this.checklist(),
      whatIf: this.values,
      // What the saved policy gives, for the form to compare an edit with.
      saved: engine.planValues(this.values ? (fromAnalysis ? engine.plan({ assessment: state.result.assessment }, base, opts) : engine.plan({ tier }, base, opts)) : plan),
    };
    return { view, plan, policy, engine };
  }

  checklist(): Record<string, boolean> {
    return this.context.workspaceState.get<Record<string, boolean>>(CHECKLIST_KEY, {});
  }

  async setChecklist(id: string, done: boolean): Promise<void> {
    await this.context.workspaceState.update(CHECKLIST_KEY, { ...this.checklist(), [id]: done });
  }
}

const TIER_HINT: Record<Tier, string> = {
  HIGH: 'auth, payments, data writes, breaking migrations: extended canary',
  MEDIUM: 'middleware, API changes, compatible migrations: canary 10 → 50 → 100 %',
  LOW: 'new code not yet called: flag-gated, 1 h with the flag OFF',
  ZERO: 'tests, docs, code behind an OFF flag: deploy immediately',
};
