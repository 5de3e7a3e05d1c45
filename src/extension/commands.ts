/** The command palette entries (category "Rollout Lens") and the command the lenses call. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInputError } from '../core/errors';
import { POLICY_FILE } from '../core/policy/name';
import type { FindingRef, SimulationResult } from '../protocol/messages';
import { loadCore, loadEngine } from './core';
import { COMMANDS } from './ids';
import { describeForEditor } from './fields';
import { log } from './log';
import { headingLine } from './markdownAnchor';
import { openDiffAt } from './removed';
import { setPrometheusToken } from './prometheus';
import type { Repositories, Repository } from './repositories';
import type { PlanSession } from './session';
import { repositoryChoices, splitRef, type RepositoryRef } from './workspace/model';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  repositories: Repositories;
  session: PlanSession;
  /** The repository of the active editor (the last one a file was active in). */
  activeRepository(): Repository | undefined;
}

/** Opens the plan panel (loading the heavy bundle on first use), on a tab or at a finding. */
export async function showPanel(context: vscode.ExtensionContext, session: PlanSession, focus?: FindingRef, tab?: 'plan' | 'simulate', simulation?: SimulationResult): Promise<void> {
  await (await loadCore()).PlanPanel.show(context, session, focus, tab, simulation);
}

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const { context, repositories, session } = d;

  /**
   * With several repositories, asks which one the plan is for (the active editor's first, each with
   * its tier) unless `root` names it; false when the user dismissed the question. One repository: no question.
   */
  async function chooseRepository(root?: string): Promise<boolean> {
    await repositories.settled();
    const named = root !== undefined ? repositories.at(root) : undefined;
    if (named) {
      session.useRepository(named);
      return true;
    }
    if (repositories.all.length < 2) return true;
    const choices = repositoryChoices(repositories.tiers(), d.activeRepository()?.root);
    const pick = await session.prompts.pick(choices, { title: 'Rollout Lens: plan for which repository?', placeHolder: 'This workspace holds several git repositories; each has its own change and policy.' });
    const repo = pick && repositories.at(pick.root);
    if (!repo) return false;
    session.useRepository(repo);
    return true;
  }

  /** Without an analysis (untrusted, no repository, failed), the plan is for a tier the user picks. */
  async function ensureTier(): Promise<boolean> {
    if (!session.needsTier()) return true;
    return (await session.pickTier()) !== undefined;
  }

  async function generatePlan(focus?: RepositoryRef): Promise<void> {
    const { place, root } = focus ? splitRef(focus) : { place: undefined, root: undefined };
    if (!(await chooseRepository(root))) return;
    if (!(await ensureTier())) return;
    await showPanel(context, session, place, 'plan');
  }

  async function simulate(): Promise<void> {
    if (!(await chooseRepository())) return;
    if (!(await ensureTier())) return;
    const engine = await loadEngine();
    const pick = await vscode.window.showQuickPick(
      engine.scenarios().map((s) => ({ label: s.name, description: s.description })),
      { title: 'Rollout Lens: simulate the rollout with which scenario?' },
    );
    if (!pick) return;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Simulating "${pick.label}"…` }, () =>
      session.simulateOnce({ kind: 'scenario', scenario: pick.label, seed: 1 }),
    );
    log().info(`simulation (${pick.label}): ${result.verdict}`);
    const show = result.outcome === 'promoted' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const open = await show(result.verdict, 'Open Simulation');
    // The run the message announced, not whatever the view would run next.
    if (open) await showPanel(context, session, undefined, 'simulate', result);
  }

  async function copyMarkdown(): Promise<void> {
    if (!(await chooseRepository())) return;
    if (!(await ensureTier())) return;
    const { view } = await session.build();
    await vscode.env.clipboard.writeText(view.markdown);
    void vscode.window.showInformationMessage(`Rollout plan (${view.plan.tier}) copied as Markdown.`);
  }

  /**
   * Opens `.rollout-lens.json`; creates it only when the user says so. Only a regular file in the
   * repository root is opened or created: a committed link would have the editor show, and then
   * save, a file outside the repository.
   */
  async function openPolicy(): Promise<void> {
    if (!(await chooseRepository())) return;
    const root = await session.policyRoot();
    if (!root) {
      void vscode.window.showWarningMessage('Rollout Lens: open a folder first; the policy file lives at the repository root.');
      return;
    }
    // The policy module brings zod: it lives in the lazily loaded bundle.
    const { readRepositoryPolicy, writeRepositoryPolicy } = await loadCore();
    let file: string;
    try {
      const current = await readRepositoryPolicy(root);
      if (current) file = current.file;
      else {
        const create = await vscode.window.showInformationMessage(`${POLICY_FILE} does not exist in ${path.basename(root)}. Create it?`, { modal: true, detail: 'Without it, the built-in default thresholds, waits and timing rules apply.' }, 'Create');
        if (create !== 'Create') return;
        file = await writeRepositoryPolicy(root, '{\n}\n');
      }
    } catch (e) {
      if (!isInputError(e)) throw e;
      void vscode.window.showErrorMessage(`Rollout Lens: ${describeForEditor(e)}`);
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file));
  }

  /** Every repository of the workspace, at once; a failure is shown with the repository's name when there are several. */
  async function refresh(): Promise<void> {
    await repositories.settled();
    const all = repositories.all;
    const states = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Rollout Lens: analyzing' }, () => Promise.all(all.map((r) => r.runner.refreshNow('command'))));
    states.forEach((state, i) => {
      if (state.kind === 'error') void vscode.window.showErrorMessage(`Rollout Lens: ${all.length > 1 ? `${all[i].name}: ` : ''}${state.message}`);
    });
  }

  /**
   * The rule catalogue's section on breaking migrations (expand/contract), as shipped with the
   * extension; without it, the plan at the finding, whose rollback section says the same.
   */
  async function howToSplit(ref?: RepositoryRef): Promise<void> {
    const doc = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md');
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(doc));
    } catch {
      log().warn(`${doc.fsPath} is not there: opening the plan's rollback section instead`);
      return generatePlan(ref);
    }
    const at = new vscode.Position(headingLine(text, 'migration-breaking'), 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: false });
  }

  const reg = vscode.commands.registerCommand;
  return [
    reg(COMMANDS.generatePlan, () => generatePlan()),
    // From a lens or a link: the finding; from the Rollout Risk view's inline action: its node.
    reg(COMMANDS.openPlanAt, (target?: RepositoryRef | { target: RepositoryRef }) => generatePlan(target && 'target' in target ? target.target : target)),
    reg(COMMANDS.showRemoved, async (target: RepositoryRef) => {
      try {
        const repo = target.root !== undefined ? repositories.at(target.root) : undefined;
        await openDiffAt(repo?.runner.state ?? session.analysis, target.file, target.line);
      } catch (e) {
        void vscode.window.showErrorMessage(`Rollout Lens: ${(e as Error).message}`);
      }
    }),
    reg(COMMANDS.howToSplit, howToSplit),
    reg(COMMANDS.simulate, simulate),
    reg(COMMANDS.copyPlanMarkdown, copyMarkdown),
    reg(COMMANDS.openPolicy, openPolicy),
    reg(COMMANDS.refresh, refresh),
    reg(COMMANDS.showLog, () => log().show()),
    reg(COMMANDS.setPrometheusToken, () => setPrometheusToken(context.secrets)),
  ];
}
