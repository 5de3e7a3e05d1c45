import type { ChangeSet, RepoSearch } from './types';

export * from './types';

export interface ReadChangeOptions {
  /** Any folder inside the repository. */
  repo: string;
  /** Analyze everything since the merge-base of this ref and HEAD, plus the working tree. */
  base?: string;
  /** Called after each git command with its arguments and duration (for the extension's log). */
  onGit?: (args: string[], ms: number) => void;
}

/** Reads the change in the working tree. The only place in Rollout Lens that runs git. */
export async function readChange(_opts: ReadChangeOptions): Promise<{ change: ChangeSet; search: RepoSearch }> {
  throw new Error('readChange: not built yet');
}
