/**
 * "Replay from Prometheus" on the Simulate tab, inside a real extension host: a real Prometheus
 * (Debian's package, backfilled by promtool) holds an error-rate spike in the canary, and the
 * workspace's policy names the server and the gates' PromQL. The tab's messages go to the panel as
 * the view sends them; the questions a person answers (the start, the save dialog, the cancel
 * button) are answered by the test. Every request passes through a proxy that records it.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostToWebviewInput } from '../../../src/protocol/messages';
import { openMetrics, queries, T0 } from '../../unit/prometheus/data';
import { startPrometheus, type PromServer } from '../../unit/prometheus/server';
import { scriptedPrompts } from '../harness/replayPrompts';
import { startWatchedProxy, type WatchedProxy } from '../harness/watchedProxy';
import { api, EXTENSION_ID, state, until, workspaceFile } from '../host';

const START = new Date(T0).toISOString();
let nextId = 900_000;

async function replay(): Promise<HostToWebviewInput> {
  return (await api()).viewRequest({ type: 'replayPrometheus', id: ++nextId });
}

async function simulateTrace(traceId: string): Promise<HostToWebviewInput> {
  return (await api()).viewRequest({ type: 'simulate', id: ++nextId, request: { source: { kind: 'trace', traceId, seed: 1 }, runs: 1 } });
}

describe('Replay from Prometheus on the Simulate tab', function () {
  this.timeout(120_000);
  let prom: PromServer | undefined;
  let proxy: WatchedProxy | undefined;
  let saveDir: string | undefined;
  const policyFile = () => workspaceFile('.rollout-lens.json');

  before(async function () {
    // promtool backfills 72 h of recordings and the server opens them: slow on a busy machine.
    this.timeout(400_000);
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    prom = await startPrometheus(openMetrics());
    proxy = await startWatchedProxy(prom.url);
    saveDir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-saved-trace-'));
    const before = (await state()).analyzedAt ?? 0;
    const policy = { prometheus: { address: proxy.url, queries: queries({ error_rate: 'rl_error_rate{scenario="spike"}' }) } };
    await vscode.workspace.fs.writeFile(policyFile(), Buffer.from(JSON.stringify(policy, null, 2) + '\n'));
    // The policy file's watcher analyses the change again, with the new policy.
    await until('the analysis with the new policy', async () => {
      const s = await state();
      return s.analysis === 'ready' && (s.analyzedAt ?? 0) > before ? true : undefined;
    }, 60_000);
    await vscode.commands.executeCommand('rolloutLens.generatePlan');
    await until('the plan panel', async () => ((await state()).panelOpen ? true : undefined));
  });

  afterEach(async () => (await api()).useReplayPrompts(undefined));

  after(async function () {
    this.timeout(60_000);
    proxy?.release();
    await proxy?.close();
    await prom?.stop();
    if (saveDir) rmSync(saveDir, { recursive: true, force: true });
    await vscode.workspace.fs.delete(policyFile()).then(undefined, () => undefined);
  });

  it('fetches the plan\'s metrics from the policy\'s server, rolls back at the canary on the error rate, and the saved trace replays offline to the same verdict', async () => {
    const saved = vscode.Uri.file(path.join(saveDir!, 'fetched.json'));
    const prompts = scriptedPrompts({ start: START, saveTo: saved });
    (await api()).useReplayPrompts(prompts);

    const loaded = await replay();
    assert.equal(loaded.type, 'traceLoaded', JSON.stringify(loaded));
    if (loaded.type !== 'traceLoaded') return;
    assert.ok(loaded.metrics.includes('error_rate'), loaded.metrics.join(', '));
    assert.match(loaded.name, /^Prometheus 2026-03-09T00:00Z–/);
    // A trusted workspace asks for the start and nothing about the URL, then fetches with progress.
    assert.deepEqual(prompts.asked.slice(0, 3), ['pick: Replay from Prometheus: minute 0 of the plan', 'input: Replay from Prometheus: start', `progress: Rollout Lens: fetching from ${proxy!.url}`]);
    assert.ok(proxy!.requests.length >= loaded.metrics.length, `${proxy!.requests.length} request(s)`);
    assert.ok(proxy!.requests.every((r) => r.path.startsWith('/api/v1/query_range') && r.answered), JSON.stringify(proxy!.requests));

    const run = await simulateTrace(loaded.traceId);
    assert.equal(run.type, 'simulation', JSON.stringify(run));
    if (run.type !== 'simulation') return;
    assert.equal(run.result.outcome, 'rolled_back');
    assert.match(run.result.verdict, /^Rolled back at Canary 5 %, 1 h 30 min in: error rate 8 % > 0\.5 % critical/);
    // Named after the server it was judged on, as the CLI names it.
    assert.equal(run.result.source, proxy!.url);
    assert.equal((await state()).lastVerdict, run.result.verdict);

    await until('the fetched trace to be saved', async () => (existsSync(saved.fsPath) ? true : undefined));
    const asked = proxy!.requests.length;
    const offline = await (await api()).simulateTrace(saved.fsPath);
    assert.equal(offline.error, undefined);
    assert.equal(offline.verdict, run.result.verdict);
    assert.equal(proxy!.requests.length, asked, 'the saved trace replayed with requests to the server');
  });

  it('cancelling the fetch aborts the request in flight and shows no result', async () => {
    const before = (await state()).lastVerdict;
    const seen = proxy!.requests.length;
    proxy!.hold();
    let cancel: (() => void) | undefined;
    (await api()).useReplayPrompts(scriptedPrompts({ start: START, whileFetching: (c) => (cancel = c) }));
    const reply = replay();
    // The user presses the notification's Cancel while the server has the request.
    const request = await proxy!.nextRequest();
    assert.ok(cancel, 'the fetch ran without a cancellable progress');
    cancel();
    const answer = await reply;
    assert.equal(answer.type, 'cancelled', JSON.stringify(answer));
    await until('the proxy to see the request aborted', async () => (request.aborted ? true : undefined));
    assert.equal(request.answered, false);
    proxy!.release();
    // Nothing was loaded or simulated, and nothing more is asked of the server.
    assert.equal((await state()).lastVerdict, before);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(proxy!.requests.slice(seen).every((r) => !r.answered), JSON.stringify(proxy!.requests.slice(seen)));
  });
});
