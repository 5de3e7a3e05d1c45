/**
 * What a person does in the browser VS Code, as functions: open the workbench on a folder, open a
 * file, run a palette command, find the code lens, read the webview (two iframes deep), switch the
 * color theme. Selectors are the workbench's own (see shared testing notes).
 */
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import type { Context } from 'mocha';
import { launchChromium, newWorkbenchPage, screenshot } from '../integration/harness/browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from '../integration/harness/codeServer';

export interface Session {
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** Browser console errors raised by the webview or the workbench, for failure messages. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** How long a step waits for the workbench by default: generous, the machine may be busy. */
export const WAIT_MS = 30_000;

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}

/** Waits for `locator` to reach `state` (visible by default); a timeout names what was awaited. */
export async function waitFor(locator: Locator, what: string, opts: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number } = {}): Promise<void> {
  const state = opts.state ?? 'visible';
  const timeout = opts.timeout ?? WAIT_MS;
  try {
    await locator.waitFor({ state, timeout });
  } catch (e) {
    throw new Error(`waited ${timeout} ms for ${what} to be ${state}, in vain (${firstLine(e)})`);
  }
}

/** Checks `holds` again and again until it is true; a timeout names what was awaited. */
export async function waitUntil(what: string, holds: () => Promise<boolean>, timeout = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      if (await holds()) return;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}, in vain${lastError ? ` (${firstLine(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until `locator` stops moving (a scroll or a layout change has finished). */
export async function waitStill(locator: Locator, what: string): Promise<void> {
  let last = '';
  await waitUntil(`${what} to stop moving`, async () => {
    const box = JSON.stringify(await locator.boundingBox());
    const still = box === last && box !== 'null';
    last = box;
    return still;
  });
}

function hovers(page: Page): Locator {
  return page.locator('.workbench-hover-container, .monaco-hover').filter({ visible: true });
}

/**
 * Makes the screen ready for the next action, as a person would: the mouse parked where nothing
 * reacts to it (the empty middle of the status bar), no hover shown, no progress bar running.
 * A hover left by the last click can otherwise sit over the next target and take its click.
 */
export async function settle(page: Page, opts: { escape?: boolean } = {}): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 1400, height: 900 };
  const parks = [Math.round(width / 2), Math.round(width / 2) + 40];
  await page.mouse.move(parks[0], height - 6);
  let tries = 0;
  const started = Date.now();
  await waitUntil('the hover widgets to close after the mouse moved away', async () => {
    if ((await hovers(page).count()) === 0) return true;
    // A hover whose delay ran out after the mouse had left its target stays until the mouse moves
    // again: move it between two empty spots of the status bar, and now and then press Escape,
    // which closes a hover that outlives the mouse (not while a quick pick is open: it would close).
    // A tab's hover shown as focus returns to its editor may ignore both; a press of the mouse on
    // the status bar's empty middle (which does nothing) closes every hover.
    tries++;
    await page.mouse.move(parks[tries % 2], height - 6);
    if (opts.escape !== false && tries % 5 === 1) await page.keyboard.press('Escape');
    if (opts.escape !== false && Date.now() - started > 2_000 && tries % 10 === 0) await page.mouse.click(parks[tries % 2], height - 6);
    return false;
  }, 15_000).catch(async (e: Error) => {
    throw new Error(`${e.message}; still shown: ${JSON.stringify(await hovers(page).allInnerTexts())}`);
  });
  const progress = page.locator('.monaco-progress-container.active').filter({ visible: true });
  await waitUntil('every progress bar to finish', async () => (await progress.count()) === 0);
}

/** Clicks `target` once it is visible, enabled, still and not covered; the error names `what`. */
export async function clickWhenReady(page: Page, target: Locator, what: string, opts: { position?: { x: number; y: number }; escape?: boolean } = {}): Promise<void> {
  await settle(page, { escape: opts.escape });
  await waitFor(target, what);
  try {
    // Playwright's click itself waits until the element is visible, enabled, stable and receives the click.
    await target.click({ timeout: WAIT_MS, ...(opts.position ? { position: opts.position } : {}) });
  } catch (e) {
    throw new Error(`could not click ${what} within ${WAIT_MS} ms (${firstLine(e)})`);
  }
  await settle(page);
}

export async function openWorkbench(
  workspace: string,
  opts: CodeServerOptions & { extensionDevelopmentPath?: string } = {},
): Promise<Session> {
  const server = await startCodeServer(opts);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await newWorkbenchPage(browser);
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      // The extension gallery is unreachable offline, by design; everything else is worth reading.
      if (m.type() === 'error' && !/ENOTFOUND|open-vsx|gallery/i.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(server.workbenchUrl(workspace, { extensionDevelopmentPath: opts.extensionDevelopmentPath }));
    await waitFor(page.locator('.monaco-workbench'), 'the workbench', { timeout: 60_000 });
    await waitFor(page.locator('.explorer-folders-view .monaco-list-row').first(), 'the first row of the explorer', { timeout: 60_000 });
    const b = browser;
    return {
      server,
      browser: b,
      page,
      consoleErrors,
      async close() {
        await b.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw e;
  }
}

/** Quick Open (Ctrl+P) the file by its workspace-relative path, and wait for its editor tab. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await settle(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await waitFor(input, 'the Quick Open input');
  await input.fill(relPath);
  const name = relPath.split('/').pop()!;
  await waitFor(page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first(), `Quick Open to list ${relPath}`);
  await page.keyboard.press('Enter');
  await waitFor(page.locator('.quick-input-widget'), 'Quick Open to close', { state: 'hidden' });
  await waitFor(page.locator('.tabs-container .tab.active', { hasText: name }), `the active editor tab ${name}`);
  await waitFor(page.locator('.editor-instance .monaco-editor .view-lines').first(), `the text of ${name}`);
}

/** F1, type the command's title, wait for it in the list (an Enter before that runs nothing), pick it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const row = await paletteRow(page, title);
  await clickWhenReady(page, row, `the command "${title}" in the palette`, { escape: false });
}

/** Opens the command palette on `title`: the row whose label is exactly the title ("Preferences: Color Theme" also matches other theme commands). */
async function paletteRow(page: Page, title: string): Promise<Locator> {
  await settle(page);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await waitFor(input, 'the command palette input');
  await input.fill(`>${title}`);
  return page.locator('.quick-input-list .monaco-list-row').filter({ has: page.getByText(title, { exact: true }) }).first();
}

/** Picks an entry in an open quick pick (e.g. a theme in "Preferences: Color Theme"). */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await waitFor(input, `the quick pick input to type "${label}" into`);
  await input.fill(label);
  await waitFor(page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first(), `"${label}" in the quick pick`);
  await page.keyboard.press('Enter');
  await waitFor(page.locator('.quick-input-widget'), `the quick pick to close after picking "${label}"`, { state: 'hidden' });
}

export function codeLenses(page: Page): Locator {
  return page.locator('.contentWidgets .codelens-decoration');
}

/** The DOM of the extension's webview: the workbench's iframe, then the page's own iframe. */
export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/**
 * What has the keyboard focus inside the webview, as a person would name it: the focused control's
 * aria-label, else its text (a button, a tab). Empty when the focus is elsewhere.
 */
export async function focusedInWebview(page: Page): Promise<string> {
  type El = { id: string; getAttribute(n: string): string | null; textContent: string | null };
  return webview(page).locator('body').evaluate((body) => {
    const doc = (body as unknown as { ownerDocument: { activeElement: El | null; hasFocus(): boolean } }).ownerDocument;
    const el = doc.activeElement;
    if (!doc.hasFocus() || !el || el === (body as unknown as El)) return '';
    return (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
  });
}

/** The 1-based editor line a code lens sits above: the line number of the next view line below it. */
/**
 * The editor line a code lens sits above, read once the layout has settled: a lens that has just
 * been inserted pushes the lines below it down a moment later, so two readings must agree.
 */
export async function lensLine(page: Page, lens: Locator): Promise<number> {
  let last: number | undefined;
  let line: number | undefined;
  await waitUntil('the code lens and the lines around it to stop moving', async () => {
    await page.waitForTimeout(150);
    line = await lensLineNow(page, lens);
    const same = line === last;
    last = line;
    return same;
  });
  return line!;
}

async function lensLineNow(page: Page, lens: Locator): Promise<number> {
  const lensBox = await lens.boundingBox();
  if (!lensBox) throw new Error('the code lens is not on screen');
  const numbers = page.locator('.editor-instance .margin-view-overlays .line-numbers');
  const count = await numbers.count();
  let best: { line: number; dy: number } | undefined;
  for (let i = 0; i < count; i++) {
    const box = await numbers.nth(i).boundingBox();
    const text = (await numbers.nth(i).textContent())?.trim();
    if (!box || !text) continue;
    const dy = box.y - lensBox.y;
    if (dy > 0 && (!best || dy < best.dy)) best = { line: Number(text), dy };
  }
  if (!best) throw new Error('no editor line below the code lens');
  return best.line;
}

/** True when the canvas has at least one painted (non-transparent) pixel. */
export async function canvasPainted(canvas: Locator): Promise<boolean> {
  // Runs in the webview; typed structurally because this project's node tsconfig has no DOM lib.
  type Canvas2D = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null };
  return canvas.evaluate((el) => {
    const c = el as unknown as Canvas2D;
    if (c.width === 0 || c.height === 0) return false;
    const ctx = c.getContext('2d');
    if (!ctx) return false;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  });
}

/** mocha afterEach: a failed step leaves a screenshot of the screen it failed on. */
/**
 * Generates the plan from the palette and opens its Simulate tab. The palette lists the commands of
 * the extensions started when it opens: wait for Rollout Lens to show the tier in the status bar first,
 * as a person sees it has started.
 */
export async function openSimulateTab(page: Page, tier: string): Promise<FrameLocator> {
  await waitFor(page.locator('.statusbar-item', { hasText: tier }).first(), `${tier} in the status bar`, { timeout: 60_000 });
  await runCommand(page, 'Generate Rollout Plan');
  const view = webview(page);
  await waitFor(view.getByText('Deployment risk'), 'the plan\'s "Deployment risk" section in the webview', { timeout: 60_000 });
  await clickWhenReady(page, view.getByRole('tab', { name: /Simulat/ }).first(), 'the Simulate tab');
  return view;
}

export function screenshotOnFailure(getPage: () => Page | undefined, prefix: string) {
  return async function (this: Context): Promise<void> {
    const page = getPage();
    const test = this.currentTest;
    if (!page || !test || test.state !== 'failed') return;
    const file = await screenshot(page, `FAILED-${prefix}-${test.title}`).catch(() => undefined);
    if (file) process.stdout.write(`      screen at failure: ${file}\n`);
  };
}

/** The editor groups on screen (each split of the editor area is one). */
export function editorGroups(page: Page): Locator {
  return page.locator('.editor .split-view-view .editor-group-container');
}

/**
 * Runs a palette command that asks with a quick pick of its own, and waits for that pick (whose
 * input's label is `asks`): nothing in between presses Escape, which would close it.
 */
export async function runCommandThatAsks(page: Page, title: string, asks: string): Promise<void> {
  const row = await paletteRow(page, title);
  await waitFor(row, `the command "${title}" in the palette`);
  await page.keyboard.press('Enter');
  await waitFor(page.locator(`.quick-input-widget input[aria-label="${asks}"]`), `the question "${asks}"`);
}

/** Drags the side bar's edge until it is `width` pixels wide, as a person makes room to read it. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const bar = page.locator('.part.sidebar');
  const box = await bar.boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  await waitUntil(`the side bar to be ${width} px wide`, async () => ((await bar.boundingBox())?.width ?? 0) >= width - 4);
}

/**
 * mocha `after` for a suite's workbench: when a step failed, prints the browser's last console
 * errors; then closes the session and runs the suite's own cleanup.
 */
export function closeAfterSuite(getSession: () => Session | undefined, cleanup: () => void | Promise<void>) {
  return async function (this: Context): Promise<void> {
    const session = getSession();
    const failed = this.test?.parent?.tests.some((t) => t.state === 'failed');
    if (failed && session?.consoleErrors.length) process.stdout.write(`      browser console errors:\n        ${session.consoleErrors.slice(-10).join('\n        ')}\n`);
    await session?.close();
    await cleanup();
  };
}

/** The Source Control side bar, opened from its icon in the activity bar as a person does. */
export async function showSourceControl(page: Page): Promise<void> {
  const icon = page.locator('.activitybar').getByRole('tab', { name: /^Source Control/ }).first();
  await waitFor(icon, 'the Source Control icon in the activity bar');
  if ((await icon.getAttribute('aria-selected')) === 'true') return;
  await clickWhenReady(page, icon, 'the Source Control icon in the activity bar');
}

/** The "Rollout Risk" view of Source Control, open, with the panes above it folded to make room, as a person would. */
export async function showRiskView(page: Page): Promise<Locator> {
  await showSourceControl(page);
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Rollout Risk' }) });
  await waitFor(pane.locator('.pane-header'), 'the "Rollout Risk" view in Source Control');
  if ((await pane.locator('.pane-header').getAttribute('aria-expanded')) !== 'true') await clickWhenReady(page, pane.locator('.pane-header'), 'the "Rollout Risk" header');
  for (const other of ['Graph', 'Changes']) {
    const header = page.locator('.pane-header', { hasText: other }).first();
    if ((await header.count()) && (await header.getAttribute('aria-expanded')) === 'true') await clickWhenReady(page, header, `the "${other}" header`);
  }
  return pane;
}

/**
 * Shows the status item's hover as a person does: back in the code first (a focused webview's
 * frame keeps the workbench from showing status bar hovers), then the mouse brought onto the item
 * and left resting there until a hover holding `text` shows. The workbench starts a hover's delay
 * when the mouse enters its item; a move inside the item does not start it again once something
 * (the item redrawn by a new analysis, a click elsewhere) has cancelled it. So a try that shows
 * nothing takes the mouse away, waits until no hover is left, and enters the item afresh.
 * Resolves with that hover.
 */
export async function hoverStatusItem(page: Page, item: Locator, text: string): Promise<Locator> {
  await page.locator('.editor-group-container .monaco-editor .view-lines').filter({ visible: true }).first().click();
  const hover = page.locator('.workbench-hover-container, .monaco-hover').filter({ visible: true }).filter({ hasText: text }).first();
  await waitUntil("the status item's hover to show", async () => {
    await settle(page);
    await item.hover({ position: { x: 12, y: 8 } });
    return hover
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
  });
  return hover;
}
