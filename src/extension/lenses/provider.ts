/** Code lenses on the changed regions, answered from the last analysis: never waits for git. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisState } from '../analysisRunner';
import { COMMANDS } from '../ids';
import { settings } from '../settings';
import { lensesForFile } from './model';

export class RiskLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private state: AnalysisState = { kind: 'idle' };

  update(state: AnalysisState): void {
    this.state = state;
    this.changed.fire();
  }

  /** The setting changed: redraw from the same analysis. */
  redraw(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
    const mode = settings().codeLens;
    if (mode === 'off' || this.state.kind !== 'ready' || document.uri.scheme !== 'file') return [];
    const { root, assessment } = this.state.result;
    const rel = path.relative(root, document.uri.fsPath).split(path.sep).join('/');
    const file = assessment.files.find((f) => f.path === rel);
    if (!file || token.isCancellationRequested) return [];
    const lastLine = Math.max(0, document.lineCount - 1);
    return lensesForFile(file, mode).map((l) => {
      const line = Math.min(Math.max(0, l.line - 1), lastLine);
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: l.title,
        tooltip: l.tooltip,
        command: l.kind === 'removed' ? COMMANDS.showRemoved : COMMANDS.openPlanAt,
        arguments: [l.target],
      });
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
