/**
 * The policy the plan uses when no analysis carries one (an analysis reads it with the change):
 * read once per folder, kept until the policy file changes. Panel actions (a what-if value, copy,
 * simulate, save) plan from it without reading the file again.
 */
export class PolicyCache<P> {
  private held: { root: string | undefined; value: Promise<P> } | undefined;

  constructor(private readonly read: (root: string | undefined) => Promise<P>) {}

  /** The policy of `root`, read on first use, after `invalidate()`, or for another root. A failed read is not kept. */
  get(root: string | undefined): Promise<P> {
    if (this.held && this.held.root === root) return this.held.value;
    const value = this.read(root);
    const held = { root, value };
    this.held = held;
    value.catch(() => {
      if (this.held === held) this.held = undefined;
    });
    return value;
  }

  /** The policy file was created, changed or deleted. */
  invalidate(): void {
    this.held = undefined;
  }
}
