/**
 * Rollout Lens as a person uses it, in Chromium against code-server: open a repository with a
 * risky uncommitted change, see the lens above the changed line, generate the plan from the
 * palette, simulate it, and flip the color theme. Each checked state is saved under
 * test-output/screenshots/; a failed step saves the screen it failed on.
 */
import * as assert from 'node:assert/strict';
import { CHARGE_CHANGED_LINE, CHARGE_FILE, DROP_MIGRATION, makeRiskyRepo } from '../fixtures/risky-repo';
import type { FixtureRepo } from '../fixtures/repo';
import { screenshot } from '../integration/harness/browser';
import { REPO_ROOT } from '../integration/harness/install';
import { canvasPainted, codeLenses, lensLine, openFile, openWorkbench, pickQuickItem, runCommand, screenshotOnFailure, webview, type Session } from './workbench';

const LIGHT = 'Light Modern';
const DARK = 'Dark Modern';

describe('Rollout Lens in the browser workbench', function () {
  // Each step builds on the screen the previous one left.
  this.bail(true);
  let fixture: FixtureRepo;
  let session: Session | undefined;

  before(async function () {
    this.timeout(120_000);
    fixture = makeRiskyRepo();
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
});
