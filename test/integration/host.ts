/** What the integration suites share inside the extension host: the extension, its state, the fixture's files. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionState, RolloutLensApi } from '../../src/extension/testApi';

export const EXTENSION_ID = 'rollout-lens.rollout-lens';

export function workspaceFile(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, rel);
}

/** What the extension's `activate()` returned (src/extension/testApi.ts). */
export async function api(): Promise<RolloutLensApi> {
  const ext = vscode.extensions.getExtension<RolloutLensApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export async function state(): Promise<ExtensionState> {
  return (await api()).state();
}
