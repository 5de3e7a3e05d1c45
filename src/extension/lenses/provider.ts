/** Code lenses on the changed regions, answered from the last analysis: never waits for git. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Analysis } from '../../core/pipeline';
import { COMMANDS } from '../ids';
import { settings } from '../settings';
import { repositoryOf, withRoot } from '../workspace/model';
import { lensesForFile } from './model';

export class RiskLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private analyses: readonly Analysis[] = [];
  private several = false;

  /** The analyses of the workspace's repositories (`several`: it holds more than one): a file's lenses come from the one that holds it. */
  update(analyses: readonly Analysis[], several: boolean): void {
    this.analyses = analyses;
    this.several = several;
    this.changed.fire();
  }

  /** The setting changed: redraw from the same analysis. */
  redraw(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
    const mode = settings().codeLens;
    if (mode === 'off' || document.uri.scheme !== 'file') return [];
    const analysis = repositoryOf(document.uri.fsPath, this.analyses);
    if (!analysis) return [];
    const { root, assessment } = analysis;
    const several = this.several;
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
        arguments: [withRoot(l.target, several ? root : undefined)],
      });
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
