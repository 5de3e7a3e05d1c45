/** The status bar item: the change's tier (and flag-guarded risk), or why there is none. */
import * as vscode from 'vscode';
import { COMMANDS } from '../ids';
import type { AnalysisState } from '../analysisRunner';
import { settings } from '../settings';
import type { RepositoryTier } from '../workspace/model';
import { acrossRepositories, HOVER_COMMANDS, stateIcon, stateStatus } from './model';

export { RESTRICTED_TEXT } from './model';

/** The other repositories of the workspace, for the hover; none or one: the item is as for a single folder. */
export interface Across {
  repositories: readonly RepositoryTier[];
  /** The root of the repository whose state the item shows. */
  activeRoot: string | undefined;
}

export class RiskStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rolloutLens.tier', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Rollout Lens risk tier';
    this.item.command = COMMANDS.generatePlan;
  }

  private visible = false;

  /** What the item shows now ('' while hidden): the integration tests read it through the state command. */
  get text(): string {
    return this.visible ? this.item.text : '';
  }

  /** The label a screen reader announces, and the hover's Markdown: for the integration tests. */
  get described(): { label: string; hover: string; warning: boolean } {
    const t = this.item.tooltip;
    return { label: this.item.accessibilityInformation?.label ?? '', hover: typeof t === 'string' ? t : (t?.value ?? ''), warning: this.item.backgroundColor !== undefined };
  }

  update(state: AnalysisState, running = false, across?: Across): void {
    const item = this.item;
    const several = (across?.repositories.length ?? 0) > 1;
    const own = stateStatus(state, settings().statusWarning, several ? across?.activeRoot : undefined);
    const s = across ? acrossRepositories(own, across.repositories, across.activeRoot) : own;
    const icon = running && stateIcon(state) === 'shield' ? 'sync~spin' : stateIcon(state);
    item.text = `$(${icon}) ${s.text}`;
    if (s.plain) item.tooltip = s.hover;
    else {
      const hover = new vscode.MarkdownString(s.hover);
      // Only the extension's own commands run from the hover's links.
      hover.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
      item.tooltip = hover;
    }
    item.accessibilityInformation = { label: s.label };
    item.backgroundColor = s.warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
    this.visible = true;
  }

  dispose(): void {
    this.item.dispose();
  }
}
