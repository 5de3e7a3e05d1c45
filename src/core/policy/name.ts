/** The policy's file name at the repository root. No imports: the extension's light bundle uses it too. */
export const POLICY_FILE = '.rollout-lens.json';
