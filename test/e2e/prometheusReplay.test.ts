/**
 * "Replay from Prometheus" as a person uses it, in Chromium against code-server: a real Prometheus
 * (Debian's package, backfilled by promtool) holds an error-rate spike in the canary; the workspace
 * names that server in `rolloutLens.prometheus.url` and its policy holds the gates' PromQL. The user
 * opens the plan, clicks the button on the Simulate tab, picks a custom start in the workbench's
 * quick input from the keyboard, and reads the verdict. The checked screen is saved under
 * test-output/screenshots/; a failed step saves the screen it failed on.
 */
import * as assert from 'node:assert/strict';
import { makeRiskyRepo } from '../fixtures/risky-repo';
import type { FixtureRepo } from '../fixtures/repo';
import { screenshot } from '../integration/harness/browser';
import { REPO_ROOT } from '../integration/harness/install';
import { openMetrics, queries, T0 } from '../unit/prometheus/data';
import { startPrometheus, type PromServer } from '../unit/prometheus/server';
import { canvasPainted, clickWhenReady, closeAfterSuite, openSimulateTab, openWorkbench, runCommand, screenshotOnFailure, settle, type Session, waitFor, waitStill, waitUntil, webview } from './workbench';

/** Minute 0 of the replay, typed as a user types it: the start of the backfilled recording. */
const START = new Date(T0).toISOString().replace('.000Z', 'Z');

describe('Replay from Prometheus in the browser workbench', function () {
  // Each step builds on the screen the previous one left.
  this.bail(true);
  let fixture: FixtureRepo | undefined;
  let prom: PromServer | undefined;
  let session: Session | undefined;

  before(async function () {
    // promtool backfills 72 h of recordings and the server opens them: slow on a busy machine.
    this.timeout(300_000);
    const repo = makeRiskyRepo('rollout-lens-prom-replay-');
    fixture = repo;
    prom = await startPrometheus(openMetrics());
    // The policy's gates read the spiking canary's error rate; the workspace setting names the server.
    repo.write({
      '.rollout-lens.json': JSON.stringify({ prometheus: { queries: queries({ error_rate: 'rl_error_rate{scenario="spike"}' }), baseline: { error_rate: 'rl_error_rate{scenario="stable"}' } } }, null, 2) + '\n',
      '.vscode/settings.json': JSON.stringify({ 'rolloutLens.prometheus.url': prom.url }, null, 2) + '\n',
    });
    repo.git('add', '.rollout-lens.json', '.vscode/settings.json');
    repo.git('commit', '-q', '--no-verify', '-m', 'monitoring');
    session = await openWorkbench(repo.dir, { extensionDevelopmentPath: REPO_ROOT, userSettings: { 'workbench.colorTheme': 'Default Light Modern' } });
  });
  afterEach(screenshotOnFailure(() => session?.page, 'prometheus'));
  after(async function () {
    this.timeout(60_000);
    await closeAfterSuite(() => session, async () => {
      await prom?.stop();
      fixture?.cleanup();
    }).call(this);
  });

  it('opens the plan on its Simulate tab', async () => {
    const view = await openSimulateTab(session!.page, 'HIGH');
    await waitFor(view.getByRole('button', { name: /Replay from Prometheus/ }), 'the "Replay from Prometheus" button');
  });

  it('replays from a custom start picked from the keyboard and rolls back at the canary on the error rate', async function () {
    this.timeout(240_000);
    const page = session!.page;
    const view = webview(page);
    await clickWhenReady(page, view.getByRole('button', { name: /Replay from Prometheus/ }), 'the "Replay from Prometheus" button', { escape: false });

    // The range: the workbench's quick pick, answered from the keyboard.
    const quickInput = page.locator('.quick-input-widget');
    await waitFor(quickInput.getByText('Replay from Prometheus: minute 0 of the plan'), 'the quick pick "Replay from Prometheus: minute 0 of the plan"');
    for (const preset of [/ending now/, /24 hours ago/, /7 days ago/, /Custom start/]) {
      await waitFor(quickInput.locator('.quick-input-list .monaco-list-row', { hasText: preset }), `the range preset ${preset}`);
    }
    const input = quickInput.locator('input');
    // Keys typed before the quick pick has the focus would land in the webview.
    const focusedEmpty = async () => (await input.inputValue()) === '' && (await input.evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement));
    await waitUntil('the quick pick input to be empty and focused', focusedEmpty);
    await page.keyboard.type('Custom');
    const custom = quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'Custom start' });
    // Enter picks the focused row: wait until the filter has left the custom start alone and focused.
    await waitUntil('the quick pick to list only "Custom start…", focused', async () => (await quickInput.locator('.quick-input-list .monaco-list-row').count()) === 1 && (await custom.getAttribute('class'))?.includes('focused') === true);
    await page.keyboard.press('Enter');

    // The start: an input box in the same widget, titled anew.
    await waitFor(quickInput.getByText('Replay from Prometheus: start'), 'the input box "Replay from Prometheus: start"');
    await waitUntil('the start input to be empty and focused', focusedEmpty);
    await page.keyboard.type(START);
    await waitUntil(`the start input to read ${START}`, async () => (await input.inputValue()) === START);
    await page.keyboard.press('Enter');
    await waitFor(quickInput, 'the quick input to close after the start was entered', { state: 'hidden' });

    // No URL prompt: the workspace setting names the server. The fetch ends in the verdict, with no Run click.
    const verdict = view.locator('#verdict', { hasText: /^Rolled back/ });
    await waitFor(verdict, 'a "Rolled back" verdict from the replay', { timeout: 90_000 });
    const text = ((await verdict.textContent()) ?? '').trim();
    assert.match(text, /^Rolled back at Canary 5 %, 1 h 30 min in: error rate 8 % > 0\.5 % critical/);
    // The verdict is the replay's: it names the server it was judged on, and the trace picker the fetched range.
    assert.match((await view.locator('#verdict-source').textContent()) ?? '', new RegExp(`^${prom!.url.replace(/[.]/g, '\\.')} · blast radius`));
    assert.match((await view.locator('#simulate').textContent()) ?? '', /Prometheus 2026-03-09T00:00Z/);
    const stages = view.locator('table[aria-label="Stage decisions"]');
    await waitFor(stages, 'the stage table');
    const canaryRow = stages.locator('tr', { hasText: 'Canary' });
    assert.match((await canaryRow.textContent()) ?? '', /rolled back/i);
    for (const later of ['Partial', 'Full rollout']) assert.match((await stages.locator('tr', { hasText: later }).textContent()) ?? '', /not reached/i, `${later} is not "not reached"`);

    // What a person reads: the verdict and the error-rate chart, painted.
    const errorChart = view.locator('figure.chart', { hasText: /Error rate/ }).first();
    await waitFor(errorChart, 'the error-rate chart');
    await waitUntil('the error-rate chart to be painted', () => canvasPainted(errorChart.locator('canvas')));
    await verdict.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await waitStill(verdict, 'the verdict');
    await settle(page);
    await screenshot(page, 'prometheus-01-replay-rolled-back');

    // The canary against its baseline, beside the thresholds: judged up to the rollback at minute 90,
    // 30 healthy readings and one of 8 % are no evidence of a worse canary.
    const baseline = view.locator('#baseline');
    await waitFor(baseline, 'the "Canary against baseline" card');
    assert.equal(((await view.locator('#baseline-verdict').textContent()) ?? '').trim(), 'Canary against baseline: pass in every step judged (error_rate)');
    const rows = baseline.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().textContent()) ?? '', /^error_rate3 · Canary 5 %pass/);
    await baseline.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await waitStill(baseline, 'the baseline card');
    await settle(page);
    await screenshot(page, 'prometheus-02-canary-against-baseline');
  });

  it('offers to keep the fetched trace as a file', async () => {
    const page = session!.page;
    // The offer may have left the screen by now; the notification center keeps it.
    await runCommand(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center');
    const offer = center.locator('.notification-list-item', { hasText: 'Fetched from Prometheus. Keep the trace as a file that replays offline?' });
    await waitFor(offer, 'the offer to keep the fetched trace in the notification center');
    await waitFor(offer.getByRole('button', { name: 'Save Trace…' }), 'its "Save Trace…" button');
  });
});
