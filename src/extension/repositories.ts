/**
 * The repositories of the workspace, one analysis each: every workspace folder that is (or is
 * inside) a git repository belongs to one, two folders of the same repository share it, and a
 * folder inside none is skipped with one line in the log. Folders added or removed while the
 * window is open start or stop their repository's analysis and watchers. When no folder is a
 * repository, the first folder (or none) stands alone, and its analysis says there is no repository.
 */
import * as vscode from 'vscode';
import { AnalysisRunner, type AnalysisState } from './analysisRunner';
import { findRepositoryRoot } from './gitDir';
import { groupFolders, repositoryName, repositoryOf, type RepositoryTier } from './workspace/model';

export interface Repository {
  /** The working tree's top folder, found as git finds it (the first folder's path when it is not a repository). */
  readonly root: string;
  /** The workspace folders it holds, in workspace order. */
  readonly folders: readonly vscode.WorkspaceFolder[];
  readonly name: string;
  readonly runner: AnalysisRunner;
  /** A git read is under way. */
  readonly running: boolean;
}

interface Entry extends Repository {
  folders: vscode.WorkspaceFolder[];
  name: string;
  running: boolean;
  watchers: vscode.Disposable[];
}

export interface RepositoriesDeps {
  log: vscode.LogOutputChannel;
  /** Makes the runner of a repository: `repo` gives the repository it analyses, when it runs. */
  runner(repo: () => Repository, onChange: (state: AnalysisState) => void): AnalysisRunner;
  /** The watchers of a repository's git files and policy file. */
  watch(entry: Repository): vscode.Disposable[];
  /** Something changed: a state, a repository added or removed. */
  onChange(): void;
}

export class Repositories implements vscode.Disposable {
  private entries: Entry[] = [];
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RepositoriesDeps) {}

  /** The repositories, in the order of their first workspace folder. */
  get all(): readonly Repository[] {
    return this.entries;
  }

  /** The repository that holds `file` (an absolute path): its analysis's top level, else its root. */
  of(file: string): Repository | undefined {
    // A workspace with no folder has no root to hold a file.
    const roots = this.entries.filter((e) => e.root !== '').map((e) => ({ e, root: e.runner.state.kind === 'ready' ? e.runner.state.result.root : e.root }));
    return repositoryOf(file, roots)?.e;
  }

  /** The repository whose analysis (or root) is `root`. */
  at(root: string): Repository | undefined {
    return this.entries.find((e) => e.root === root || (e.runner.state.kind === 'ready' && e.runner.state.result.root === root));
  }

  /** Each repository's name and tier (or what stands in for it), for the status bar and the prompt. */
  tiers(): RepositoryTier[] {
    return this.entries.map((e) => {
      const s = e.runner.state;
      if (s.kind === 'ready') return { name: e.name, root: e.root, tier: s.result.assessment.tier };
      const note = s.kind === 'restricted' ? 'restricted' : s.kind === 'error' ? 'analysis failed' : s.kind === 'no-repository' ? 'not a git repository' : 'analyzing';
      return { name: e.name, root: e.root, note };
    });
  }

  markRunning(repo: Repository, running: boolean): void {
    const e = this.entries.find((x) => x === repo);
    if (e) e.running = running;
  }

  /** Resolves once the workspace folders last read are matched by analyses (a command run at startup waits for it). */
  settled(): Promise<void> {
    return this.syncing;
  }

  /** Reads the workspace folders again and starts or stops analyses to match; resolves with the repositories added. */
  sync(): Promise<Repository[]> {
    const next = this.syncing.then(() => this.syncNow());
    this.syncing = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  private async syncNow(): Promise<Repository[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const found = await Promise.all(folders.map(async (folder) => ({ folder, root: folder.uri.scheme === 'file' ? await findRepositoryRoot(folder.uri.fsPath) : undefined })));
    const groups = groupFolders(found);
    for (const f of groups.outside) {
      if (!this.skipped.has(f.uri.toString())) this.deps.log.info(`${f.name}: not inside a git repository (${f.uri.fsPath}); not analyzed`);
    }
    this.skipped = new Set(groups.outside.map((f) => f.uri.toString()));
    // No repository at all: the first folder (or none) stands alone, and its analysis says why there is no change.
    const wanted = groups.repositories.length ? groups.repositories : [{ root: folders[0]?.uri.fsPath ?? '', folders: folders.slice(0, 1) }];
    const added: Entry[] = [];
    const kept: Entry[] = [];
    for (const w of wanted) {
      let e = this.entries.find((x) => x.root === w.root);
      if (!e) {
        e = this.create(w.root, w.folders);
        added.push(e);
      }
      e.folders = w.folders;
      e.name = repositoryName(
        w.folders.map((f) => f.name),
        w.root,
      );
      kept.push(e);
    }
    for (const e of this.entries.filter((x) => !kept.includes(x))) {
      this.deps.log.info(`${e.name}: no longer in the workspace; its analysis stopped`);
      this.stop(e);
    }
    this.entries = kept;
    for (const e of added) e.watchers = this.deps.watch(e);
    this.deps.onChange();
    return added;
  }

  private skipped = new Set<string>();

  private create(root: string, folders: vscode.WorkspaceFolder[]): Entry {
    const entry: Entry = {
      root,
      folders,
      name: '',
      running: false,
      watchers: [],
      runner: this.deps.runner(
        () => entry,
        () => {
          entry.running = false;
          this.deps.onChange();
        },
      ),
    };
    return entry;
  }

  private stop(e: Entry): void {
    e.runner.dispose();
    e.watchers.forEach((w) => w.dispose());
  }

  dispose(): void {
    this.entries.forEach((e) => this.stop(e));
    this.entries = [];
  }
}
