/** What the integration suites share inside the extension host: the extension, its internal state, the fixture's files. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'rollout-lens.rollout-lens';

/** The answer of the test-only command `rolloutLens.internal.state`. */
export interface InternalState {
  analysis: string;
  tier?: string;
  gitRuns: number;
  trusted: boolean;
  status: string;
  chosenTier?: string;
  panelOpen: boolean;
  lastVerdict?: string;
  lastOutcome?: string;
}

export function workspaceFile(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, rel);
}

export async function state(): Promise<InternalState> {
  return vscode.commands.executeCommand<InternalState>('rolloutLens.internal.state');
}
