/** Breaking migrations in the Problems panel, when the setting asks for it. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RuleId } from '../core/risk/types';
import type { AnalysisState } from './analysisRunner';
import { breakingMigrations } from './lenses/model';
import { settings } from './settings';

export class MigrationDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('rollout-lens');

  update(state: AnalysisState): void {
    this.collection.clear();
    if (!settings().breakingMigrationDiagnostics || state.kind !== 'ready') return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const m of breakingMigrations(state.result.assessment)) {
      const line = Math.max(0, m.line - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `Breaking migration: ${m.message}. Level 1 rollback cannot undo it.`, vscode.DiagnosticSeverity.Warning);
      d.source = 'Rollout Lens';
      d.code = 'migration-breaking' satisfies RuleId;
      byFile.set(m.file, [...(byFile.get(m.file) ?? []), d]);
    }
    for (const [file, ds] of byFile) this.collection.set(vscode.Uri.file(path.join(state.result.root, file)), ds);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
