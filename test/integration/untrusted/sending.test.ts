/**
 * In an untrusted workspace a repository's policy must not make the editor send requests on its
 * own: "Replay from Prometheus" sends the policy's queries to the policy's server only after the
 * user confirms that URL. A real Prometheus (promtool-backfilled) sits behind a proxy that records
 * every request, so "nothing was sent before the answer" is what the server saw.
 */
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostToWebviewInput } from '../../../src/protocol/messages';
import { openMetrics, queries, T0 } from '../../unit/prometheus/data';
import { startPrometheus, type PromServer } from '../../unit/prometheus/server';
import { scriptedPrompts } from '../harness/replayPrompts';
import { startWatchedProxy, type WatchedProxy } from '../harness/watchedProxy';
import { api, EXTENSION_ID, state, until } from '../host';

const START = new Date(T0).toISOString();
let nextId = 800_000;

async function replay(): Promise<HostToWebviewInput> {
  return (await api()).viewRequest({ type: 'replayPrometheus', id: ++nextId });
}

describe('Replay from Prometheus in an untrusted workspace', function () {
  this.timeout(120_000);
  let prom: PromServer | undefined;
  let proxy: WatchedProxy | undefined;
  const policyFile = path.join(process.env.ROLLOUT_LENS_FIXTURE ?? '', '.rollout-lens.json');

  before(async function () {
    this.timeout(400_000);
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace came up trusted: this run would test nothing');
    prom = await startPrometheus(openMetrics());
    proxy = await startWatchedProxy(prom.url);
    // The repository's policy names the server and the queries: the untrusted content in question.
    writeFileSync(policyFile, JSON.stringify({ prometheus: { address: proxy.url, queries: queries({ error_rate: 'rl_error_rate{scenario="spike"}' }) } }) + '\n');
    if (!(await state()).panelOpen) {
      const generated = vscode.commands.executeCommand('rolloutLens.generatePlan');
      await until('a tier to be picked', async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return (await state()).chosenTier;
      });
      await generated;
      await until('the plan panel', async () => ((await state()).panelOpen ? true : undefined));
    }
  });

  afterEach(async () => (await api()).useReplayPrompts(undefined));

  after(async function () {
    this.timeout(60_000);
    await proxy?.close();
    await prom?.stop();
    rmSync(policyFile, { force: true });
  });

  it('asks before sending anything, and sends nothing when the user declines', async () => {
    let question: { message: string; detail: string; sentBefore: number } | undefined;
    (await api()).useReplayPrompts(scriptedPrompts({ start: START, confirm: (message, detail) => ((question = { message, detail, sentBefore: proxy!.requests.length }), false) }));
    const answer = await replay();
    assert.equal(answer.type, 'cancelled', JSON.stringify(answer));
    assert.ok(question, 'the replay did not ask to confirm the URL');
    assert.equal(question.message, `Send the plan's Prometheus queries to ${proxy!.url}?`);
    assert.match(question.detail, /\.rollout-lens\.json.*not trusted/);
    assert.equal(question.sentBefore, 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(proxy!.requests, [], 'a request reached the server after the user declined');
  });

  it('once the URL is confirmed, fetches with the policy\'s queries and replays the spike to a rollback on the error rate', async () => {
    let sentBefore = -1;
    const prompts = scriptedPrompts({ start: START, confirm: () => ((sentBefore = proxy!.requests.length), true) });
    (await api()).useReplayPrompts(prompts);
    const loaded = await replay();
    assert.equal(loaded.type, 'traceLoaded', JSON.stringify(loaded));
    if (loaded.type !== 'traceLoaded') return;
    assert.equal(sentBefore, 0, 'requests went out before the user confirmed');
    assert.deepEqual(prompts.asked.map((a) => a.split(':')[0]), ['pick', 'input', 'confirm', 'progress', 'save']);
    assert.ok(proxy!.requests.length > 0 && proxy!.requests.every((r) => r.path.startsWith('/api/v1/query_range')), JSON.stringify(proxy!.requests));

    const run = await (await api()).viewRequest({ type: 'simulate', id: ++nextId, request: { source: { kind: 'trace', traceId: loaded.traceId, seed: 1 }, runs: 1 } });
    assert.equal(run.type, 'simulation', JSON.stringify(run));
    if (run.type !== 'simulation') return;
    assert.equal(run.result.outcome, 'rolled_back');
    assert.equal(run.result.rollback?.metric, 'error_rate');
    assert.equal((await state()).gitRuns, 0, 'the replay ran git in an untrusted workspace');
  });
});
