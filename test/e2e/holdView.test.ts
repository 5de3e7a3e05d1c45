/**
 * A halted simulation on the Simulate tab, in Chromium against code-server: the no-data scenario
 * holds the canary within minutes, and the tab says what the hold waits on, what resuming it would
 * mean, how the rollout would have ended had each hold been resumed, and the chart of the silent
 * metric marks the minute it was held. The checked screen is saved
 * under test-output/screenshots/; a failed step saves the screen it failed on.
 */
import * as assert from 'node:assert/strict';
import { makeRiskyRepo } from '../fixtures/risky-repo';
import type { FixtureRepo } from '../fixtures/repo';
import { screenshot } from '../integration/harness/browser';
import { REPO_ROOT } from '../integration/harness/install';
import { clickWhenReady, openSimulateTab, openWorkbench, screenshotOnFailure, settle, waitFor, waitStill, type Session } from './workbench';

describe('A held simulation in the browser workbench', function () {
  this.bail(true);
  let fixture: FixtureRepo | undefined;
  let session: Session | undefined;

  before(async function () {
    this.timeout(120_000);
    fixture = makeRiskyRepo('rollout-lens-hold-');
    session = await openWorkbench(fixture.dir, { extensionDevelopmentPath: REPO_ROOT, userSettings: { 'workbench.colorTheme': 'Default Light Modern' } });
  });
  afterEach(screenshotOnFailure(() => session?.page, 'hold'));
  after(async function () {
    this.timeout(60_000);
    await session?.close();
    fixture?.cleanup();
  });

  it('shows what the no-data hold waits on, what resuming means, and what would follow', async function () {
    this.timeout(180_000);
    const page = session!.page;
    const view = await openSimulateTab(page, 'HIGH');
    await view.locator('vscode-single-select[aria-label="Scenario or trace"]').evaluate((el) => {
      (el as unknown as { value: string }).value = 'no-data';
      el.dispatchEvent(new Event('change'));
    });
    await view.locator('vscode-textfield[aria-label^="Runs"]').evaluate((el) => {
      (el as unknown as { value: string }).value = '1';
      el.dispatchEvent(new Event('change'));
    });
    await clickWhenReady(page, view.locator('#run'), 'the Run button');
    const verdict = view.locator('#verdict', { hasText: /^Halted/ });
    await waitFor(verdict, 'a "Halted" verdict', { timeout: 60_000 });
    assert.match((await verdict.textContent()) ?? '', /^Halted at Canary 5 %, 1 h 6 min in: no data for error_rate/);

    const hold = view.locator('#hold');
    await waitFor(hold, 'the "What the hold waits on" card');
    assert.match((await view.locator('#hold-waits-on').textContent()) ?? '', /^readings of error_rate: none in Canary 5 % \(minutes 60–540\), decided at minute 66$/);
    assert.match((await view.locator('#hold-resume').textContent()) ?? '', /^resuming keeps 5 % of users on the new version to minute 540 with error_rate unobserved/);
    const facts = (await hold.locator('dl').textContent()) ?? '';
    for (const fact of ['Held on', 'no data', 'Where', '3 · Canary, 5 % of users', 'Decided at', 'minute 66 (1 h 6 min)', 'Metrics', 'error_rate']) assert.ok(facts.includes(fact), `the hold's facts lack "${fact}": ${facts}`);

    const after = view.locator('#after-resume');
    await waitFor(after, 'the "After resume" card');
    assert.match((await view.locator('#after-resume-verdict').textContent()) ?? '', /^If resumed at each of its 4 holds: reaches 100 % after 49 h 0 min with no rollback$/);
    assert.equal(await after.locator('ol[aria-label="Holds resumed"] li').count(), 4);

    // The hold's minute is marked "held" on the chart of the metric it waits on, and on no other.
    const charts = view.locator('figure.chart');
    await waitFor(charts.first(), 'the charts');
    const marked = await charts.evaluateAll((figs) => figs.map((f) => ({ caption: f.querySelector('figcaption')?.textContent ?? '', held: f.querySelector('canvas')?.dataset.held ?? '' })));
    const errorChart = marked.find((c) => /error rate/i.test(c.caption));
    assert.ok(errorChart, `no error rate chart among ${marked.map((c) => c.caption).join(', ')}`);
    const held = JSON.parse(errorChart.held || '[]') as { minute: number; label: string; inside: boolean }[];
    assert.deepEqual(held.map((m) => [m.minute, m.label, m.inside]), [[66, 'held', true]], `the error rate chart's hold marker: ${errorChart.held}`);
    for (const c of marked.filter((x) => x !== errorChart)) assert.equal(c.held, '[]', `the ${c.caption} chart marks a hold it does not wait on`);

    await charts.first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await waitStill(charts.first(), 'the first chart');
    await settle(page);
    await screenshot(page, 'hold-02-held-marker-on-error-rate-chart');

    await hold.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await waitStill(hold, 'the hold card');
    await settle(page);
    await screenshot(page, 'hold-01-no-data-waits-on-and-after-resume');
  });
});
