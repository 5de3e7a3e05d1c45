/**
 * "Replay from Prometheus" in the editor: where and when to fetch, and the bearer token, kept in VS
 * Code's secret storage (never in the policy, which is committed). Nothing here sends a request: the
 * panel fetches only after the user picked a range and, in an untrusted workspace, confirmed the URL.
 */
import * as vscode from 'vscode';
import { planEndMs } from '../core/prometheus/range';
import { settings } from './settings';

export const TOKEN_KEY = 'rolloutLens.prometheus.token';

export async function setPrometheusToken(secrets: vscode.SecretStorage): Promise<void> {
  const token = await vscode.window.showInputBox({
    title: 'Rollout Lens: Prometheus bearer token',
    prompt: "Kept in VS Code's secret storage and sent as Authorization: Bearer … to the Prometheus server. Leave empty to remove it.",
    password: true,
    ignoreFocusOut: true,
  });
  if (token === undefined) return;
  if (token.trim() === '') {
    await secrets.delete(TOKEN_KEY);
    void vscode.window.showInformationMessage('Prometheus token removed.');
  } else {
    await secrets.store(TOKEN_KEY, token.trim());
    void vscode.window.showInformationMessage('Prometheus token stored.');
  }
}

/**
 * How a replay asks the user: the range, the URL, the confirmation, the progress with its cancel
 * button and where to keep the fetched trace. The window's dialogs by default; the integration
 * suites answer in place of a person through what activate() returns.
 */
export interface ReplayPrompts {
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  /** A modal question: true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  /** Runs `task` under a cancellable progress notification; its signal aborts when the user cancels. */
  progress<R>(title: string, task: (signal: AbortSignal) => Promise<R>): Thenable<R>;
  /** Offers to keep the fetched trace: the file to write it to, or undefined. */
  saveTarget(): Thenable<vscode.Uri | undefined>;
}

export const WINDOW_PROMPTS: ReplayPrompts = {
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  input: (options) => vscode.window.showInputBox(options),
  confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  progress: (title, task) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, cancelled) => {
      const cancel = new AbortController();
      cancelled.onCancellationRequested(() => cancel.abort(new Error('cancelled by the user')));
      return task(cancel.signal);
    }),
  saveTarget: async () => {
    if ((await vscode.window.showInformationMessage('Fetched from Prometheus. Keep the trace as a file that replays offline?', 'Save Trace…')) !== 'Save Trace…') return undefined;
    return vscode.window.showSaveDialog({ title: 'Save the fetched trace', filters: { 'Prometheus query_range JSON': ['json'] } });
  },
};

export interface ReplayChoice {
  url: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
}

const MINUTE = 60_000;

/**
 * Asks for the range (presets, or a custom start) and the URL (the `rolloutLens.prometheus.url`
 * setting, else the policy's `prometheus.address`, else typed in). Undefined when dismissed.
 * `parseStart` reads a typed start in the plan's time zone.
 */
export async function chooseReplay(opts: {
  policyAddress?: string;
  planMinutes: number;
  trusted: boolean;
  parseStart: (text: string) => number;
  now?: number;
}, prompts: ReplayPrompts = WINDOW_PROMPTS): Promise<ReplayChoice | undefined> {
  const now = Math.floor((opts.now ?? Date.now()) / MINUTE) * MINUTE;
  const span = Math.max(1, opts.planMinutes) * MINUTE;
  const hours = Math.round(span / 3_600_000);
  const presets = [
    { label: `The plan's ${hours} h, ending now`, from: now - span },
    { label: 'Starting 24 hours ago', from: now - 24 * 60 * MINUTE },
    { label: 'Starting 7 days ago', from: now - 7 * 24 * 60 * MINUTE },
    { label: 'Custom start…', from: NaN },
  ];
  const picked = await prompts.pick(presets, { title: 'Replay from Prometheus: minute 0 of the plan', placeHolder: 'When the rollout would have started' });
  if (!picked) return undefined;
  let fromMs = picked.from;
  if (Number.isNaN(fromMs)) {
    const text = await prompts.input({
      title: 'Replay from Prometheus: start',
      prompt: "ISO-8601, e.g. 2026-03-10T10:00 (in the plan's time zone) or 2026-03-10T10:00:00Z",
      ignoreFocusOut: true,
      validateInput: (t) => {
        try {
          return opts.parseStart(t) > now ? 'expected a time in the past' : undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (text === undefined) return undefined;
    fromMs = opts.parseStart(text);
  }
  const url = await chooseUrl(opts.policyAddress, opts.trusted, prompts);
  if (!url) return undefined;
  return { url, fromMs, toMs: Math.min(planEndMs(fromMs, opts.planMinutes, MINUTE), now), stepMs: MINUTE };
}

async function chooseUrl(policyAddress: string | undefined, trusted: boolean, prompts: ReplayPrompts): Promise<string | undefined> {
  const setting = settings().prometheusUrl;
  let url = setting ?? policyAddress;
  if (!url) {
    url = (await prompts.input({ title: 'Replay from Prometheus: server URL', prompt: 'e.g. http://localhost:9090 (set rolloutLens.prometheus.url to skip this)', ignoreFocusOut: true }))?.trim();
    return url || undefined;
  }
  // A repository's policy must not make the editor send requests on its own.
  if (!trusted) {
    const from = setting ? 'your setting rolloutLens.prometheus.url' : "this workspace's .rollout-lens.json";
    if (!(await prompts.confirm(`Send the plan's Prometheus queries to ${url}?`, `The URL comes from ${from}, and this workspace is not trusted.`, 'Send'))) return undefined;
  }
  return url;
}
