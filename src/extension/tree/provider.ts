/** The "Rollout Risk" tree in the Source Control sidebar, answered from the last analysis. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisState } from '../analysisRunner';
import { COMMANDS } from '../ids';
import { repositoryNodes, riskTree, treeMessage, type RiskNode } from './model';

/** A repository as the tree shows it. */
export interface TreeRepository {
  name: string;
  root: string;
  state: AnalysisState;
}

export const RISK_VIEW = 'rolloutLens.risk';

export class RiskTree implements vscode.TreeDataProvider<RiskNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<RiskNode>;
  private state: AnalysisState = { kind: 'idle' };
  private repositories: readonly TreeRepository[] = [];

  constructor() {
    this.view = vscode.window.createTreeView(RISK_VIEW, { treeDataProvider: this, showCollapseAll: true });
  }

  /** One repository: its tree, as for a single folder; several: a node for each, its tree under it. */
  update(repositories: readonly TreeRepository[]): void {
    this.repositories = repositories;
    this.state = repositories[0]?.state ?? { kind: 'idle' };
    this.view.message = repositories.length > 1 ? undefined : treeMessage(this.state);
    this.changed.fire();
  }

  getChildren(node?: RiskNode): RiskNode[] {
    if (!node) {
      if (this.repositories.length > 1) return repositoryNodes(this.repositories);
      return this.state.kind === 'ready' ? riskTree(this.state.result.assessment) : [];
    }
    if (node.kind === 'repository') return node.tiers;
    if (node.kind === 'tier') return node.files;
    if (node.kind === 'file') return node.findings;
    return [];
  }

  getTreeItem(node: RiskNode): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState;
    if (node.kind === 'repository') {
      const item = new vscode.TreeItem(node.name, node.tiers.length ? Collapsed.Expanded : Collapsed.None);
      item.description = node.description;
      item.tooltip = `${node.root}: ${node.description}`;
      item.contextValue = 'repository';
      item.iconPath = new vscode.ThemeIcon('repo');
      return item;
    }
    if (node.kind === 'tier') {
      const item = new vscode.TreeItem(node.tier, Collapsed.Expanded);
      item.description = node.description;
      item.contextValue = 'tier';
      item.iconPath = new vscode.ThemeIcon('shield');
      return item;
    }
    if (node.kind === 'file') {
      const root = node.root ?? (this.state.kind === 'ready' ? this.state.result.root : '');
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
