/** The status bar item: the change's tier (and flag-guarded risk), or why there is none. */
import * as vscode from 'vscode';
import { COMMANDS } from '../ids';
import type { AnalysisState } from '../analysisRunner';
import { settings } from '../settings';
import { HOVER_COMMANDS, NO_REPOSITORY, statusFor, type StatusModel } from './model';

export const RESTRICTED_TEXT = 'Rollout Lens: restricted (untrusted workspace)';

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

  update(state: AnalysisState, running = false): void {
    const item = this.item;
    item.backgroundColor = undefined;
    switch (state.kind) {
      case 'restricted':
        item.text = `$(shield) ${RESTRICTED_TEXT}`;
        item.tooltip = 'This workspace is not trusted: Rollout Lens runs no git here. The plan for a chosen tier and the simulator still work. Click to plan for a tier.';
        item.accessibilityInformation = { label: RESTRICTED_TEXT };
        break;
      case 'ready':
        this.show(statusFor(state.result.assessment, settings().statusWarning));
        break;
      case 'no-repository':
        this.show(NO_REPOSITORY);
        break;
      case 'error':
        item.text = '$(warning) Rollout Lens';
        item.tooltip = `${state.message}\nClick to plan for a chosen tier; see "Rollout Lens: Show Log".`;
        item.accessibilityInformation = { label: `Rollout Lens: ${state.message}` };
        break;
      case 'idle':
        item.text = '$(shield) Rollout Lens';
        item.tooltip = 'Analyzing the change…';
        item.accessibilityInformation = { label: 'Rollout Lens: analyzing the change' };
        break;
    }
    if (running) item.text = item.text.replace('$(shield)', '$(sync~spin)');
    item.show();
    this.visible = true;
  }

  private show(s: StatusModel): void {
    const hover = new vscode.MarkdownString(s.hover);
    // Only the extension's own commands run from the hover's links.
    hover.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    this.item.text = `$(shield) ${s.text}`;
    this.item.tooltip = hover;
    this.item.accessibilityInformation = { label: s.label };
    if (s.warn) this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  dispose(): void {
    this.item.dispose();
  }
}
