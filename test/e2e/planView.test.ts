/**
 * The plan view as a developer meets it beside the code, in Chromium against code-server: the
 * summary card first, a what-if value typed digit by digit (focus and scroll kept, no stale
 * error), the tier badges' contrast in light, dark and high-contrast themes, the keyboard from
 * the first control to the verdict, the panel at about 340 px, and the last result kept when the
 * panel moves. Screenshots go to test-output/screenshots/ (plan-*).
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { makeRiskyRepo } from '../fixtures/risky-repo';
import type { FixtureRepo } from '../fixtures/repo';
import { screenshot } from '../integration/harness/browser';
import { REPO_ROOT } from '../integration/harness/install';
import { contrastRatio, over, parseRgba, type Rgb } from '../../webview/contrast';
import { canvasPainted, clickWhenReady, focusedInWebview, openFile, openWorkbench, pickQuickItem, runCommand, screenshotOnFailure, settle, waitFor, waitStill, waitUntil, webview, type Session } from './workbench';

const TRACE = join(REPO_ROOT, 'test', 'fixtures', 'traces', 'healthy-long.csv');

/**
 * The rendered colours of a badge of each tier, as a person sees them: its text over its
 * background, and each translucent background over the ones behind it down to the first opaque one.
 */
async function badgeColours(page: Page): Promise<{ tier: string; fg: Rgb; bg: Rgb }[]> {
  const raw = await webview(page).locator('body').evaluate((body) => {
    type El = { className: string; textContent: string | null; parentElement: El | null; remove(): void };
    const doc = (body as unknown as { ownerDocument: { createElement(t: string): El; querySelector(s: string): { append(e: El): void } | null } }).ownerDocument;
    const win = (doc as unknown as { defaultView: { getComputedStyle(e: El): { color: string; backgroundColor: string } } }).defaultView;
    const out: { tier: string; fg: string; layers: string[] }[] = [];
    for (const tier of ['HIGH', 'MEDIUM', 'LOW', 'ZERO']) {
      const badge = doc.createElement('span');
      badge.className = `tier tier-${tier.toLowerCase()}`;
      badge.textContent = tier;
      doc.querySelector('#h-risk')!.append(badge);
      const layers: string[] = [];
      for (let el: El | null = badge; el; el = el.parentElement) {
        const c = win.getComputedStyle(el).backgroundColor;
        layers.push(c);
        if (/^rgb\(/.test(c)) break;
      }
      out.push({ tier, fg: win.getComputedStyle(badge).color, layers });
      badge.remove();
    }
    return out;
  });
  return raw.map(({ tier, fg, layers }) => {
    let bg: Rgb = [255, 255, 255];
    for (const layer of [...layers].reverse()) {
      const c = parseRgba(layer);
      if (c) bg = over(c, bg);
    }
    return { tier, fg: over(parseRgba(fg) ?? [0, 0, 0, 1], bg), bg };
  });
}

async function scrollTop(page: Page): Promise<number> {
  return webview(page).locator('body').evaluate((b) => (b as unknown as { ownerDocument: { scrollingElement: { scrollTop: number } } }).ownerDocument.scrollingElement.scrollTop);
}

describe('The plan view beside the code', function () {
  this.bail(true);
  let fixture: FixtureRepo;
  let session: Session | undefined;

  before(async function () {
    this.timeout(120_000);
    fixture = makeRiskyRepo('rollout-lens-planview-');
    session = await openWorkbench(fixture.dir, { extensionDevelopmentPath: REPO_ROOT, userSettings: { 'workbench.colorTheme': 'Default Light Modern' } });
  });
  afterEach(screenshotOnFailure(() => session?.page, 'planview'));
  after(async () => {
    await session?.close();
    fixture?.cleanup();
  });

  it('leads with a summary card: why this tier with file:line, the recommendation, the schedule in one line', async () => {
    const page = session!.page;
    await openFile(page, 'db/migrations/002_drop_email.sql');
    // As a person does: wait for the analysis to name the tier, then ask for its plan.
    await waitFor(page.locator('.statusbar-item', { hasText: 'HIGH' }).first(), 'HIGH in the status bar', { timeout: 60_000 });
    await runCommand(page, 'Generate Rollout Plan');
    const view = webview(page);
    await waitFor(view.getByRole('heading', { name: 'Why this tier' }), 'the "Why this tier" heading', { timeout: 60_000 });
    const decisive = view.locator('ul.decisive li');
    assert.match((await decisive.first().textContent()) ?? '', /002_drop_email\.sql:\d+ — drops column users\.email/);
    assert.equal(((await view.locator('#recommendation').textContent()) ?? '').trim(), 'Split: ship the code that stops using the column first; drop it in a later deploy.');
    assert.match((await view.locator('#schedule-line').textContent()) ?? '', /^\w{3} \d{1,2} \w{3} \d\d:\d\d → \w{3} \d{1,2} \w{3} \d\d:\d\d, \d+ traffic steps?, (about \d+ (days|h|min)|at once)/);
    // The words "seed" and "the seed's" are the specification's, not the product's.
    assert.doesNotMatch((await view.locator('#plan').innerText()) ?? '', /\bseed\b/i);
    // The rollback every stage shares is said once.
    assert.ok((await view.locator('#plan').getByText(/^Rollback: Level/).count()) <= 1);
    await settle(page);
    await screenshot(page, 'plan-01-summary-card');
  });

  it('shows every tier badge at 4.5:1 or more in light, dark and high-contrast themes', async () => {
    const page = session!.page;
    const view = webview(page);
    for (const [theme, bodyClass] of [['Light Modern', 'vscode-light'], ['Dark Modern', 'vscode-dark'], ['Dark High Contrast', 'vscode-high-contrast'], ['Light High Contrast', 'vscode-high-contrast-light']] as const) {
      if (theme !== 'Light Modern') {
        await runCommand(page, 'Preferences: Color Theme');
        await pickQuickItem(page, theme);
      }
      await waitFor(view.locator(`body.${bodyClass}`), `the webview in ${theme}`);
      let measured: string[] = [];
      await waitUntil(`every badge at 4.5:1 in ${theme}`, async () => {
        const colours = await badgeColours(page);
        measured = colours.map((c) => `${c.tier} rgb(${c.fg.join(', ')}) on rgb(${c.bg.join(', ')}): ${contrastRatio(c.fg, c.bg).toFixed(2)}`);
        return colours.every((c) => contrastRatio(c.fg, c.bg) >= 4.5);
      }, 15_000).catch((e: Error) => {
        throw new Error(`${e.message}: ${measured.join('; ')}`);
      });
      process.stdout.write(`      ${theme}: ${measured.join('; ')}\n`);
      await settle(page);
      await screenshot(page, `plan-02-badges-${theme.replace(/ /g, '-')}`);
    }
    await runCommand(page, 'Preferences: Color Theme');
    await pickQuickItem(page, 'Light Modern');
    await waitFor(view.locator('body.vscode-light'), 'the webview in the light theme again');
  });

  it('keeps focus and scroll while a what-if value is typed digit by digit, with the error beside the field and gone when it is valid', async () => {
    const page = session!.page;
    const view = webview(page);
    await clickWhenReady(page, view.getByRole('tab', { name: 'Simulate' }), 'the Simulate tab');
    await view.locator('vscode-single-select[aria-label="Scenario or trace"]').evaluate((el) => {
      (el as unknown as { value: string }).value = 'error-spike';
      el.dispatchEvent(new Event('change'));
    });
    await clickWhenReady(page, view.locator('#run'), 'the Run button');
    await waitFor(view.locator('#verdict', { hasText: /^Rolled back/ }), 'a "Rolled back" verdict', { timeout: 60_000 });
    await clickWhenReady(page, view.getByText('What if: thresholds, waits and traffic steps'), 'the "What if" section header');
    const critical = view.getByRole('textbox', { name: 'Error rate critical threshold' });
    await critical.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await waitStill(critical, 'the critical threshold field');
    await critical.click();
    const top = await scrollTop(page);
    assert.ok(top > 0, 'the field is not below the fold: the scroll check would prove nothing');
    const fieldY = async () => Math.round((await critical.boundingBox())?.y ?? -1);
    const y = await fieldY();
    const typeDigits = async (text: string) => {
      await view.locator('#verdict').evaluate((el) => el.setAttribute('data-old', ''));
      await page.keyboard.press('Control+A');
      // A webview carries out "select all" through the workbench, a moment later: type once the text is selected, as a person sees it.
      type Input = { value: string; selectionStart: number | null; selectionEnd: number | null };
      await waitUntil('the field\'s text to be selected', () => critical.evaluate((el) => {
        const input = el as unknown as Input;
        return input.value.length > 0 && input.selectionStart === 0 && input.selectionEnd === input.value.length;
      }));
      for (const ch of text) await page.keyboard.press(ch);
    };
    await typeDigits('0.1');
    const error = view.locator('.field-error').filter({ visible: true });
    await waitFor(error, 'the error beside the field after a pause on a critical threshold below the warning one');
    assert.match((await error.textContent()) ?? '', /^Error rate critical: expected at least the warning threshold/);
    assert.equal(await focusedInWebview(page), 'Error rate critical threshold', 'the focus left the field');
    // A person who hesitates after "2.": the pause re-runs with 2, and the field still reads "2.".
    await typeDigits('2.');
    await waitFor(view.locator('#verdict:not([data-old])'), 'a new verdict after a pause on "2.", with no Run click', { timeout: 60_000 });
    await waitFor(error, 'the error to clear once the value is valid', { state: 'hidden' });
    assert.equal(await critical.inputValue(), '2.', 'the pause changed what was being typed');
    await view.locator('#verdict').evaluate((el) => el.setAttribute('data-old', ''));
    await page.keyboard.press('5');
    await waitFor(view.locator('#verdict:not([data-old])'), 'a new verdict after typing 2.5', { timeout: 60_000 });
    assert.equal(await focusedInWebview(page), 'Error rate critical threshold', 'the re-run moved the focus');
    assert.equal(await critical.inputValue(), '2.5');
    await waitStill(critical, 'the critical threshold field after the re-run');
    assert.ok(Math.abs((await fieldY()) - y) <= 2, `the re-run moved the field on screen from y=${y} to y=${await fieldY()}`);
    assert.equal(await view.locator('#banner').isVisible(), false, 'a banner is shown');
    await screenshot(page, 'plan-03-what-if-typed');
    // The Plan tab says what-if values are in effect.
    await clickWhenReady(page, view.getByRole('tab', { name: 'Plan' }), 'the Plan tab');
    await waitFor(view.locator('#whatif-note'), 'the note that what-if values are in effect');
    await screenshot(page, 'plan-04-what-if-note');
    await clickWhenReady(page, view.locator('#whatif-note vscode-button'), 'Reset on the what-if note');
    await waitFor(view.locator('#whatif-note'), 'the what-if note to go after Reset', { state: 'hidden' });
  });

  it('reaches the verdict from the first control with the keyboard alone, and Tab stays in the view', async () => {
    const page = session!.page;
    const view = webview(page);
    await clickWhenReady(page, view.getByRole('tab', { name: 'Simulate' }), 'the Simulate tab');
    await waitFor(view.locator('#verdict'), 'the verdict');
    const verdictText = ((await view.locator('#verdict').textContent()) ?? '').trim();
    const scenario = view.getByRole('combobox', { name: 'Scenario or trace' });
    await scenario.focus();
    await waitUntil('the focus on the scenario picker', async () => (await focusedInWebview(page)) === 'Scenario or trace');
    const seen: string[] = [];
    for (let i = 0; i < 15 && (await focusedInWebview(page)) !== verdictText; i++) {
      const from = await focusedInWebview(page);
      await page.keyboard.press('Tab');
      await waitUntil(`the focus to move on from "${from}"`, async () => (await focusedInWebview(page)) !== from, 10_000);
      seen.push(await focusedInWebview(page));
    }
    assert.equal(await focusedInWebview(page), verdictText, `Tab did not reach the verdict: ${seen.join(' → ')}`);
    assert.equal(await view.locator('[role="status"]').count() > 0, true, 'no live region announces the verdict');
    await screenshot(page, 'plan-05-keyboard-verdict');
    // On past the last control: the focus comes round to the tab strip, never out into the editor.
    for (let i = 0; i < 40 && (await focusedInWebview(page)) !== 'Simulate'; i++) {
      await page.keyboard.press('Tab');
      await waitUntil('the focus to stay in the view after Tab', async () => (await focusedInWebview(page)) !== '', 10_000);
    }
    assert.equal(await focusedInWebview(page), 'Simulate', 'Tab did not come round to the tab strip');
  });

  it('reads at about 340 px beside the code: charts fit with the rollback point, stages as cards', async () => {
    const page = session!.page;
    const view = webview(page);
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.setViewportSize({ width: 740, height: 900 });
    const frame = page.locator('iframe.webview.ready');
    await waitUntil('the webview to be about 340 px wide', async () => {
      const w = (await frame.boundingBox())?.width ?? 0;
      return w > 300 && w < 380;
    });
    const width = (await frame.boundingBox())!.width;
    const firstChart = view.locator('figure.chart').first();
    await waitUntil('the first chart to be painted', () => canvasPainted(firstChart.locator('canvas')));
    assert.equal(((await firstChart.locator('figcaption').textContent()) ?? '').trim(), 'Error rate', 'the deciding metric is not charted first');
    await waitUntil('the chart to fit the panel', async () => {
      const box = await firstChart.locator('canvas').boundingBox();
      return !!box && box.width > 150 && box.x + box.width <= (await frame.boundingBox())!.x + width;
    });
    const overflow = await view.locator('body').evaluate((b) => {
      const el = (b as unknown as { ownerDocument: { scrollingElement: { scrollWidth: number; clientWidth: number } } }).ownerDocument.scrollingElement;
      return el.scrollWidth - el.clientWidth;
    });
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px`);
    assert.equal(await view.locator('table[aria-label="Stage decisions"] thead').isVisible(), false, 'the stage table still has its header row: not cards');
    await firstChart.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await waitStill(firstChart, 'the first chart');
    await screenshot(page, 'plan-06-narrow-chart');
    await view.locator('table[aria-label="Stage decisions"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'plan-07-narrow-stage-cards');
    await clickWhenReady(page, view.getByRole('tab', { name: 'Plan' }), 'the Plan tab');
    await screenshot(page, 'plan-08-narrow-plan');
  });

  it('shows the last result and the chosen scenario again after the panel moves', async () => {
    const page = session!.page;
    const view = webview(page);
    await clickWhenReady(page, view.getByRole('tab', { name: 'Simulate' }), 'the Simulate tab');
    const before = ((await view.locator('#verdict').textContent()) ?? '').trim();
    assert.match(before, /^Rolled back/);
    // Marks the verdict on screen: only a reloaded view shows one without the mark.
    await view.locator('#verdict').evaluate((el) => el.setAttribute('data-before-move', ''));
    await clickWhenReady(page, view.locator('body'), 'the webview\'s page', { position: { x: 5, y: 5 } });
    await runCommand(page, 'View: Move Editor into Previous Group');
    await waitUntil('the view to be reloaded in the other group', async () => (await page.locator('.editor-group-container').count()) === 1 || ((await frame(page))?.x ?? 999) < 200);
    await waitFor(view.locator('#verdict:not([data-before-move])', { hasText: before }), 'the same verdict, in the reloaded view after the move', { timeout: 60_000 });
    assert.equal(await view.locator('vscode-single-select[aria-label="Scenario or trace"]').evaluate((el) => (el as unknown as { value: string }).value), 'error-spike');
    await settle(page);
    await screenshot(page, 'plan-09-after-move');
  });

  it('loads a recorded trace: its coverage of the plan, no seed or runs, the last result marked out of date', async () => {
    const page = session!.page;
    const view = webview(page);
    await waitFor(view.locator('#verdict'), 'the verdict of the last run');
    await clickWhenReady(page, view.getByRole('button', { name: 'Load trace…' }), 'the "Load trace…" button');
    const dialog = page.locator('.quick-input-widget');
    const input = dialog.locator('input');
    await waitFor(input, 'the open dialog\'s path input');
    // The dialog first shows the folder it starts in; a path typed before that is overwritten.
    await waitUntil('the open dialog to show the folder it starts in', async () => (await input.inputValue()).endsWith('/'));
    // On a busy machine the dialog can still replace a typed path with its folder: as a person
    // would, type the path again until the dialog lists the file under it, then press Enter.
    const row = dialog.locator('.quick-input-list .monaco-list-row', { hasText: 'healthy-long.csv' }).first();
    await waitUntil('the open dialog to take the trace file', async () => {
      if (!(await dialog.isVisible())) return true;
      if ((await input.inputValue()) !== TRACE) await input.fill(TRACE);
      if (!(await row.isVisible()) || (await input.inputValue()) !== TRACE) return false;
      await page.keyboard.press('Enter');
      return dialog.waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false);
    }, 60_000);
    const coverage = view.locator('#trace-coverage');
    await waitFor(coverage, 'the trace\'s coverage of the plan');
    assert.match((await coverage.textContent()) ?? '', /^This trace covers \d+ (h|min); this plan needs \d+ h/);
    assert.equal(await view.getByRole('spinbutton', { name: 'Random seed' }).isVisible(), false, 'a seed is offered for a recorded trace');
    assert.equal(await view.getByRole('spinbutton', { name: /^Runs/ }).isVisible(), false, 'Monte Carlo runs are offered for a recorded trace');
    await waitFor(view.locator('#stale-note'), 'the note that the shown result is out of date');
    await settle(page);
    await screenshot(page, 'plan-10-trace-loaded');
  });
});

async function frame(page: Page) {
  return page.locator('iframe.webview.ready').boundingBox();
}
