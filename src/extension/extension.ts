/**
 * Activation: registers the lenses, the status bar, the commands and the panel serializer, and
 * schedules the first analysis. Nothing heavy runs here: git, the SQL parser and the simulator
 * load on first use (core.ts), so activation stays within a few milliseconds.
 */
import * as vscode from 'vscode';
import { AnalysisRunner, type AnalysisState } from './analysisRunner';
import { registerCommands } from './commands';
import { MigrationDiagnostics } from './diagnostics';
import { POLICY_FILE } from '../core/policy/name';
import { loadCore, loadedCore, loadEngine } from './core';
import { insideGitRepository } from './gitDir';
import { VIEW_TYPE } from './ids';
import { RiskLensProvider } from './lenses/provider';
import { BASE_SCHEME, BaseContent } from './removed';
import { RiskTree } from './tree/provider';
import { createLog } from './log';
import { PlanSession } from './session';
import { affects, settings } from './settings';
import { RiskStatus } from './status/item';
import { testApi, type RolloutLensApi } from './testApi';

const moduleLoadedAt = performance.now();
let activationMs = -1;

export function activate(context: vscode.ExtensionContext): RolloutLensApi {
  // The host does its own work (storage, context) between loading the module and calling
  // activate: that gap is logged apart, and activationMs counts only this function.
  const activateStartedAt = performance.now();
  const log = createLog();
  const folder = () => vscode.workspace.workspaceFolders?.[0];
  const openPanel = () => loadedCore()?.PlanPanel.open;
  let gitRuns = 0;
  let running = false;

  const lenses = new RiskLensProvider();
  const status = new RiskStatus();
  const diagnostics = new MigrationDiagnostics(context.extensionUri);
  const tree = new RiskTree();

  const onChange = (state: AnalysisState) => {
    running = false;
    lenses.update(state);
    status.update(state);
    diagnostics.update(state);
    tree.update(state);
    if (state.kind === 'ready') log.info(`analysis: ${state.result.assessment.tier}, ${state.result.assessment.files.length} changed file(s)`);
    else if (state.kind === 'error') log.error(state.message);
    void openPanel()?.refresh();
  };

  const runner = new AnalysisRunner({
    isTrusted: () => vscode.workspace.isTrusted,
    log: (m) => log.debug(m),
    onChange,
    analyze: async (signal) => {
      const f = folder();
      if (!f || !(await insideGitRepository(f.uri.fsPath))) throw new Error('not a git repository: open a folder inside one');
      running = true;
      status.update(runner.state, true);
      const engine = await loadEngine();
      return engine.analyzeRepo({
        repo: f.uri.fsPath,
        base: settings().baseRef,
        // A refresh that a newer one supersedes stops its git processes too.
        signal,
        onGit: (args, ms) => {
          gitRuns++;
          log.info(`git ${args.join(' ')} (${Math.round(ms)} ms)`);
        },
      });
    },
  });
  const session = new PlanSession(log, context, runner, folder);

  context.subscriptions.push(
    log,
    lenses,
    status,
    diagnostics,
    { dispose: () => runner.dispose() },
    tree,
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, diagnostics, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, new BaseContent()),
    session,
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await loadCore()).PlanPanel.revive(panel, state, context, session),
    }),
    ...registerCommands({ context, runner, session }),
    ...watchRepository(folder(), (reason) => {
      if (reason === 'policy file') session.policyChanged();
      runner.schedule(reason);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => doc.uri.scheme === 'file' && runner.schedule(`saved ${vscode.workspace.asRelativePath(doc.uri)}`)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: analyzing');
      session.setTier(undefined);
      void runner.refreshNow('trust granted');
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'baseRef')) runner.schedule('baseRef setting');
      if (affects(e, 'codeLens')) lenses.redraw();
      if (affects(e, 'diagnostics')) diagnostics.update(runner.state);
      if (affects(e, 'statusBar')) status.update(runner.state, running);
      if (affects(e, 'timezone') || affects(e, 'defaultScenario')) void openPanel()?.refresh();
    }),
  );

  status.update(runner.state, running);
  tree.update(runner.state);
  if (vscode.workspace.isTrusted) runner.schedule('startup');
  else log.info('workspace not trusted: no git runs; the plan for a chosen tier and the simulator still work');
  activationMs = performance.now() - activateStartedAt;
  log.info(`activated in ${activationMs.toFixed(1)} ms (${(activateStartedAt - moduleLoadedAt).toFixed(1)} ms from loading the module to the host calling activate)`);
  return testApi({ runner, session, activationMs: () => activationMs, gitRuns: () => gitRuns, statusText: () => status.text, statusDescribed: () => status.described });
}

/** git's index, HEAD and refs (commits, staging, branch switches) and the policy file. */
function watchRepository(folder: vscode.WorkspaceFolder | undefined, schedule: (reason: string) => void): vscode.Disposable[] {
  if (!folder) return [];
  const watchers = [
    ['.git/index', 'git index'],
    ['.git/HEAD', 'HEAD'],
    ['.git/refs/**', 'git refs'],
    [POLICY_FILE, 'policy file'],
  ].map(([glob, reason]) => {
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
    w.onDidChange(() => schedule(reason));
    w.onDidCreate(() => schedule(reason));
    w.onDidDelete(() => schedule(reason));
    return w;
  });
  return watchers;
}

export function deactivate(): void {}
