/**
 * What a rollback of the code cannot undo (breaking migrations, data writes) in the Problems panel,
 * when the setting asks for it: each names its rule (linked to the rule's section of docs/rules.md)
 * and offers its next steps as code actions.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RULES } from '../core/catalog';
import type { RuleId } from '../core/risk/types';
import type { Analysis } from '../core/pipeline';
import { withRoot, type RepositoryRef } from './workspace/model';
import { COMMANDS } from './ids';
import { irreversibleFindings } from './lenses/model';
import { settings } from './settings';

export const SOURCE = 'Rollout Lens';
const BREAKING = 'migration-breaking' satisfies RuleId;

/** docs/rules.md as shipped in the extension, at the section of `rule` (its heading's anchor is the rule id). */
export function ruleDoc(extensionUri: vscode.Uri, rule: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules.md').with({ fragment: rule });
}

export class MigrationDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('rollout-lens');
  /** The finding each diagnostic stands for: what its code actions open. */
  private readonly refs = new WeakMap<vscode.Diagnostic, RepositoryRef & { rule: RuleId }>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  private analyses: readonly Analysis[] = [];
  private several = false;

  /** The analyses of the workspace's repositories (`several`: it holds more than one): each file's entries come from the one that holds it. */
  update(analyses: readonly Analysis[] = this.analyses, several = this.several): void {
    this.analyses = analyses;
    this.several = several;
    this.collection.clear();
    if (!settings().breakingMigrationDiagnostics) return;
    for (const a of analyses) this.set(a, several);
  }

  private set(analysis: Analysis, several: boolean): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const m of irreversibleFindings(analysis.assessment)) {
      const line = Math.max(0, m.line - 1);
      const what = RULES[m.rule].short;
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `${what[0].toUpperCase()}${what.slice(1)}: ${m.message}. Level 1 rollback cannot undo it.`, vscode.DiagnosticSeverity.Warning);
      d.source = SOURCE;
      d.code = { value: m.rule, target: ruleDoc(this.extensionUri, m.rule) };
      this.refs.set(d, withRoot({ file: m.file, line: m.line, rule: m.rule }, several ? analysis.root : undefined));
      byFile.set(m.file, [...(byFile.get(m.file) ?? []), d]);
    }
    for (const [file, ds] of byFile) this.collection.set(vscode.Uri.file(path.join(analysis.root, file)), ds);
  }

  provideCodeActions(_doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const ref = this.refs.get(d);
      if (!ref || d.source !== SOURCE) continue;
      const { rule, ...at } = ref;
      const open = new vscode.CodeAction('Open rollout plan at this finding', vscode.CodeActionKind.QuickFix);
      open.command = { command: COMMANDS.openPlanAt, title: open.title, arguments: [at] };
      open.diagnostics = [d];
      out.push(open);
      if (rule !== BREAKING) continue;
      const split = new vscode.CodeAction('How to split this migration', vscode.CodeActionKind.QuickFix);
      split.command = { command: COMMANDS.howToSplit, title: split.title, arguments: [at] };
      split.diagnostics = [d];
      out.push(split);
    }
    return out;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
