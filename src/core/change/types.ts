/** What the change reader produces: the one place git output turns into data. */

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'untracked';

/** An inclusive range of line numbers (1-based) in the new version of a file. */
export interface LineRange {
  start: number;
  end: number;
}

export interface ChangedLine {
  /** 1-based line number: in the new version for added lines, in the old version for removed ones. */
  line: number;
  text: string;
  /**
   * Removed lines only: the line of the new version after which the removed line sat (0: before
   * the first line), read from the hunk header. Where the removal shows in the working tree.
   */
  after?: number;
}

export interface ChangedFile {
  /**
   * Repository-relative path, forward slashes, in the new version (the old one for deletions).
   * A byte of the name that is not part of valid UTF-8 is shown as `\xHH` (see ./bytes).
   */
  path: string;
  /** The name's bytes as git gave them, when known: what opens the file. */
  pathBytes?: Buffer;
  /** For renames: the path before. */
  oldPath?: string;
  status: FileStatus;
  /** Binary files are listed but never read whole. */
  binary: boolean;
  /** A submodule appears as one entry; its contents are not read. */
  submodule: boolean;
  linesAdded: number;
  linesDeleted: number;
  /** Ranges of added and changed lines in the new version: where the code lenses sit. */
  ranges: LineRange[];
  addedLines: ChangedLine[];
  removedLines: ChangedLine[];
  /** Full text of the new version (undefined for binary, deleted or submodule entries). CRLF normalised to LF. */
  content?: string;
  /** Set when the file was read only in part (it is larger than what is read per file): says what was judged. */
  note?: string;
}

export interface ChangeSet {
  /** Absolute path of the repository's top level. */
  root: string;
  /** The ref compared against: 'HEAD', the merge-base commit when `--base` was given, or null for a repository with no commits. */
  base: string | null;
  /** The ref the user named with --base, if any. */
  baseRef?: string;
  headCommit: string | null;
  /** Branch name, or null when HEAD is detached or unborn. */
  branch: string | null;
  files: ChangedFile[];
}

/**
 * Looks up which files of the repository (working tree: tracked and untracked, .gitignore respected,
 * a bounded part of each file) mention each term as a whole word. Lets the risk rules ask "is this new file or function referenced
 * anywhere?" without running git themselves.
 */
export interface RepoSearch {
  /** For each term: the repository-relative paths whose content contains it as a word. */
  referencesTo(terms: string[]): Promise<Map<string, string[]>>;
  /** Files the lookups so far read only in part, being larger than what is read per file. */
  partlySearched?(): PartlySearched[];
  /**
   * The text of files of the working tree, by path (CRLF as LF): regular files only, at most what
   * the search reads of one file, binary and unreadable ones left out. What a rule reads of the
   * files a change does not touch, which are the same at the base.
   */
  read?(paths: readonly string[]): Promise<Map<string, string>>;
}

/** A file searched for references in its first `searchedBytes` bytes only. */
export interface PartlySearched {
  path: string;
  size: number;
  searchedBytes: number;
}
