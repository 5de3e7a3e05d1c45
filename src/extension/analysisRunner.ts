/**
 * Keeps the current assessment of the workspace's repository: runs the analysis through the
 * coalescer (one git run per burst of events), never in an untrusted workspace, and tells
 * listeners what changed. Free of `vscode`, so trust and coalescing are tested under plain node.
 */
import { isInputError } from '../core/errors';
import { describeForEditor } from './fields';
import type { Analysis as AnalyzeResult } from '../core/pipeline';
import { Coalescer, type Timers } from './refresh/coalescer';

export type AnalysisState =
  | { kind: 'idle' }
  | { kind: 'restricted' }
  | { kind: 'no-repository'; message: string }
  | { kind: 'ready'; result: AnalyzeResult; at: number }
  | { kind: 'error'; message: string };

export interface RunnerDeps {
  isTrusted(): boolean;
  analyze(signal: AbortSignal): Promise<AnalyzeResult>;
  onChange(state: AnalysisState): void;
  log(message: string): void;
  delayMs?: number;
  timers?: Timers;
}

/** git's own words for "this folder is not a repository": not an error worth a red status bar. */
const NOT_A_REPO = /not a git repository|no git repository|not inside a git/i;

export class AnalysisRunner {
  private current: AnalysisState = { kind: 'idle' };
  private readonly coalescer: Coalescer<AnalyzeResult | undefined>;

  constructor(private readonly deps: RunnerDeps) {
    this.coalescer = new Coalescer<AnalyzeResult | undefined>(
      async (signal, reasons) => {
        if (!deps.isTrusted()) return undefined;
        deps.log(`analysis: ${[...new Set(reasons)].join(', ')}`);
        return deps.analyze(signal);
      },
      (result) => this.set(result ? { kind: 'ready', result, at: Date.now() } : { kind: 'restricted' }),
      (e) => {
        const message = describeForEditor(e);
        if (NOT_A_REPO.test(message)) this.set({ kind: 'no-repository', message });
        else this.set({ kind: 'error', message: isInputError(e) ? message : `analysis failed: ${message}` });
      },
      deps.delayMs ?? 300,
      deps.timers,
    );
    if (!deps.isTrusted()) this.current = { kind: 'restricted' };
  }

  get state(): AnalysisState {
    return this.current;
  }

  /** An event that may have changed the answer; debounced with the others of its burst. */
  schedule(reason: string): void {
    if (!this.deps.isTrusted()) {
      this.set({ kind: 'restricted' });
      return;
    }
    this.coalescer.schedule(reason);
  }

  /** Runs at once (a command, or trust just granted) and resolves when the state is updated. */
  async refreshNow(reason: string): Promise<AnalysisState> {
    if (!this.deps.isTrusted()) {
      this.set({ kind: 'restricted' });
      return this.current;
    }
    await this.coalescer.runNow(reason);
    return this.current;
  }

  private set(state: AnalysisState): void {
    this.current = state;
    this.deps.onChange(state);
  }

  dispose(): void {
    this.coalescer.dispose();
  }
}
