/**
 * The host side of the plan/simulate webview. Every message from the view is parsed with the
 * protocol's zod schema; an invalid one is logged and answered with an error. The host posts
 * nothing before the view says `ready`. State survives reloads through the view's setState and
 * the serializer, not retainContextWhenHidden.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInputError } from '../../core/errors';
import { machineTimeZone, parseIsoInZone } from '../../core/plan/zone';
import { buildTimeline } from '../../core/sim/timeline';
import { POLICY_FILE, readRepositoryPolicy, writeRepositoryPolicy } from '../../core/policy/file';
import {
  HostToWebviewSchema,
  parseWebviewMessage,
  PersistedViewStateSchema,
  requestIdOf,
  type FindingRef,
  type HostToWebviewInput,
  type SimulationRequest,
  type WebviewToHost,
  type WebviewToHostInput,
  type SimulationResult,
  type WhatIf,
  type PlanView,
} from '../../protocol/messages';
import * as pipeline from '../../core/pipeline';
import type { LoadedTrace } from '../../core/pipeline';
import type { PlanSession } from '../session';
import { chooseReplay, TOKEN_KEY, type ReplayPrompts } from '../prometheus';
import { describeForEditor } from '../fields';
import { changedKeys, mergeWhatIfIntoPolicyText } from '../whatIf';
import { randomNonce, shellHtml } from './html';
import { resolveFileInRepo } from './repoFile';
import { VIEW_TYPE } from '../ids';
import { openDiffAt, removalAt } from '../removed';


export class PlanPanel {
  private static current: PlanPanel | undefined;
  private ready = false;
  private queue: HostToWebviewInput[] = [];
  private readonly traces = new Map<string, LoadedTrace>();
  private traceCount = 0;
  private readonly disposables: vscode.Disposable[] = [];

  static async show(context: vscode.ExtensionContext, session: PlanSession, focus?: FindingRef, tab?: 'plan' | 'simulate', simulation?: SimulationResult): Promise<PlanPanel> {
    let p = PlanPanel.current;
    // Shown again where the user put it: a reopened plan never splits the editor once more.
    if (p) p.panel.reveal(p.panel.viewColumn ?? vscode.ViewColumn.Beside);
    else {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Rollout Plan', vscode.ViewColumn.Beside, PlanPanel.options(context));
      p = new PlanPanel(panel, context, session);
    }
    // A pinned tab: opening a file from the Explorer does not replace the plan. The reveal above
    // made the panel the active editor, and the host runs these requests in order.
    await vscode.commands.executeCommand('workbench.action.keepEditor');
    if (focus) p.post({ type: 'focus', finding: focus });
    if (simulation) p.post({ type: 'showSimulation', result: simulation });
    else if (tab) p.post({ type: 'showTab', tab });
    return p;
  }

  /** Brings back a panel VS Code restored after a reload; the view restores its own state. */
  static revive(panel: vscode.WebviewPanel, state: unknown, context: vscode.ExtensionContext, session: PlanSession): void {
    panel.webview.options = PlanPanel.options(context);
    const parsed = PersistedViewStateSchema.safeParse(state ?? {});
    if (parsed.success) {
      if (parsed.data.chosenTier && session.needsTier()) session.setTier(parsed.data.chosenTier);
      session.setWhatIf(parsed.data.whatIf);
    }
    PlanPanel.current?.panel.dispose();
    new PlanPanel(panel, context, session);
  }

  static get open(): PlanPanel | undefined {
    return PlanPanel.current;
  }

  private static options(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    };
  }

  private readonly secrets: vscode.SecretStorage;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly session: PlanSession,
  ) {
    PlanPanel.current = this;
    this.secrets = context.secrets;
    const webview = panel.webview;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    webview.html = shellHtml({
      cspSource: webview.cspSource,
      nonce: randomNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'webview.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      // A new tier or new what-if values, from the view or a command: the plan it shows follows.
      session.onDidChange((what) => what !== 'simulation' && void this.refresh()),
    );
  }

  /** Sends the plan again: after an analysis, a policy edit or a what-if change. */
  async refresh(): Promise<void> {
    if (!this.ready) return;
    try {
      const { view } = await this.session.build();
      this.showPlan(view);
    } catch (e) {
      this.post({ type: 'error', message: describeForEditor(e) });
    }
  }

  /** The plan in the view, and in the tab's title the repository it is for when the workspace holds several. */
  private showPlan(view: PlanView): void {
    this.panel.title = view.repository ? `Rollout Plan · ${view.repository}` : 'Rollout Plan';
    this.post({ type: 'plan', view });
  }

  /** Answers a message as if the view had sent it, resolving with the host's reply to its id (the integration suites drive the tabs this way). */
  request(message: WebviewToHostInput & { id: number }): Promise<HostToWebviewInput> {
    return new Promise((resolve) => {
      const tap = (reply: HostToWebviewInput) => {
        if (!('id' in reply) || reply.id !== message.id) return;
        this.taps.delete(tap);
        resolve(reply);
      };
      this.taps.add(tap);
      void this.receive(message);
    });
  }

  private readonly taps = new Set<(reply: HostToWebviewInput) => void>();

  private post(message: HostToWebviewInput): void {
    this.taps.forEach((tap) => tap(message));
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    const checked = HostToWebviewSchema.safeParse(message);
    if (!checked.success) {
      this.session.log.error(`not sent to the view (${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message})`);
      return;
    }
    void this.panel.webview.postMessage(checked.data);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.session.log.warn(`view sent an invalid message: ${parsed.error}`);
      const id = requestIdOf(raw);
      this.post({ type: 'error', ...(id !== undefined ? { id } : {}), message: parsed.error });
      return;
    }
    try {
      await this.handle(parsed.value);
    } catch (e) {
      const id = 'id' in parsed.value ? parsed.value.id : undefined;
      if (!isInputError(e)) this.session.log.error(`view request ${parsed.value.type} failed: ${(e as Error)?.stack ?? String(e)}`);
      this.post({ type: 'error', ...(id !== undefined ? { id } : {}), message: describeForEditor(e) });
    }
  }

  private async handle(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready': {
        this.ready = false;
        this.session.defaultTier();
        const { view } = await this.session.build();
        this.ready = true;
        const waiting = this.queue;
        this.queue = [];
        this.showPlan(view);
        waiting.forEach((q) => this.post(q));
        return;
      }
      case 'openFile':
        return this.openFile(m.file, m.line);
      case 'copyMarkdown': {
        const { view } = await this.session.build();
        await vscode.env.clipboard.writeText(view.markdown);
        void vscode.window.showInformationMessage('Rollout plan copied as Markdown.');
        return;
      }
      case 'setChecklist':
        return this.session.setChecklist(m.item, m.done);
      case 'chooseTier':
        await this.session.pickTier();
        return;
      case 'openPolicy':
        return this.openPolicy();
      case 'whatIf':
        this.session.setWhatIf(m.whatIf);
        return;
      case 'simulate':
        return this.simulate(m.id, m.request);
      case 'pickTrace':
        return this.pickTrace(m.id);
      case 'replayPrometheus':
        return this.replayPrometheus(m.id);
      case 'savePolicy':
        return this.savePolicy(m.id, m.whatIf);
    }
  }

  private async openFile(file: string, line: number): Promise<void> {
    // Removed lines are seen in the diff, at the place they were taken from.
    if (removalAt(this.session.analysis, file, line)) return openDiffAt(this.session.analysis, file, line);
    const root = this.session.root();
    if (!root) throw new Error('no workspace folder to open the file in');
    const target = await resolveFileInRepo(root, file);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
    const pos = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
  }

  private async openPolicy(): Promise<void> {
    const root = await this.session.policyRoot();
    if (!root) throw new Error('no workspace folder holds a policy file');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, POLICY_FILE)));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
  }

  private async simulate(id: number, request: SimulationRequest): Promise<void> {
    if (request.whatIf !== undefined) this.session.setWhatIf(request.whatIf);
    const source =
      request.source.kind === 'scenario'
        ? request.source
        : { kind: 'trace' as const, trace: this.traceFor(request.source.traceId), seed: request.source.seed };
    const started = performance.now();
    const out = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Rollout Lens: simulating' }, async () =>
      this.session.simulate(source, { fault: request.fault, runs: request.runs }),
    );
    this.session.log.info(`simulation (${request.source.kind === 'scenario' ? request.source.scenario : 'trace'}, ${request.runs} run${request.runs === 1 ? '' : 's'}) in ${Math.round(performance.now() - started)} ms: ${out.result.verdict}`);
    this.session.record(out.result);
    this.post({ type: 'simulation', id, result: out.result, ...(out.monteCarlo ? { monteCarlo: out.monteCarlo } : {}) });
  }

  /** How much of the plan in effect the trace covers. */
  private async coverage(trace: LoadedTrace): Promise<{ traceMinutes: number; planMinutes: number }> {
    const { plan } = await this.session.build();
    return { traceMinutes: trace.spanMinutes, planMinutes: buildTimeline(plan).totalMinutes };
  }

  private traceFor(traceId: string): LoadedTrace {
    const t = this.traces.get(traceId);
    if (!t) throw new Error('that recorded trace is no longer loaded: load it again with "Load trace…"');
    return t;
  }

  private async pickTrace(id: number): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      title: 'Load a recorded metric trace',
      canSelectMany: false,
      openLabel: 'Load trace',
      defaultUri: this.session.root() ? vscode.Uri.file(this.session.root()!) : undefined,
      filters: { 'Metric traces': ['csv', 'json', 'txt'], 'All files': ['*'] },
    });
    if (!picked?.[0]) {
      this.post({ type: 'cancelled', id });
      return;
    }
    const file = picked[0].fsPath;
    const { plan } = await this.session.build();
    const trace = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Rollout Lens: reading trace' }, () => pipeline.loadTraceFile(file, plan));
    const traceId = `t${++this.traceCount}`;
    this.traces.set(traceId, trace);
    this.post({ type: 'traceLoaded', id, traceId, name: trace.name, metrics: trace.metrics, coverage: await this.coverage(trace) });
  }

  /** Fetches the plan's gated metrics from Prometheus, with a progress notification the user can cancel, and offers to save them. */
  private async replayPrometheus(id: number): Promise<void> {
    const built = await this.session.build();
    const { plan } = built;
    const policy = await this.session.replayPolicy(built.policy);
    const prompts = this.session.prompts;
    const zone = plan.schedule.timezone || machineTimeZone();
    const choice = await chooseReplay({
      policyAddress: policy.policy.prometheus?.address,
      planMinutes: buildTimeline(plan).totalMinutes,
      trusted: vscode.workspace.isTrusted,
      parseStart: (text) => parseIsoInZone(text, zone, 'start').getTime(),
    }, prompts);
    if (!choice) {
      this.post({ type: 'cancelled', id });
      return;
    }
    const token = await this.secrets.get(TOKEN_KEY);
    let cancelled: AbortSignal | undefined;
    let fetched;
    try {
      fetched = await prompts.progress(`Rollout Lens: fetching from ${choice.url}`, (signal) => {
        cancelled = signal;
        return pipeline.fetchPrometheus(plan, policy, { ...choice, token, signal });
      });
    } catch (e) {
      if (cancelled?.aborted) {
        this.post({ type: 'cancelled', id });
        return;
      }
      throw e;
    }
    const traceId = `t${++this.traceCount}`;
    this.traces.set(traceId, fetched.trace);
    this.session.log.info(`fetched ${fetched.trace.metrics.join(', ')} from ${choice.url}`);
    this.post({ type: 'traceLoaded', id, traceId, name: fetched.trace.name, metrics: fetched.trace.metrics, coverage: { traceMinutes: fetched.trace.spanMinutes, planMinutes: buildTimeline(plan).totalMinutes } });
    void this.offerToSave(JSON.stringify(fetched.saved) + '\n', prompts);
  }

  private async offerToSave(saved: string, prompts: ReplayPrompts): Promise<void> {
    const uri = await prompts.saveTarget();
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(saved, 'utf8'));
    this.session.log.info(`saved the fetched trace to ${uri.fsPath}`);
  }

  /**
   * The only write the extension makes on its own (a fetched trace goes where the user's save dialog says), and only after the user confirms it. It reads and writes
   * through core's policy file functions, as the CLI reads: a regular file in the repository root only.
   */
  private async savePolicy(id: number, whatIf: WhatIf): Promise<void> {
    const root = await this.session.policyRoot();
    if (!root || !vscode.workspace.isTrusted) throw new Error('saving to the policy needs a trusted workspace folder');
    const { plan, view } = await this.session.build();
    const current = await readRepositoryPolicy(root);
    const file = current?.file ?? path.join(root, POLICY_FILE);
    const next = mergeWhatIfIntoPolicyText(current?.text, file, plan.tier, whatIf, view.saved);
    const keys = changedKeys(plan.tier, whatIf, view.saved);
    if (!keys.length) throw new Error('nothing to save: the what-if values are the saved policy\'s');
    const answer = await vscode.window.showWarningMessage(
      `Write ${keys.length} key${keys.length === 1 ? '' : 's'} to ${POLICY_FILE}?`,
      { modal: true, detail: `${keys.join('\n')}\n\n${current === undefined ? 'The file will be created.' : 'Other fields of the file are kept.'}` },
      'Save',
    );
    if (answer !== 'Save') {
      this.post({ type: 'cancelled', id });
      return;
    }
    const written = await writeRepositoryPolicy(root, next);
    this.session.log.info(`saved what-if to ${written}`);
    this.post({ type: 'saved', id, file: POLICY_FILE });
    if ((await vscode.window.showInformationMessage(`Saved to ${POLICY_FILE}`, 'Open')) === 'Open') await this.openPolicy();
  }

  dispose(): void {
    if (PlanPanel.current === this) PlanPanel.current = undefined;
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}

