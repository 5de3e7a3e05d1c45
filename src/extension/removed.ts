/**
 * Removed lines, shown where they were: the diff of a file between the analysis's base and the
 * working tree, opened at a line of the working tree. The left side is a read-only document of
 * the base's text, read from git's object store; nothing is written to the repository.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Analysis } from '../core/pipeline';
import type { AnalysisState } from './analysisRunner';
import { loadEngine } from './core';

export const BASE_SCHEME = 'rollout-lens-base';

interface BaseRef {
  root: string;
  ref: string;
  file: string;
}

function baseUri(b: BaseRef): vscode.Uri {
  return vscode.Uri.from({ scheme: BASE_SCHEME, path: `/${b.file}`, query: JSON.stringify(b) });
}

/**
 * Serves the base version of a file for the diff's left side, read with the git context of the
 * analysis of the repository at the document's root (`analysisAt`), as every other read of it.
 */
export class BaseContent implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly analysisAt: (root: string) => Analysis | undefined,
    private readonly onGit?: (args: string[], ms: number) => void,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const b = JSON.parse(uri.query) as BaseRef;
    const analysis = this.analysisAt(b.root);
    if (!analysis) throw new Error(`${b.root}: no analysis of this repository now, so its earlier version of ${b.file} is not read`);
    return (await loadEngine()).baseText({ ...analysis.git, ...(this.onGit ? { onGit: this.onGit } : {}) }, b.ref, b.file);
  }
}

/** Where removed lines of `file` show: true when a finding about removed lines sits at `line` of the working tree. */
export function removalAt(state: AnalysisState, file: string, line: number): boolean {
  if (state.kind !== 'ready') return false;
  const f = state.result.assessment.files.find((x) => x.path === file);
  return !!f?.findings.some((x) => x.side === 'removed' && x.after !== undefined && x.after + 1 === line);
}

/** Opens base ↔ working tree for `file` with the cursor at `line` (1-based) of the working tree. */
export async function openDiffAt(state: AnalysisState, file: string, line: number): Promise<void> {
  if (state.kind !== 'ready') throw new Error('no analysis of the working tree yet: run "Rollout Lens: Refresh Risk Analysis"');
  const { root, assessment } = state.result;
  const entry = assessment.files.find((x) => x.path === file);
  const ref = assessment.base;
  if (!entry || !ref) throw new Error(`${file}: not changed against a commit, so there is no earlier version to compare`);
  const left = baseUri({ root, ref, file: entry.oldPath ?? entry.path });
  const right = vscode.Uri.file(path.join(root, file));
  const at = new vscode.Position(Math.max(0, line - 1), 0);
  const label = ref === 'HEAD' ? 'HEAD' : ref.slice(0, 10);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${path.basename(file)} (${label} ↔ working tree)`, {
    selection: new vscode.Range(at, at),
    preview: false,
  } satisfies vscode.TextDocumentShowOptions);
}
