/**
 * What `activate()` returns: the extension's state and two simulation entry points, for the
 * integration suites (`vscode.extensions.getExtension(…).exports`). Nothing here is a command, so
 * the palette and other extensions see none of it.
 */
import * as vscode from 'vscode';
import { isInputError } from '../core/errors';
import { loadedCore, loadEngine } from './core';
import { describeForEditor } from './fields';
import { log } from './log';
import type { ReplayPrompts } from './prometheus';
import type { Repositories } from './repositories';
import type { PlanSession } from './session';
import type { HostToWebviewInput, WebviewToHostInput } from '../protocol/messages';

/** One repository of the workspace and its analysis. */
export interface RepositoryState {
  name: string;
  root: string;
  analysis: string;
  analyzedAt?: number;
  tier?: string;
}

export interface ExtensionState {
  /** The analysis the plan is built from: the chosen repository's, else the first's. */
  analysis: string;
  /** When the analysis in effect finished (epoch ms), so a suite can wait for the next one. */
  analyzedAt?: number;
  tier?: string;
  gitRuns: number;
  trusted: boolean;
  status: string;
  /** The status item's screen-reader label and its hover's Markdown. */
  statusLabel: string;
  statusHover: string;
  /** The status item has the warning background. */
  statusWarning: boolean;
  chosenTier?: string;
  panelOpen: boolean;
  lastVerdict?: string;
  lastOutcome?: string;
  /** Every repository of the workspace, in workspace order. */
  repositories: RepositoryState[];
  /** The repository the plan is for, when the workspace holds several. */
  planRepository?: string;
  /** The plan tab's title. */
  panelTitle?: string;
  /** The folder the extension's log is written to. */
  logFolder: string;
}

export interface RolloutLensApi {
  /** How long `activate()` itself took, in milliseconds. */
  activationMs(): number;
  state(): ExtensionState;
  /** Loads a trace file and simulates it as the Simulate tab does: the verdict, or the error line the view would show. */
  simulateTrace(file: string): Promise<{ verdict?: string; error?: string }>;
  /** Simulates a built-in scenario on the current plan, as "Simulate Rollout…" does. */
  simulateScenario(scenario: string, seed?: number): Promise<{ outcome: string; verdict: string }>;
  /** Sends the open plan panel a message as its view would, and resolves with the host's reply to its id. */
  viewRequest(message: WebviewToHostInput & { id: number }): Promise<HostToWebviewInput>;
  /** Answers a Prometheus replay's questions and the plan commands' "which repository?" in place of a person; undefined goes back to the window's dialogs. */
  useReplayPrompts(prompts: ReplayPrompts | undefined): void;
}

export interface ApiDeps {
  repositories: Repositories;
  session: PlanSession;
  logFolder: string;
  activationMs(): number;
  gitRuns(): number;
  statusText(): string;
  statusDescribed(): { label: string; hover: string; warning: boolean };
}

export function testApi(d: ApiDeps): RolloutLensApi {
  const { repositories, session } = d;
  return {
    activationMs: d.activationMs,
    state: () => ({
      analysis: session.analysis.kind,
      analyzedAt: session.analysis.kind === 'ready' ? session.analysis.at : undefined,
      tier: session.analysis.kind === 'ready' ? session.analysis.result.assessment.tier : undefined,
      gitRuns: d.gitRuns(),
      trusted: vscode.workspace.isTrusted,
      status: d.statusText(),
      statusLabel: d.statusDescribed().label,
      statusHover: d.statusDescribed().hover,
      statusWarning: d.statusDescribed().warning,
      chosenTier: session.chosenTier,
      panelOpen: loadedCore()?.PlanPanel.open !== undefined,
      lastVerdict: session.lastSimulation?.verdict,
      lastOutcome: session.lastSimulation?.outcome,
      repositories: repositories.all.map((r) => {
        const s = r.runner.state;
        return { name: r.name, root: r.root, analysis: s.kind, ...(s.kind === 'ready' ? { analyzedAt: s.at, tier: s.result.assessment.tier } : {}) };
      }),
      planRepository: session.several ? session.repository?.name : undefined,
      panelTitle: loadedCore()?.PlanPanel.open?.panel.title,
      logFolder: d.logFolder,
    }),
    async simulateTrace(file) {
      try {
        const { plan } = await session.build();
        const trace = await (await loadEngine()).loadTraceFile(file, plan);
        return { verdict: (await session.simulateOnce({ kind: 'trace', trace, seed: 1 })).verdict };
      } catch (e) {
        if (!isInputError(e)) log().error(String((e as Error)?.stack ?? e));
        return { error: describeForEditor(e) };
      }
    },
    async viewRequest(message) {
      const panel = loadedCore()?.PlanPanel.open;
      if (!panel) throw new Error('the plan panel is not open');
      return panel.request(message);
    },
    useReplayPrompts: (prompts) => session.usePrompts(prompts),
    async simulateScenario(scenario, seed = 1) {
      const { outcome, verdict } = await session.simulateOnce({ kind: 'scenario', scenario, seed });
      return { outcome, verdict };
    },
  };
}
