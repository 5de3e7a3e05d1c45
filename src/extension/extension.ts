/**
 * Activation: registers the lenses, the status bar, the commands and the panel serializer, and
 * schedules the first analysis. Nothing heavy runs here: git, the SQL parser and the simulator
 * load on first use (core.ts), so activation stays within a few milliseconds.
 */
import * as vscode from 'vscode';
import { AnalysisRunner } from './analysisRunner';
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
import { Repositories } from './repositories';
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
  const openPanel = () => loadedCore()?.PlanPanel.open;
  let gitRuns = 0;
  const onGit = (args: string[], ms: number) => {
    gitRuns++;
    log.info(`git ${args.join(' ')} (${Math.round(ms)} ms)`);
  };

  const lenses = new RiskLensProvider();
  const status = new RiskStatus();
  const diagnostics = new MigrationDiagnostics(context.extensionUri);
  const tree = new RiskTree();

  /** The repository of the active editor; kept while the editor shows something of no repository (the plan, the log). */
  let activeRoot: string | undefined;
  const activeRepository = () => (activeRoot !== undefined ? repositories.at(activeRoot) : undefined) ?? repositories.all[0];
  const followEditor = (editor: vscode.TextEditor | undefined) => {
    if (editor?.document.uri.scheme !== 'file') return false;
    const repo = repositories.of(editor.document.uri.fsPath);
    if (!repo || repo.root === activeRoot) return false;
    activeRoot = repo.root;
    return true;
  };

  const showStatus = () => {
    const repo = activeRepository();
    status.update(repo?.runner.state ?? { kind: 'idle' }, repo?.running ?? false, { repositories: repositories.tiers(), activeRoot: repo?.root });
  };

  /** Every surface from every repository's state: a file's lenses and entries come from the repository that holds it. */
  const render = () => {
    const all = repositories.all;
    const analyses = all.flatMap((r) => (r.runner.state.kind === 'ready' ? [r.runner.state.result] : []));
    const several = all.length > 1;
    lenses.update(analyses, several);
    diagnostics.update(analyses, several);
    tree.update(all.map((r) => ({ name: r.name, root: r.root, state: r.runner.state })));
    followEditor(vscode.window.activeTextEditor);
    showStatus();
    void openPanel()?.refresh();
  };

  const repositories: Repositories = new Repositories({
    log,
    onChange: render,
    watch: (repo) =>
      watchRepository(repo.root, (reason) => {
        if (reason === 'policy file') session.policyChanged(repo.root);
        repo.runner.schedule(reason);
      }),
    runner: (repo, onChange) => {
      // Log lines name the repository when there are several.
      const named = (m: string) => (repositories.all.length > 1 ? `${repo().name}: ${m}` : m);
      return new AnalysisRunner({
        isTrusted: () => vscode.workspace.isTrusted,
        log: (m) => log.debug(named(m)),
        onChange: (state) => {
          if (state.kind === 'ready') log.info(named(`analysis: ${state.result.assessment.tier}, ${state.result.assessment.files.length} changed file(s)`));
          else if (state.kind === 'error') log.error(named(state.message));
          onChange(state);
        },
        analyze: async (signal) => {
          const r = repo();
          if (!r.folders.length || !(await insideGitRepository(r.root))) throw new Error('not a git repository: open a folder inside one');
          repositories.markRunning(r, true);
          showStatus();
          const engine = await loadEngine();
          // A refresh that a newer one supersedes stops its git processes too.
          return engine.analyzeRepo({ repo: r.root, base: settings().baseRef, signal, onGit });
        },
      });
    },
  });
  const session = new PlanSession(log, context, repositories);
  const readyAt = (root: string) => {
    const s = repositories.at(root)?.runner.state;
    return s?.kind === 'ready' ? s.result : undefined;
  };
  const scheduleAll = (reason: string) => repositories.all.forEach((r) => r.runner.schedule(reason));
  /** Reads the workspace folders (again) and schedules the analysis of each repository that was not there. */
  const syncFolders = (reason: string) =>
    void repositories.sync().then((added) => {
      if (vscode.workspace.isTrusted) added.forEach((r) => r.runner.schedule(reason));
    });

  context.subscriptions.push(
    log,
    lenses,
    status,
    diagnostics,
    repositories,
    tree,
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, diagnostics, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, new BaseContent(readyAt, onGit)),
    session,
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await loadCore()).PlanPanel.revive(panel, state, context, session),
    }),
    ...registerCommands({ context, repositories, session, activeRepository }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => syncFolders('workspace folder added')),
    vscode.window.onDidChangeActiveTextEditor((editor) => followEditor(editor) && showStatus()),
    vscode.workspace.onDidSaveTextDocument((doc) => doc.uri.scheme === 'file' && repositories.of(doc.uri.fsPath)?.runner.schedule(`saved ${vscode.workspace.asRelativePath(doc.uri)}`)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: analyzing');
      session.setTier(undefined);
      repositories.all.forEach((r) => void r.runner.refreshNow('trust granted'));
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'baseRef')) scheduleAll('baseRef setting');
      if (affects(e, 'codeLens')) lenses.redraw();
      if (affects(e, 'diagnostics')) diagnostics.update();
      if (affects(e, 'statusBar')) showStatus();
      if (affects(e, 'timezone') || affects(e, 'defaultScenario')) void openPanel()?.refresh();
    }),
  );

  showStatus();
  tree.update([]);
  syncFolders('startup');
  if (!vscode.workspace.isTrusted) log.info('workspace not trusted: no git runs; the plan for a chosen tier and the simulator still work');
  activationMs = performance.now() - activateStartedAt;
  log.info(`activated in ${activationMs.toFixed(1)} ms (${(activateStartedAt - moduleLoadedAt).toFixed(1)} ms from loading the module to the host calling activate)`);
  return testApi({
    repositories,
    session,
    activationMs: () => activationMs,
    gitRuns: () => gitRuns,
    statusText: () => status.text,
    statusDescribed: () => status.described,
    logFolder: context.logUri.fsPath,
  });
}

/** git's index, HEAD and refs (commits, staging, branch switches) and the policy file of the repository at `root`. */
function watchRepository(root: string, schedule: (reason: string) => void): vscode.Disposable[] {
  if (!root) return [];
  const base = vscode.Uri.file(root);
  return [
    ['.git/index', 'git index'],
    ['.git/HEAD', 'HEAD'],
    ['.git/refs/**', 'git refs'],
    [POLICY_FILE, 'policy file'],
  ].map(([glob, reason]) => {
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, glob));
    w.onDidChange(() => schedule(reason));
    w.onDidCreate(() => schedule(reason));
    w.onDidDelete(() => schedule(reason));
    return w;
  });
}

export function deactivate(): void {}
