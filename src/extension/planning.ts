/**
 * Builds what the plan view and the plan commands show, from the current analysis (or a tier the
 * user chose) through src/core: the same plan the CLI prints for the same change and policy.
 */
import * as vscode from 'vscode';
import { TIERS, tierRank, type Tier } from '../core/tier';
import type { Policy } from '../core/policy/schema';
import type { FindingView, PlanView, RolloutPlan, SimulationResult, WhatIf } from '../protocol/messages';
import type { AnalysisRunner } from './analysisRunner';
import { loadEngine, type Engine } from './engine';
import { settings } from './settings';
import { applyWhatIf } from './whatIf';

const CHECKLIST_KEY = 'rolloutLens.checklist';

export interface Built {
  view: PlanView;
  plan: RolloutPlan;
  policy: Policy;
  engine: Engine;
}

export class Planning {
  /** A tier the user picked (untrusted workspace, no repository, or on purpose). */
  chosenTier: Tier | undefined;
  whatIf: WhatIf | undefined;
  /** The last simulation run from the view or a command (the integration tests read its verdict). */
  lastSimulation: SimulationResult | undefined;

  constructor(
    readonly log: vscode.LogOutputChannel,
    private readonly context: vscode.ExtensionContext,
    private readonly runner: AnalysisRunner,
    private readonly folder: () => vscode.WorkspaceFolder | undefined,
  ) {}

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
    return this.chosenTier === undefined && this.runner.state.kind !== 'ready';
  }

  async chooseTier(): Promise<Tier | undefined> {
    const why = this.runner.state.kind === 'restricted' ? 'This workspace is not trusted, so Rollout Lens runs no git.' : 'No analysis of the working tree is available.';
    const pick = await vscode.window.showQuickPick(
      [...TIERS].reverse().map((t) => ({ label: t, description: TIER_HINT[t] })),
      { title: 'Rollout Lens: plan for which risk tier?', placeHolder: why },
    );
    if (pick) this.chosenTier = pick.label as Tier;
    return this.chosenTier;
  }

  async build(): Promise<Built> {
    const engine = await loadEngine();
    const state = this.runner.state;
    const fromAnalysis = state.kind === 'ready' && this.chosenTier === undefined;
    const trusted = vscode.workspace.isTrusted;
    // In an untrusted workspace the policy file is not read either: it is the repository's content.
    const { policy: base } = trusted ? await engine.loadPolicy(await this.policyRoot()) : { policy: (await engine.loadPolicy(undefined)).policy };
    const tier: Tier = fromAnalysis ? state.result.assessment.tier : (this.chosenTier ?? 'MEDIUM');
    const policy = applyWhatIf(base, tier, this.whatIf);
    const opts = { timezone: settings().timezone };
    const plan = fromAnalysis ? engine.plan({ assessment: state.result.assessment }, policy, opts) : engine.plan({ tier }, policy, opts);
    const findings: FindingView[] = fromAnalysis
      ? state.result.assessment.files
          .flatMap((f) => f.findings.map((x) => ({ file: f.path, line: x.line, tier: x.tier, rule: x.rule, message: x.message, ...(x.flag ? { flag: x.flag } : {}) })))
          .sort((a, b) => tierRank(b.tier) - tierRank(a.tier) || a.file.localeCompare(b.file) || a.line - b.line)
      : [];
    const scenarios = engine.scenarios();
    const wanted = settings().defaultScenario;
    const view: PlanView = {
      plan,
      markdown: engine.markdown(plan),
      findings,
      tierSource: fromAnalysis ? 'analysis' : 'chosen',
      restricted: state.kind === 'restricted',
      scenarios,
      faults: engine.faults(),
      defaultScenario: scenarios.some((s) => s.name === wanted) ? wanted : (scenarios[0]?.name ?? wanted),
      checklist: this.checklist(),
      whatIf: this.whatIf,
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
