/**
 * The repositories of a multi-root workspace, as plain data: which repository holds a file, how
 * workspace folders group into repositories (two folders of one repository share its analysis),
 * the highest tier across them, and the order a prompt offers them in. Free of `vscode`, so it is
 * tested under plain node.
 */
import * as path from 'node:path';
import { tierRank, type Tier } from '../../core/tier';

/** Whether `file` is `root` itself or lies inside it (path-wise, no file system access). */
export function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The repository that holds `file`: the deepest root containing it, so a nested repository keeps its own files. */
export function repositoryOf<R extends { root: string }>(file: string, repositories: readonly R[]): R | undefined {
  let best: R | undefined;
  for (const r of repositories) {
    if (isInside(file, r.root) && (!best || r.root.length > best.root.length)) best = r;
  }
  return best;
}

export interface FolderGroups<F> {
  /** One entry per repository, in the order of its first folder; its folders in workspace order. */
  repositories: { root: string; folders: F[] }[];
  /** Folders inside no repository. */
  outside: F[];
}

/** Workspace folders grouped by the repository that holds each (`root`: undefined when none does). */
export function groupFolders<F>(folders: readonly { folder: F; root: string | undefined }[]): FolderGroups<F> {
  const repositories: { root: string; folders: F[] }[] = [];
  const outside: F[] = [];
  for (const { folder, root } of folders) {
    if (root === undefined) {
      outside.push(folder);
      continue;
    }
    const known = repositories.find((r) => r.root === root);
    if (known) known.folders.push(folder);
    else repositories.push({ root, folders: [folder] });
  }
  return { repositories, outside };
}

/** A repository as the status bar and the repository prompt name it. */
export interface RepositoryTier {
  /** The names of its workspace folders. */
  name: string;
  root: string;
  /** The analysis's tier; undefined while there is none (analyzing, untrusted, failed). */
  tier?: Tier;
  /** What stands in for the tier when there is none: "analyzing", "restricted", the error. */
  note?: string;
}

/** The repository of the highest tier (the first of them in workspace order), or undefined when none has a tier. */
export function highestTier<R extends RepositoryTier>(repositories: readonly R[]): R | undefined {
  let best: R | undefined;
  for (const r of repositories) {
    if (r.tier !== undefined && (!best || tierRank(r.tier) > tierRank(best.tier!))) best = r;
  }
  return best;
}

/** The repositories in the order a prompt offers them: the one at `activeRoot` first, the rest in workspace order. */
export function activeFirst<R extends { root: string }>(repositories: readonly R[], activeRoot: string | undefined): R[] {
  const active = repositories.find((r) => r.root === activeRoot);
  return active ? [active, ...repositories.filter((r) => r !== active)] : [...repositories];
}

/** The name of a repository of one or more workspace folders: their names, in workspace order. */
export function repositoryName(folderNames: readonly string[], root: string): string {
  return folderNames.length ? folderNames.join(', ') : path.basename(root);
}

/** What a repository shows in place of a tier, or its tier. */
export function tierOrNote(r: RepositoryTier): string {
  return r.tier ?? r.note ?? 'not analyzed yet';
}

/** A finding's place, with the repository it is in when the workspace holds several (what a lens or a link passes to a command). */
export interface RepositoryRef {
  file: string;
  line: number;
  root?: string;
}

/** `ref` with `root` added when one is given (several repositories), else as it is. */
export function withRoot<T extends { file: string; line: number }>(ref: T, root: string | undefined): T & { root?: string } {
  return root === undefined ? ref : { ...ref, root };
}

/** The place without its repository (what the plan view takes), and the repository. */
export function splitRef(ref: RepositoryRef): { place: { file: string; line: number }; root?: string } {
  const { root, ...place } = ref;
  return root === undefined ? { place } : { place, root };
}

/** One entry of the "which repository?" prompt. */
export interface RepositoryChoice {
  label: string;
  description: string;
  detail: string;
  root: string;
}

/** The prompt's entries: each repository by folder name with its tier, the active editor's first. */
export function repositoryChoices(repositories: readonly RepositoryTier[], activeRoot: string | undefined): RepositoryChoice[] {
  return activeFirst(repositories, activeRoot).map((r) => ({
    label: r.name,
    description: `${tierOrNote(r)}${r.root === activeRoot ? ' · active editor' : ''}`,
    detail: r.root,
    root: r.root,
  }));
}
