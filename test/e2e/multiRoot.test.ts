/**
 * A multi-root workspace as a developer meets it, in Chromium against code-server: the status item
 * names the active editor's repository, its hover the highest tier across the repositories,
 * "Generate Rollout Plan" asks which repository, the plan tab naming the one picked, and the
 * Rollout Risk view lists each repository with its files. Each checked state is saved under
 * test-output/screenshots/.
 */
import * as assert from 'node:assert/strict';
import { GUIDE_FILE, makeMultiRootWorkspace, type MultiRootWorkspace } from '../fixtures/multi-root';
import { screenshot } from '../integration/harness/browser';
import { REPO_ROOT } from '../integration/harness/install';
import { closeAfterSuite, hoverStatusItem, showRiskView, widenSideBar, openFile, openWorkbench, pickQuickItem, runCommandThatAsks, screenshotOnFailure, settle, type Session, waitFor } from './workbench';

describe('Rollout Lens: a workspace of several repositories', function () {
  this.bail(true);
  let workspace: MultiRootWorkspace;
  let session: Session | undefined;

  before(async function () {
    this.timeout(120_000);
    workspace = makeMultiRootWorkspace();
    session = await openWorkbench(workspace.file, { extensionDevelopmentPath: REPO_ROOT, userSettings: { 'workbench.colorTheme': 'Default Light Modern' } });
  });
  afterEach(screenshotOnFailure(() => session?.page, 'multi-root'));
  after(closeAfterSuite(() => session, () => workspace?.cleanup()));

  it("names the active editor's repository in the status bar and the highest tier across repositories in its hover", async () => {
    const page = session!.page;
    await openFile(page, GUIDE_FILE);
    const item = page.locator('.statusbar-item', { hasText: 'Risk: ZERO · handbook' }).first();
    await waitFor(item, '"Risk: ZERO · handbook" in the status bar', { timeout: 60_000 });
    const hover = await hoverStatusItem(page, item, 'Highest across 2 repositories');
    const text = await hover.innerText();
    assert.match(text, /Highest across 2 repositories · HIGH in payments/);
    assert.match(text, /payments: HIGH\s+handbook: ZERO \(this editor\)/);
    await screenshot(page, 'multi-root-01-status-hover');
    await page.keyboard.press('Escape');
    await settle(page);
  });

  it('asks which repository "Generate Rollout Plan" is for, the active editor\'s first, and the plan tab names the one picked', async () => {
    const page = session!.page;
    // The input is labelled with the question's placeholder, then its title.
    await runCommandThatAsks(page, 'Rollout Lens: Generate Rollout Plan', 'This workspace holds several git repositories; each has its own change and policy. - Rollout Lens: plan for which repository?');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await waitFor(rows.nth(1), 'both repositories in the question');
    assert.match(await rows.nth(0).innerText(), /handbook[\s\S]*ZERO · active editor/);
    assert.match(await rows.nth(1).innerText(), /payments[\s\S]*HIGH/);
    await screenshot(page, 'multi-root-02-which-repository');
    await pickQuickItem(page, 'payments');
    await waitFor(page.locator('.tabs-container .tab', { hasText: 'Rollout Plan · payments' }), 'the plan tab named for payments', { timeout: 60_000 });
    await settle(page);
    await screenshot(page, 'multi-root-03-plan-for-payments');
  });

  it('lists each repository with its tier in the Rollout Risk view, its files under it', async () => {
    const page = session!.page;
    const pane = await showRiskView(page);
    const rows = pane.locator('.monaco-list-row');
    await waitFor(rows.filter({ hasText: /^payments/ }).filter({ hasText: 'HIGH · 2 files' }).first(), 'payments with its tier');
    await waitFor(rows.filter({ hasText: /^handbook/ }).filter({ hasText: 'ZERO · 1 file' }).first(), 'handbook with its tier');
    await waitFor(rows.filter({ hasText: 'guide.md' }).first(), "the handbook's changed file");
    const labels = await rows.allInnerTexts();
    const at = (re: RegExp) => labels.findIndex((t) => re.test(t));
    assert.ok(at(/^payments/) < at(/002_drop_email\.sql/) && at(/002_drop_email\.sql/) < at(/^handbook/) && at(/^handbook/) < at(/guide\.md/), `each file under its repository: ${labels.join(' | ')}`);
    await widenSideBar(page, 520);
    await settle(page);
    await screenshot(page, 'multi-root-04-source-control-view');
  });
});
