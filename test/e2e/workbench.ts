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
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
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
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relPath);
  const name = relPath.split('/').pop()!;
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** F1, type the command's title, wait for it in the list (an Enter before that runs nothing), Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // The row whose label is exactly the title: "Preferences: Color Theme" also matches other theme commands.
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.getByText(title, { exact: true }) }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

/** Picks an entry in an open quick pick (e.g. a theme in "Preferences: Color Theme"). */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
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
export async function lensLine(page: Page, lens: Locator): Promise<number> {
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
export function screenshotOnFailure(getPage: () => Page | undefined, prefix: string) {
  return async function (this: Context): Promise<void> {
    const page = getPage();
    const test = this.currentTest;
    if (!page || !test || test.state !== 'failed') return;
    const file = await screenshot(page, `FAILED-${prefix}-${test.title}`).catch(() => undefined);
    if (file) process.stdout.write(`      screen at failure: ${file}\n`);
  };
}
