/** The "Rollout Risk" tree in the Source Control sidebar, answered from the last analysis. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisState } from '../analysisRunner';
import { COMMANDS } from '../ids';
import { riskTree, treeMessage, type RiskNode } from './model';

export const RISK_VIEW = 'rolloutLens.risk';

export class RiskTree implements vscode.TreeDataProvider<RiskNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<RiskNode>;
  private state: AnalysisState = { kind: 'idle' };

  constructor() {
    this.view = vscode.window.createTreeView(RISK_VIEW, { treeDataProvider: this, showCollapseAll: true });
  }

  update(state: AnalysisState): void {
    this.state = state;
    this.view.message = treeMessage(state);
    this.changed.fire();
  }

  getChildren(node?: RiskNode): RiskNode[] {
    if (!node) return this.state.kind === 'ready' ? riskTree(this.state.result.assessment) : [];
    if (node.kind === 'tier') return node.files;
    if (node.kind === 'file') return node.findings;
    return [];
  }

  getTreeItem(node: RiskNode): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState;
    if (node.kind === 'tier') {
      const item = new vscode.TreeItem(node.tier, Collapsed.Expanded);
      item.description = node.description;
      item.contextValue = 'tier';
      item.iconPath = new vscode.ThemeIcon('shield');
      return item;
    }
    if (node.kind === 'file') {
      const root = this.state.kind === 'ready' ? this.state.result.root : '';
      const uri = vscode.Uri.file(path.join(root, node.path));
      const item = new vscode.TreeItem(uri, node.findings.length ? Collapsed.Expanded : Collapsed.None);
      item.label = path.posix.basename(node.path);
      item.description = `${path.posix.dirname(node.path) === '.' ? '' : `${path.posix.dirname(node.path)} · `}${node.description}`;
      item.tooltip = `${node.path}: ${node.tier}, ${node.description}`;
      item.contextValue = 'file';
      item.command = { command: 'vscode.open', title: 'Open File', arguments: [uri] };
      return item;
    }
    const item = new vscode.TreeItem(node.label, Collapsed.None);
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = 'finding';
    item.iconPath = new vscode.ThemeIcon(node.irreversible ? 'warning' : 'circle-small-filled');
    item.command = { command: COMMANDS.openPlanAt, title: 'Open Rollout Plan at Finding', arguments: [node.target] };
    return item;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
