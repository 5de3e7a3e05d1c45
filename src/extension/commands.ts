/** The command palette entries (category "Rollout Lens") and the commands lenses and tests call. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInputError } from '../core/errors';
import type { FindingRef } from '../protocol/messages';
import type { AnalysisRunner } from './analysisRunner';
import { loadEngine } from './engine';
import { loadHeavy } from './heavyLoader';
import { OPEN_PLAN_AT } from './lenses/provider';
import { log } from './log';
import { setPrometheusToken } from './prometheus';
import { openPanel, showPanel } from './panel';
import type { Planning } from './planning';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  runner: AnalysisRunner;
  planning: Planning;
  activationMs: () => number;
  gitRuns: () => number;
  statusText: () => string;
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const { context, runner, planning } = d;

  /** Without an analysis (untrusted, no repository, failed), the plan is for a tier the user picks. */
  async function ensureTier(): Promise<boolean> {
    if (!planning.needsTier()) return true;
    return (await planning.chooseTier()) !== undefined;
  }

  async function generatePlan(focus?: FindingRef): Promise<void> {
    if (!(await ensureTier())) return;
    await showPanel(context, planning, focus, 'plan');
  }

  async function simulate(): Promise<void> {
    if (!(await ensureTier())) return;
    const engine = await loadEngine();
    const pick = await vscode.window.showQuickPick(
      engine.scenarios().map((s) => ({ label: s.name, description: s.description })),
      { title: 'Rollout Lens: simulate the rollout with which scenario?' },
    );
    if (!pick) return;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Simulating "${pick.label}"…` }, async () => {
      const { plan } = await planning.build();
      return (await engine.simulate(plan, { kind: 'scenario', scenario: pick.label, seed: 1 }, { runs: 1 })).result;
    });
    planning.lastSimulation = result;
    log().info(`simulation (${pick.label}): ${result.verdict}`);
    const show = result.outcome === 'promoted' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const open = await show(result.verdict, 'Open Simulation');
    if (open) await showPanel(context, planning, undefined, 'simulate');
  }

  async function copyMarkdown(): Promise<void> {
    if (!(await ensureTier())) return;
    const { view } = await planning.build();
    await vscode.env.clipboard.writeText(view.markdown);
    void vscode.window.showInformationMessage(`Rollout plan (${view.plan.tier}) copied as Markdown.`);
  }

  /**
   * Opens `.rollout-lens.json`; creates it only when the user says so. Only a regular file in the
   * repository root is opened or created: a committed link would have the editor show, and then
   * save, a file outside the repository.
   */
  async function openPolicy(): Promise<void> {
    const root = await planning.policyRoot();
    if (!root) {
      void vscode.window.showWarningMessage('Rollout Lens: open a folder first; the policy file lives at the repository root.');
      return;
    }
    // The policy module brings zod: it lives in the lazily loaded bundle.
    const { POLICY_FILE, readRepositoryPolicy, writeRepositoryPolicy } = await loadHeavy();
    let file: string;
    try {
      const current = await readRepositoryPolicy(root);
      if (current) file = current.file;
      else {
        const create = await vscode.window.showInformationMessage(`${POLICY_FILE} does not exist in ${path.basename(root)}. Create it?`, { modal: true, detail: 'Without it, the seed\'s default thresholds, waits and timing rules apply.' }, 'Create');
        if (create !== 'Create') return;
        file = await writeRepositoryPolicy(root, '{\n}\n');
      }
    } catch (e) {
      if (!isInputError(e)) throw e;
      void vscode.window.showErrorMessage(`Rollout Lens: ${e.message}`);
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  }

  async function refresh(): Promise<void> {
    const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Rollout Lens: analyzing' }, () => runner.refreshNow('command'));
    if (state.kind === 'error') void vscode.window.showErrorMessage(`Rollout Lens: ${state.message}`);
  }

  /** Test-only: loads a trace and simulates it the way the view does; answers with the verdict or the error line. */
  async function simulateTraceForTests(file: string): Promise<{ verdict?: string; error?: string }> {
    try {
      const engine = await loadEngine();
      const trace = await engine.loadTrace(file);
      const { plan } = await planning.build();
      const { result } = await engine.simulate(plan, { kind: 'trace', trace, seed: 1 }, { runs: 1 });
      planning.lastSimulation = result;
      return { verdict: result.verdict };
    } catch (e) {
      if (!isInputError(e)) log().error(String((e as Error)?.stack ?? e));
      return { error: (e as Error).message };
    }
  }

  const reg = vscode.commands.registerCommand;
  return [
    reg('rolloutLens.generatePlan', () => generatePlan()),
    reg(OPEN_PLAN_AT, (target?: FindingRef) => generatePlan(target)),
    reg('rolloutLens.simulate', simulate),
    reg('rolloutLens.copyPlanMarkdown', copyMarkdown),
    reg('rolloutLens.openPolicy', openPolicy),
    reg('rolloutLens.refresh', refresh),
    reg('rolloutLens.showLog', () => log().show()),
    reg('rolloutLens.setPrometheusToken', () => setPrometheusToken(context.secrets)),
    reg('rolloutLens.internal.activationMs', () => d.activationMs()),
    reg('rolloutLens.internal.state', () => ({
      analysis: runner.state.kind,
      tier: runner.state.kind === 'ready' ? runner.state.result.assessment.tier : undefined,
      gitRuns: d.gitRuns(),
      trusted: vscode.workspace.isTrusted,
      status: d.statusText(),
      chosenTier: planning.chosenTier,
      panelOpen: openPanel() !== undefined,
      lastVerdict: planning.lastSimulation?.verdict,
      lastOutcome: planning.lastSimulation?.outcome,
    })),
    reg('rolloutLens.internal.simulateTrace', simulateTraceForTests),
    reg('rolloutLens.internal.simulateScenario', async (scenario: string, seed = 1) => {
      const engine = await loadEngine();
      const { plan } = await planning.build();
      const { result } = await engine.simulate(plan, { kind: 'scenario', scenario, seed }, { runs: 1 });
      planning.lastSimulation = result;
      return { outcome: result.outcome, verdict: result.verdict };
    }),
  ];
}
