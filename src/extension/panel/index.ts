/**
 * The plan panel, loaded on first use (dist/heavy.js): the panel host pulls in zod and the
 * protocol schemas, which activation does not need.
 */
import * as vscode from 'vscode';
import type { FindingRef } from '../../protocol/messages';
import type { Planning } from '../planning';
import { loadHeavy, loadedHeavy, markLoaded } from '../heavyLoader';
import type { PlanPanel } from './planPanel';

export const VIEW_TYPE = 'rolloutLens.plan';

async function load() {
  return markLoaded(await loadHeavy());
}

export async function showPanel(context: vscode.ExtensionContext, planning: Planning, focus?: FindingRef, tab?: 'plan' | 'simulate'): Promise<void> {
  (await load()).PlanPanel.show(context, planning, focus, tab);
}

export async function revivePanel(panel: vscode.WebviewPanel, state: unknown, context: vscode.ExtensionContext, planning: Planning): Promise<void> {
  (await load()).PlanPanel.revive(panel, state, context, planning);
}

/** The open panel, if the panel module was ever loaded and a panel is open. */
export function openPanel(): PlanPanel | undefined {
  return loadedHeavy?.PlanPanel.open;
}

