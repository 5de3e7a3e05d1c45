/**
 * The editor's surfaces as a developer meets them, in Chromium against code-server: the lens of a
 * deletion-only hunk above its deletion point (and the diff it opens), the plan reopened three
 * times in one group and pinned, the Rollout Risk view in Source Control, and a code action on a
 * breaking migration. Each checked state is saved under test-output/screenshots/.
 */
import * as assert from 'node:assert/strict';
import { DROP_LINE, DROP_MIGRATION, makeRiskyRepo } from '../fixtures/risky-repo';
import { addRemovals, MESSAGE_FILE, SECOND_REMOVAL_AFTER } from '../fixtures/removals';
import type { FixtureRepo } from '../fixtures/repo';
import { screenshot } from '../integration/harness/browser';
import { REPO_ROOT } from '../integration/harness/install';
import { clickWhenReady, closeAfterSuite, hoverStatusItem, showRiskView, codeLenses, editorGroups, lensLine, openFile, openWorkbench, pickQuickItem, runCommand, runCommandThatAsks, screenshotOnFailure, settle, type Session, waitFor, waitUntil, webview, widenSideBar } from './workbench';

describe('Rollout Lens: the editor surfaces', function () {
  this.bail(true);
  let fixture: FixtureRepo;
  let session: Session | undefined;
  let statusBefore: string;
  const gitStatus = () => fixture.git('status', '--porcelain', '--untracked-files=all');

  before(async function () {
    this.timeout(120_000);
    fixture = makeRiskyRepo('rollout-lens-surfaces-');
    addRemovals(fixture);
    statusBefore = gitStatus();
    session = await openWorkbench(fixture.dir, { extensionDevelopmentPath: REPO_ROOT, userSettings: { 'workbench.colorTheme': 'Default Light Modern' } });
  });
  afterEach(screenshotOnFailure(() => session?.page, 'surfaces'));
  after(closeAfterSuite(() => session, () => fixture?.cleanup()));

  it('puts the lens of a deletion-only hunk after an earlier one above its deletion point, and opens the diff there', async () => {
    const page = session!.page;
    await openFile(page, MESSAGE_FILE);
    const lens = codeLenses(page).filter({ hasText: /removed after line 8: stops a database write/ }).first();
    await waitFor(lens, 'the lens "removed after line 8: stops a database write"', { timeout: 60_000 });
    // Above the line that now follows the removed lines, not at their old line numbers (10–11).
    assert.equal(await lensLine(page, lens), SECOND_REMOVAL_AFTER + 1);
    const earlier = codeLenses(page).filter({ hasText: /removed after line 4/ }).first();
    await waitFor(earlier, 'the lens of the earlier removal');
    assert.equal(await lensLine(page, earlier), 5);
    await settle(page);
    await screenshot(page, 'surfaces-01-removal-lens-at-deletion-point');

    // "Show removed lines" beside it: the base ↔ working tree diff, the cursor at that hunk.
    const show = lens.getByText('Show removed lines');
    await clickWhenReady(page, show, 'the "Show removed lines" lens');
    await waitFor(page.locator('.tabs-container .tab.active', { hasText: 'HEAD ↔ working tree' }), 'the diff tab "message.rb (HEAD ↔ working tree)"');
    const diff = page.locator('.monaco-diff-editor').first();
    await waitFor(diff, 'the diff editor');
    await waitFor(diff.locator('.editor.original .view-line', { hasText: 'save!' }).first(), 'the removed save! on the left side');
    await waitFor(diff.locator('.editor.modified .cursors-layer .cursor').first(), 'the cursor in the working tree side', { state: 'attached' });
    await settle(page);
    await screenshot(page, 'surfaces-02-diff-at-removed-lines');
  });

  it('reopens the plan three times in one group, pinned', async () => {
    const page = session!.page;
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, MESSAGE_FILE);
    await runCommand(page, 'View: Show Explorer');
    for (let i = 1; i <= 3; i++) {
      await runCommand(page, 'Rollout Lens: Generate Rollout Plan');
      const planTab = page.locator('.tabs-container .tab.active', { hasText: 'Rollout Plan' });
      await waitFor(planTab, `the plan tab, active, after opening it ${i} time(s)`, { timeout: 60_000 });
      await waitFor(webview(page).getByText('Deployment risk'), 'the plan in the webview', { timeout: 60_000 });
      assert.equal(await editorGroups(page).count(), 2, `editor groups after opening the plan ${i} time(s)`);
      // One click on a file in the Explorer, in the plan's group: a preview plan would be replaced.
      await clickWhenReady(page, page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).first(), 'README.md in the Explorer');
      await waitFor(page.locator('.tabs-container .tab.active', { hasText: 'README.md' }), 'README.md opened beside the plan');
    }
    await runCommand(page, 'Rollout Lens: Generate Rollout Plan');
    await waitFor(webview(page).getByText('Deployment risk'), 'the plan in the webview, shown again', { timeout: 60_000 });
    // A preview tab is shown in italics.
    const planTab = page.locator('.tabs-container .tab', { hasText: 'Rollout Plan' });
    assert.equal(await planTab.count(), 1);
    assert.doesNotMatch((await planTab.getAttribute('class')) ?? '', /\bitalic\b/, 'the plan is a preview tab');
    await settle(page);
    await screenshot(page, 'surfaces-03-plan-reopened-three-times');
  });

  it('shows on the Simulate tab the very run "Simulate Rollout…" announced', async () => {
    const page = session!.page;
    await runCommandThatAsks(page, 'Rollout Lens: Simulate Rollout…', 'Rollout Lens: simulate the rollout with which scenario?');
    await pickQuickItem(page, 'error-spike');
    // The message may come as a toast or only behind the bell (a browser window without focus
    // gets no toasts): read it in the notification center, as a person who missed it does.
    await runCommand(page, 'Notifications: Show Notifications');
    const toast = page.locator('.notifications-center .notification-list-item', { hasText: 'Open Simulation' }).first();
    await waitFor(toast, 'the simulation\'s message with "Open Simulation"', { timeout: 60_000 });
    const announced = ((await toast.locator('.notification-list-item-message').textContent()) ?? '').trim();
    assert.ok(announced.length > 0, 'the message has no verdict');
    await clickWhenReady(page, toast.getByRole('button', { name: 'Open Simulation' }), 'the "Open Simulation" button');
    const verdict = webview(page).locator('#verdict');
    await waitFor(verdict, 'the verdict on the Simulate tab', { timeout: 60_000 });
    await waitUntil('the Simulate tab to show the announced verdict', async () => ((await verdict.textContent()) ?? '').trim() === announced);
    assert.match((await webview(page).locator('#verdict-source').textContent()) ?? '', /scenario error-spike, seed 1/);
    // The controls name the run shown, so Run repeats it.
    const scenario = webview(page).locator('vscode-single-select[aria-label="Scenario or trace"]');
    assert.equal(await scenario.evaluate((el) => (el as unknown as { value: string }).value), 'error-spike');
    await settle(page);
    await screenshot(page, 'surfaces-04b-announced-simulation');
  });

  it('lists the files by tier with their findings in the Source Control view', async () => {
    const page = session!.page;
    const pane = await showRiskView(page);
    const rows = pane.locator('.monaco-list-row');
    await waitFor(rows.filter({ hasText: /^HIGH/ }).first(), 'the HIGH group');
    await waitFor(rows.filter({ hasText: '002_drop_email.sql' }).first(), 'the migration under HIGH');
    const finding = rows.filter({ hasText: 'stops a database write (save!)' }).filter({ hasText: 'removed after line 8' }).first();
    await waitFor(finding, 'the removal finding under message.rb');
    const labels = await rows.allInnerTexts();
    const high = labels.findIndex((t) => t.startsWith('HIGH'));
    const zero = labels.findIndex((t) => /^(LOW|MEDIUM|ZERO)\b/.test(t));
    assert.ok(high >= 0 && (zero < 0 || zero > high), `tiers out of order: ${labels.join(' | ')}`);
    // Its inline action opens the plan at that finding.
    await widenSideBar(page, 520);
    await settle(page);
    await screenshot(page, 'surfaces-04-source-control-view');
    await finding.hover();
    const inline = finding.locator('.actions .action-label[aria-label^="Open Rollout Plan at Finding"]');
    await waitFor(inline, 'the inline "Open Rollout Plan at Finding" action on hover');
    await inline.click();
    await waitFor(page.locator('.tabs-container .tab.active', { hasText: 'Rollout Plan' }), 'the plan, active');
    const picked = webview(page).locator('[data-finding].focused');
    await waitFor(picked, 'the finding picked out in the plan', { timeout: 60_000 });
    assert.equal(await picked.getAttribute('data-finding'), `${MESSAGE_FILE}:${SECOND_REMOVAL_AFTER + 1}`);
  });

  it('offers "Open rollout plan at this finding" on the breaking migration and opens the plan there', async () => {
    const page = session!.page;
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, DROP_MIGRATION);
    await runCommand(page, 'Go to Line/Column...');
    await page.keyboard.type(String(DROP_LINE));
    await page.keyboard.press('Enter');
    await waitFor(page.locator('.squiggly-warning').first(), 'the breaking migration\'s warning squiggle', { timeout: 60_000 });
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await waitFor(menu.getByText('Open rollout plan at this finding'), 'the code action "Open rollout plan at this finding"');
    await waitFor(menu.getByText('How to split this migration'), 'the code action "How to split this migration"');
    await screenshot(page, 'surfaces-05-code-actions');
    await menu.getByText('Open rollout plan at this finding').click();
    const view = webview(page);
    const picked = view.locator('[data-finding].focused');
    await waitFor(picked, 'the finding picked out in the plan', { timeout: 60_000 });
    assert.equal(await picked.getAttribute('data-finding'), `${DROP_MIGRATION}:${DROP_LINE}`);
    await settle(page);
    await screenshot(page, 'surfaces-06-plan-at-finding');
    await waitUntil('the repository to be as it was', async () => gitStatus() === statusBefore);
  });

  it('hovers the status item with the tier, the counts, the findings as links and the actions', async () => {
    const page = session!.page;
    const item = page.locator('.statusbar-item', { hasText: 'Risk: HIGH' }).first();
    await waitFor(item, '"Risk: HIGH" in the status bar');
    assert.match((await item.locator('[aria-label]').first().getAttribute('aria-label').catch(() => null)) ?? (await item.getAttribute('aria-label')) ?? '', /^Rollout Lens: deployment risk HIGH/);
    const hover = await hoverStatusItem(page, item, 'deployment risk');
    // The irreversible finding first, as a link; then the actions.
    const links = hover.locator('a');
    await waitFor(links.filter({ hasText: 'db/migrations/002_drop_email.sql:3' }).first(), 'the breaking migration as a link in the hover');
    await waitFor(links.filter({ hasText: 'Open plan' }).first(), '"Open plan" in the hover');
    await waitFor(links.filter({ hasText: 'Copy Markdown' }).first(), '"Copy Markdown" in the hover');
    const texts = await links.allInnerTexts();
    assert.equal(texts[0], 'db/migrations/002_drop_email.sql:3', `the hover's first link: ${texts.join(' | ')}`);
    await screenshot(page, 'surfaces-04a-status-hover');
    await page.keyboard.press('Escape');
    await settle(page);
  });
});
