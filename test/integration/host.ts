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

/** Polls `probe` until it answers something other than undefined. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function state(): Promise<ExtensionState> {
  return (await api()).state();
}
