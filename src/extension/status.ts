/** The status bar item: the change's tier (and flag-guarded risk), or why there is none. */
import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import type { AnalysisState } from './analysisRunner';
import { statusFor } from './lenses/model';

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

  update(state: AnalysisState, running = false): void {
    const item = this.item;
    item.backgroundColor = undefined;
    switch (state.kind) {
      case 'restricted':
        item.text = `$(shield) ${RESTRICTED_TEXT}`;
        item.tooltip = 'This workspace is not trusted: Rollout Lens runs no git here. The plan for a chosen tier and the simulator still work. Click to plan for a tier.';
        item.accessibilityInformation = { label: RESTRICTED_TEXT };
        break;
      case 'ready': {
        const s = statusFor(state.result.assessment);
        item.text = `$(shield) ${s.text}`;
        item.tooltip = s.tooltip;
        item.accessibilityInformation = { label: `Deployment risk ${s.text}` };
        if (s.tier === 'HIGH') item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      }
      case 'error':
        item.text = '$(warning) Rollout Lens';
        item.tooltip = `${state.message}\nClick to plan for a chosen tier; see "Rollout Lens: Show Log".`;
        item.accessibilityInformation = { label: `Rollout Lens: ${state.message}` };
        break;
      case 'no-repository':
        item.hide();
        this.visible = false;
        return;
      case 'idle':
        item.text = '$(shield) Rollout Lens';
        item.tooltip = 'Analyzing the change…';
        break;
    }
    if (running) item.text = item.text.replace('$(shield)', '$(sync~spin)');
    item.show();
    this.visible = true;
  }

  dispose(): void {
    this.item.dispose();
  }
}
