/**
 * Rollout Lens as a person uses it, in Chromium against code-server: open a repository with a
 * risky uncommitted change, see the lens above the changed line, generate the plan from the
 * palette, simulate it, and flip the color theme. Each checked state is saved under
 * test-output/screenshots/; a failed step saves the screen it failed on.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHARGE_CHANGED_LINE, CHARGE_FILE, DROP_MIGRATION, makeRiskyRepo } from '../fixtures/risky-repo';
import type { Page } from 'playwright-core';
import type { FixtureRepo } from '../fixtures/repo';
import { screenshot } from '../integration/harness/browser';
import { REPO_ROOT } from '../integration/harness/install';
import { canvasPainted, clickWhenReady, closeAfterSuite, codeLenses, focusedInWebview, lensLine, openFile, openWorkbench, pickQuickItem, runCommand, screenshotOnFailure, settle, type Session, waitFor, waitStill, waitUntil, webview } from './workbench';

const LIGHT = 'Light Modern';

/** Waits (briefly) for the webview's focus to land on `expected` after `how`; fails naming where it is. */
async function focusReaches(page: Page, expected: string, how: string): Promise<void> {
  await waitUntil(`the focus to reach "${expected}" after ${how}`, async () => (await focusedInWebview(page)) === expected, 10_000).catch(async (e: Error) => {
    throw new Error(`${e.message}; it is on "${await focusedInWebview(page)}"`);
  });
}
const DARK = 'Dark Modern';

describe('Rollout Lens in the browser workbench', function () {
  // Each step builds on the screen the previous one left.
  this.bail(true);
  let fixture: FixtureRepo;
  let session: Session | undefined;
  /** `git status --porcelain` of the fixture before the workbench opens it: the extension must leave it so. */
  let statusBefore: string;
  const gitStatus = () => fixture.git('status', '--porcelain', '--untracked-files=all');

  before(async function () {
    this.timeout(120_000);
    fixture = makeRiskyRepo();
    statusBefore = gitStatus();
    session = await openWorkbench(fixture.dir, {
      extensionDevelopmentPath: REPO_ROOT,
      userSettings: { 'workbench.colorTheme': `Default ${LIGHT}` },
    });
  });
  afterEach(screenshotOnFailure(() => session?.page, 'workbench'));
  after(closeAfterSuite(() => session, () => fixture?.cleanup()));

  it('shows a HIGH lens on the new migration that drops a column', async () => {
    const page = session!.page;
    await openFile(page, DROP_MIGRATION);
    // The file is new, so its changed region starts at line 1, where the file's lens also sits.
    const lens = codeLenses(page).filter({ hasText: /HIGH · drops column users\.email/ }).first();
    await waitFor(lens, 'the code lens "HIGH · drops column users.email"', { timeout: 60_000 });
    assert.equal(await lensLine(page, lens), 1);
    await waitFor(page.locator('.statusbar-item', { hasText: 'HIGH' }).first(), 'HIGH in the status bar');
    await settle(page);
    await screenshot(page, '01-lens-on-drop-column-migration');
  });

  it('shows the lens above the changed line of the payment function', async () => {
    const page = session!.page;
    await openFile(page, CHARGE_FILE);
    const lens = codeLenses(page).filter({ hasText: /HIGH · changes payment/ }).first();
    await waitFor(lens, 'the code lens "HIGH · changes payment"', { timeout: 60_000 });
    assert.equal(await lensLine(page, lens), CHARGE_CHANGED_LINE, 'the lens is not above the first changed line');
    await settle(page);
    await screenshot(page, '02-lens-above-payment-change');
  });

  it('generates the rollout plan from the command palette', async () => {
    const page = session!.page;
    await runCommand(page, 'Generate Rollout Plan');
    const view = webview(page);
    await waitFor(view.getByText('Deployment risk'), 'the plan\'s "Deployment risk" section in the webview', { timeout: 60_000 });
    await waitFor(view.locator('.tier, .tier-badge, [data-tier]').filter({ hasText: 'HIGH' }).first(), 'the HIGH tier badge in the plan');
    // The plan always has the seed's five stages; the canary stage is the one a HIGH change must pass.
    await waitFor(view.getByText(/Canary/).first(), 'a Canary stage in the plan');
    assert.ok((await view.getByText(/drop/i).count()) > 0, 'the plan lists no finding about the dropped column');
    await settle(page);
    await screenshot(page, '03-plan-in-webview');
  });

  it('runs a simulation and shows the verdict and a painted chart', async () => {
    const page = session!.page;
    const view = webview(page);
    await clickWhenReady(page, view.getByRole('tab', { name: /Simulat/ }).first(), 'the Simulate tab');
    await clickWhenReady(page, view.locator('#run'), 'the Run button');
    const verdict = view.locator('#verdict');
    await waitFor(verdict, 'the simulation verdict', { timeout: 60_000 });
    assert.match((await verdict.textContent()) ?? '', /promot|roll|halt|held/i);
    const canvas = view.locator('canvas').first();
    await waitFor(canvas, 'the first metric chart');
    // chart.js animates its first paint: wait for pixels, as a person waits to see the line.
    await waitUntil('the first metric chart to be painted', () => canvasPainted(canvas));
    // Show the verdict and the first chart together, as a person would scroll to read them.
    await verdict.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await waitStill(verdict, 'the verdict');
    await screenshot(page, '04-simulation-verdict-and-chart');
  });

  it('follows a switch to a dark theme and back', async () => {
    const page = session!.page;
    const view = webview(page);
    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickItem(page, DARK);
    await waitFor(page.locator('.monaco-workbench.vs-dark'), 'the workbench in the dark theme');
    await waitFor(view.locator('body.vscode-dark'), 'the webview in the dark theme');
    // The chart repaints in the theme's colours; blank for good means it was lost.
    await waitUntil('the chart to be painted after the theme change', () => canvasPainted(view.locator('canvas').first()));
    await settle(page);
    await screenshot(page, '05-dark-theme');

    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickItem(page, LIGHT);
    await waitFor(page.locator('.monaco-workbench.vs'), 'the workbench in the light theme');
    await waitFor(view.locator('body.vscode-light'), 'the webview in the light theme');
    await settle(page);
    await screenshot(page, '06-light-theme-again');
  });

  it('simulates an error spike that rolls back at the canary, the panel wide enough for the table and the charts', async () => {
    const page = session!.page;
    const view = webview(page);
    // The view alone in the window: no side bar, its editor group maximised.
    await runCommand(page, 'View: Close Primary Side Bar');
    await waitFor(page.locator('.part.sidebar'), 'the primary side bar to close', { state: 'hidden' });
    // Focus the view's editor group, so the next command maximises that group.
    await clickWhenReady(page, view.locator('body'), 'the webview\'s page', { position: { x: 5, y: 5 } });
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await waitUntil('the webview to fill the window', async () => ((await page.locator('iframe.webview.ready').boundingBox())?.x ?? Infinity) < 100);
    await clickWhenReady(page, view.getByRole('tab', { name: /Simulat/ }).first(), 'the Simulate tab');
    await view.locator('vscode-single-select[aria-label="Scenario or trace"]').evaluate((el) => {
      (el as unknown as { value: string }).value = 'error-spike';
      el.dispatchEvent(new Event('change'));
    });
    await view.locator('vscode-textfield[aria-label^="Runs"]').evaluate((el) => {
      (el as unknown as { value: string }).value = '1';
      el.dispatchEvent(new Event('change'));
    });
    await clickWhenReady(page, view.locator('#run'), 'the Run button');
    const verdict = view.locator('#verdict', { hasText: /^Rolled back/ });
    await waitFor(verdict, 'a "Rolled back" verdict', { timeout: 60_000 });
    assert.match((await verdict.textContent()) ?? '', /^Rolled back at Canary/);
    await waitUntil('the first chart of the rolled-back run to be painted', () => canvasPainted(view.locator('figure.chart canvas').first()));
    await verdict.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await waitStill(verdict, 'the verdict');
    // What the screenshot must show whole: the verdict, the stage table and at least two charts.
    const viewport = page.viewportSize()!;
    const whole = async (box: { x: number; y: number; width: number; height: number } | null) =>
      !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
    assert.ok(await whole(await verdict.boundingBox()), 'the verdict is not fully on screen');
    assert.ok(await whole(await view.locator('table[aria-label="Stage decisions"]').boundingBox()), 'the stage table is not fully on screen');
    assert.match((await view.locator('table[aria-label="Stage decisions"]').textContent()) ?? '', /rolled back/i);
    const charts = view.locator('figure.chart');
    let visible = 0;
    for (let i = 0; i < (await charts.count()); i++) if (await whole(await charts.nth(i).boundingBox())) visible++;
    assert.ok(visible >= 2, `only ${visible} chart(s) fully on screen`);
    assert.equal(await canvasPainted(charts.first().locator('canvas')), true, 'the first chart is blank');
    await screenshot(page, '07-simulation-rolled-back');
  });
  it('re-runs the simulation by itself when a what-if threshold changes', async () => {
    const page = session!.page;
    const view = webview(page);
    const verdict = view.locator('#verdict');
    const before = ((await verdict.textContent()) ?? '').trim();
    assert.match(before, /^Rolled back at Canary/);
    await clickWhenReady(page, view.getByText('What if: thresholds, waits and traffic steps'), 'the "What if" section header');
    const critical = view.getByRole('textbox', { name: 'Error rate critical threshold' });
    await waitFor(critical, 'the "Error rate critical threshold" field');
    assert.equal(await critical.inputValue(), '0.5');
    // A fractional threshold is a valid entry, not one the field flags in red.
    assert.equal(await critical.evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid), true, '0.5 is marked invalid');
    // Mark the verdict on screen: only a re-run replaces it with a new one.
    await verdict.evaluate((el) => el.setAttribute('data-before-edit', ''));
    await critical.fill('5');
    // No Run click: the edit alone re-runs the simulation.
    const after = view.locator('#verdict:not([data-before-edit])');
    await waitFor(after, 'a new verdict after the threshold edit, with no Run click', { timeout: 30_000 });
    const afterText = ((await after.textContent()) ?? '').trim();
    assert.notEqual(afterText, before, 'the verdict did not change with a 10x looser error-rate threshold');
    // At 5 % the error rate no longer trips the gate; the spike's failed requests still sink the
    // success rate below its own critical threshold, so that gate is the one named now.
    assert.match(before, /error rate .*0\.5 % critical/i);
    assert.doesNotMatch(afterText, /error rate/i, 'the error-rate gate still fires at a 5 % critical threshold');
    assert.match(afterText, /success rate .*< 99\.5 % critical/i);
    assert.equal(await critical.inputValue(), '5', 'the re-run reset the edited field');
    await critical.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await waitStill(critical, 'the threshold field');
    await settle(page);
    await screenshot(page, '08-what-if-error-threshold-5');
  });

  it('runs the simulation and switches tabs from the keyboard alone', async () => {
    const page = session!.page;
    const view = webview(page);
    // The controls a person reaches have names a screen reader reads out.
    const scenario = view.getByRole('combobox', { name: 'Scenario or trace' });
    const seed = view.getByRole('spinbutton', { name: 'Random seed' });
    const fault = view.getByRole('combobox', { name: 'Fault to inject' });
    const runs = view.getByRole('spinbutton', { name: /^Runs/ });
    const run = view.getByRole('button', { name: 'Run', exact: true });
    const controls: [string, typeof run][] = [['Scenario or trace', scenario], ['Random seed', seed], ['Fault to inject', fault], ['Runs', runs], ['Run', run], ['Load trace', view.getByRole('button', { name: /Load trace/ })]];
    for (const [name, control] of controls) await waitFor(control, `the control named "${name}"`);
    await waitFor(view.getByRole('tab', { name: 'Plan' }), 'the Plan tab');
    await waitFor(view.getByRole('tab', { name: 'Simulate', selected: true }), 'the Simulate tab, selected');

    await scenario.scrollIntoViewIfNeeded();
    await scenario.focus();
    await focusReaches(page, 'Scenario or trace', 'focusing the scenario picker');
    // Tab walks the settings in the order they read, left to right, and ends on Run.
    for (const expected of ['Random seed', 'Fault to inject', 'Runs (more than 1 is a Monte Carlo run)', 'Run']) {
      await page.keyboard.press('Tab');
      await focusReaches(page, expected, 'Tab');
    }
    await view.locator('#verdict').evaluate((el) => el.setAttribute('data-before-run', ''));
    await page.keyboard.press('Enter');
    const verdict = view.locator('#verdict:not([data-before-run])');
    await waitFor(verdict, 'a new verdict after Enter on Run', { timeout: 30_000 });
    assert.match((await verdict.textContent()) ?? '', /promot|roll|halt|held/i);
    assert.equal(await focusedInWebview(page), 'Run', 'running moved the focus away from Run');
    await screenshot(page, '09-keyboard-run-verdict');

    // Back up to the tab strip, then arrow to Plan and open it.
    for (let i = 0; i < 8 && (await focusedInWebview(page)) !== 'Simulate'; i++) {
      const from = await focusedInWebview(page);
      await page.keyboard.press('Shift+Tab');
      await waitUntil(`the focus to leave "${from}" on Shift+Tab`, async () => (await focusedInWebview(page)) !== from, 10_000);
    }
    assert.equal(await focusedInWebview(page), 'Simulate', 'Shift+Tab from the settings does not reach the selected tab');
    await page.keyboard.press('ArrowLeft');
    await focusReaches(page, 'Plan', 'ArrowLeft on the Simulate tab');
    await page.keyboard.press('Enter');
    await waitFor(view.getByRole('tab', { name: 'Plan', selected: true }), 'the Plan tab, selected');
    await waitFor(view.locator('#plan').getByText('Deployment risk'), 'the plan\'s "Deployment risk" section');
    assert.equal(await view.locator('#verdict').isVisible(), false, 'the Simulate panel is still shown');
    await screenshot(page, '10-keyboard-plan-tab');
    await page.keyboard.press('ArrowRight');
    await focusReaches(page, 'Simulate', 'ArrowRight on the Plan tab');
    await page.keyboard.press('Enter');
    await waitFor(view.getByRole('tab', { name: 'Simulate', selected: true }), 'the Simulate tab, selected');
    await waitFor(view.locator('#verdict'), 'the verdict on the Simulate tab');
  });

  it('leaves the repository as it found it: nothing is written unless asked', () => {
    assert.equal(existsSync(join(fixture.dir, '.rollout-lens.json')), false, 'a policy file was created');
    assert.equal(gitStatus(), statusBefore);
  });
});
