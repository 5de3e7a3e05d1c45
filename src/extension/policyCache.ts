/**
 * The policy the plan uses when no analysis carries one (an analysis reads it with the change):
 * read once per folder, kept until that folder's policy file changes. Panel actions (a what-if
 * value, copy, simulate, save) plan from it without reading the file again; in a workspace of
 * several repositories each keeps its own.
 */
export class PolicyCache<P> {
  private readonly held = new Map<string | undefined, Promise<P>>();

  constructor(private readonly read: (root: string | undefined) => Promise<P>) {}

  /** The policy of `root`, read on first use or after `invalidate(root)`. A failed read is not kept. */
  get(root: string | undefined): Promise<P> {
    const known = this.held.get(root);
    if (known) return known;
    const value = this.read(root);
    this.held.set(root, value);
    value.catch(() => {
      if (this.held.get(root) === value) this.held.delete(root);
    });
    return value;
  }

  /** The policy file of `root` was created, changed or deleted; without a root: every folder's. */
  invalidate(root?: string): void {
    if (root === undefined) this.held.clear();
    else this.held.delete(root);
  }
}
