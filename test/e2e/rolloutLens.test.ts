/**
 * Rollout Lens as a person uses it, in Chromium against code-server: open a repository with a
 * risky uncommitted change, see the lens above the changed line, generate the plan from the
 * palette, simulate it, and flip the color theme. Each checked state is saved under
 * test-output/screenshots/; a failed step saves the screen it failed on.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHARGE_CHANGED_LINE, CHARGE_FILE, DROP_MIGRATION, makeRiskyRepo } from '../fixtures/risky-repo';
import type { FixtureRepo } from '../fixtures/repo';
import { screenshot } from '../integration/harness/browser';
import { REPO_ROOT } from '../integration/harness/install';
import { canvasPainted, codeLenses, focusedInWebview, lensLine, openFile, openWorkbench, pickQuickItem, runCommand, screenshotOnFailure, webview, type Session } from './workbench';

const LIGHT = 'Light Modern';
const DARK = 'Dark Modern';

describe('Rollout Lens in the browser workbench', function () {
  // Each step builds on the screen the previous one left.
  this.bail(true);
  let fixture: FixtureRepo;
  let session: Session | undefined;
  /** `git status --porcelain` of the fixture before the workbench opens it: the extension must leave it so. */
  let statusBefore: string;
  const gitStatus = () => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: fixture.dir, encoding: 'utf8' });

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
  after(async function () {
    const failed = this.test?.parent?.tests.some((t) => t.state === 'failed');
    if (failed && session?.consoleErrors.length) process.stdout.write(`      browser console errors:\n        ${session.consoleErrors.slice(-10).join('\n        ')}\n`);
    await session?.close();
    fixture?.cleanup();
  });

  it('shows a HIGH lens on the new migration that drops a column', async () => {
    const page = session!.page;
    await openFile(page, DROP_MIGRATION);
    // The file is new, so its changed region starts at line 1, where the file's lens also sits.
    const lens = codeLenses(page).filter({ hasText: /HIGH · drops column users\.email/ }).first();
    await lens.waitFor({ timeout: 30_000 });
    assert.equal(await lensLine(page, lens), 1);
    await page.locator('.statusbar-item', { hasText: 'HIGH' }).first().waitFor();
    await screenshot(page, '01-lens-on-drop-column-migration');
  });

  it('shows the lens above the changed line of the payment function', async () => {
    const page = session!.page;
    await openFile(page, CHARGE_FILE);
    const lens = codeLenses(page).filter({ hasText: /HIGH · changes payment/ }).first();
    await lens.waitFor({ timeout: 30_000 });
    assert.equal(await lensLine(page, lens), CHARGE_CHANGED_LINE, 'the lens is not above the first changed line');
    await screenshot(page, '02-lens-above-payment-change');
  });

  it('generates the rollout plan from the command palette', async () => {
    const page = session!.page;
    await runCommand(page, 'Generate Rollout Plan');
    const view = webview(page);
    await view.getByText('Deployment risk').waitFor({ timeout: 30_000 });
    await view.locator('.tier, .tier-badge, [data-tier]').filter({ hasText: 'HIGH' }).first().waitFor();
    // The plan always has the seed's five stages; the canary stage is the one a HIGH change must pass.
    await view.getByText(/Canary/).first().waitFor();
    assert.ok((await view.getByText(/drop/i).count()) > 0, 'the plan lists no finding about the dropped column');
    await screenshot(page, '03-plan-in-webview');
  });

  it('runs a simulation and shows the verdict and a painted chart', async () => {
    const page = session!.page;
    const view = webview(page);
    await view.getByRole('tab', { name: /Simulat/ }).first().click();
    await view.locator('#run').click();
    const verdict = view.locator('#verdict');
    await verdict.waitFor({ timeout: 30_000 });
    assert.match((await verdict.textContent()) ?? '', /promot|roll|halt|held/i);
    const canvas = view.locator('canvas').first();
    await canvas.waitFor();
    await page.waitForTimeout(500); // chart.js animates its first paint
    assert.equal(await canvasPainted(canvas), true, 'the metric chart canvas is blank');
    // Show the verdict and the first chart together, as a person would scroll to read them.
    await verdict.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, '04-simulation-verdict-and-chart');
  });

  it('follows a switch to a dark theme and back', async () => {
    const page = session!.page;
    const view = webview(page);
    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickItem(page, DARK);
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await view.locator('body.vscode-dark').waitFor();
    assert.equal(await canvasPainted(view.locator('canvas').first()), true, 'the chart is blank after the theme change');
    await screenshot(page, '05-dark-theme');

    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickItem(page, LIGHT);
    await page.locator('.monaco-workbench.vs').waitFor();
    await view.locator('body.vscode-light').waitFor();
    await screenshot(page, '06-light-theme-again');
  });

  it('simulates an error spike that rolls back at the canary, the panel wide enough for the table and the charts', async () => {
    const page = session!.page;
    const view = webview(page);
    // The view alone in the window: no side bar, its editor group maximised.
    await runCommand(page, 'View: Close Primary Side Bar');
    await view.locator('body').click({ position: { x: 5, y: 5 } });
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    await view.getByRole('tab', { name: /Simulat/ }).first().click();
    await view.locator('vscode-single-select[aria-label="Scenario or trace"]').evaluate((el) => {
      (el as unknown as { value: string }).value = 'error-spike';
      el.dispatchEvent(new Event('change'));
    });
    await view.locator('vscode-textfield[aria-label^="Runs"]').evaluate((el) => {
      (el as unknown as { value: string }).value = '1';
      el.dispatchEvent(new Event('change'));
    });
    await view.locator('#run').click();
    const verdict = view.locator('#verdict', { hasText: /^Rolled back/ });
    await verdict.waitFor({ timeout: 30_000 });
    assert.match((await verdict.textContent()) ?? '', /^Rolled back at Canary/);
    await page.waitForTimeout(500);
    await verdict.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
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
    await view.getByText('What if: thresholds, waits and traffic steps').click();
    const critical = view.getByRole('spinbutton', { name: 'Error rate critical threshold' });
    await critical.waitFor();
    assert.equal(await critical.inputValue(), '0.5');
    // A fractional threshold is a valid entry, not one the field flags in red.
    assert.equal(await critical.evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid), true, '0.5 is marked invalid');
    // Mark the verdict on screen: only a re-run replaces it with a new one.
    await verdict.evaluate((el) => el.setAttribute('data-before-edit', ''));
    await critical.fill('5');
    // No Run click: the edit alone re-runs the simulation.
    const after = view.locator('#verdict:not([data-before-edit])');
    await after.waitFor({ timeout: 15_000 });
    const afterText = ((await after.textContent()) ?? '').trim();
    assert.notEqual(afterText, before, 'the verdict did not change with a 10x looser error-rate threshold');
    // At 5 % the error rate no longer trips the gate; the spike's failed requests still sink the
    // success rate below its own critical threshold, so that gate is the one named now.
    assert.match(before, /error rate .*0\.5 % critical/i);
    assert.doesNotMatch(afterText, /error rate/i, 'the error-rate gate still fires at a 5 % critical threshold');
    assert.match(afterText, /success rate .*< 99\.5 % critical/i);
    assert.equal(await critical.inputValue(), '5', 'the re-run reset the edited field');
    await critical.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(300);
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
    for (const control of [scenario, seed, fault, runs, run, view.getByRole('button', { name: /Load trace/ })]) await control.waitFor();
    await view.getByRole('tab', { name: 'Plan' }).waitFor();
    await view.getByRole('tab', { name: 'Simulate', selected: true }).waitFor();

    await scenario.scrollIntoViewIfNeeded();
    await scenario.focus();
    assert.equal(await focusedInWebview(page), 'Scenario or trace');
    // Tab walks the settings in the order they read, left to right, and ends on Run.
    for (const expected of ['Random seed', 'Fault to inject', 'Runs (more than 1 is a Monte Carlo run)', 'Run']) {
      await page.keyboard.press('Tab');
      assert.equal(await focusedInWebview(page), expected, `Tab did not move to "${expected}"`);
    }
    await view.locator('#verdict').evaluate((el) => el.setAttribute('data-before-run', ''));
    await page.keyboard.press('Enter');
    const verdict = view.locator('#verdict:not([data-before-run])');
    await verdict.waitFor({ timeout: 15_000 });
    assert.match((await verdict.textContent()) ?? '', /promot|roll|halt|held/i);
    assert.equal(await focusedInWebview(page), 'Run', 'running moved the focus away from Run');
    await screenshot(page, '09-keyboard-run-verdict');

    // Back up to the tab strip, then arrow to Plan and open it.
    for (let i = 0; i < 8 && (await focusedInWebview(page)) !== 'Simulate'; i++) await page.keyboard.press('Shift+Tab');
    assert.equal(await focusedInWebview(page), 'Simulate', 'Shift+Tab from the settings does not reach the selected tab');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focusedInWebview(page), 'Plan');
    await page.keyboard.press('Enter');
    await view.getByRole('tab', { name: 'Plan', selected: true }).waitFor();
    await view.locator('#plan').getByText('Deployment risk').waitFor({ state: 'visible' });
    assert.equal(await view.locator('#verdict').isVisible(), false, 'the Simulate panel is still shown');
    await screenshot(page, '10-keyboard-plan-tab');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedInWebview(page), 'Simulate');
    await page.keyboard.press('Enter');
    await view.getByRole('tab', { name: 'Simulate', selected: true }).waitFor();
    await view.locator('#verdict').waitFor({ state: 'visible' });
  });

  it('leaves the repository as it found it: nothing is written unless asked', () => {
    assert.equal(existsSync(join(fixture.dir, '.rollout-lens.json')), false, 'a policy file was created');
    assert.equal(gitStatus(), statusBefore);
  });
});
