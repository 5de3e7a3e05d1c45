/**
 * The workspaces the integration suites run in, shared by both runners (code-server here,
 * @vscode/test-electron where VS Code can be downloaded): the feature suites in a trusted folder
 * (trust disabled, as @vscode/test-electron runs them by default), the restricted-mode suite with
 * workspace trust ON, where a newly opened folder is untrusted until the user trusts it, and the
 * multi-root suite in a `.code-workspace` of two repositories and a folder that is none.
 */
import { makeMultiRootWorkspace } from '../fixtures/multi-root';
import { makeRiskyRepo } from '../fixtures/risky-repo';

export interface Launch {
  name: 'trusted' | 'untrusted' | 'multiroot';
  /** Folders under out/integration/suite whose tests this launch runs (ROLLOUT_LENS_SUITES). */
  suites: string;
  workspaceTrust: boolean;
  /** What the window opens: the risky repository's folder, or a `.code-workspace` file of several folders. */
  workspace: () => { open: string; fixture: string; cleanup(): void };
}

const riskyFolder = () => {
  const repo = makeRiskyRepo();
  return { open: repo.dir, fixture: repo.dir, cleanup: repo.cleanup };
};

export const LAUNCHES: readonly Launch[] = [
  { name: 'trusted', suites: 'suite,smoke', workspaceTrust: false, workspace: riskyFolder },
  { name: 'untrusted', suites: 'untrusted', workspaceTrust: true, workspace: riskyFolder },
  {
    name: 'multiroot',
    suites: 'multiroot',
    workspaceTrust: false,
    workspace: () => {
      const w = makeMultiRootWorkspace();
      return { open: w.file, fixture: w.payments.dir, cleanup: w.cleanup };
    },
  },
];

/** ROLLOUT_LENS_INTEGRATION_RUNS=trusted,multiroot (say) runs those launches only. */
export function launches(env: NodeJS.ProcessEnv = process.env): Launch[] {
  const only = env.ROLLOUT_LENS_INTEGRATION_RUNS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!only?.length) return [...LAUNCHES];
  const unknown = only.filter((n) => !LAUNCHES.some((l) => l.name === n));
  if (unknown.length) throw new Error(`ROLLOUT_LENS_INTEGRATION_RUNS: unknown launch ${unknown.join(', ')} (expected ${LAUNCHES.map((l) => l.name).join(', ')})`);
  return LAUNCHES.filter((l) => only.includes(l.name));
}
