/** The extension's settings, read fresh each time (they can change at any moment). */
import * as vscode from 'vscode';
import type { LensMode } from './lenses/model';
import type { WarnOn } from './status/model';

const SECTION = 'rolloutLens';

export function settings() {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    codeLens: c.get<LensMode>('codeLens', 'all'),
    timezone: c.get<string>('timezone', '').trim() || undefined,
    defaultScenario: c.get<string>('defaultScenario', 'healthy'),
    baseRef: c.get<string>('baseRef', '').trim() || undefined,
    breakingMigrationDiagnostics: c.get<boolean>('diagnostics.breakingMigrations', true),
    statusWarning: c.get<WarnOn>('statusBar.warningBackground', 'breakingMigration'),
    prometheusUrl: c.get<string>('prometheus.url', '').trim() || undefined,
  };
}

export function affects(e: vscode.ConfigurationChangeEvent, key: string): boolean {
  return e.affectsConfiguration(`${SECTION}.${key}`);
}
