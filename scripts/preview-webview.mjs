// Renders the plan/simulate webview outside VS Code, with a fake `acquireVsCodeApi` answering from a
// real plan and real simulations (src/core), under the same CSP the extension sets, in dark, light
// and high-contrast themes. Writes screenshots to test-output/webview/ and fails on any console
// error or CSP violation.   Usage: node scripts/preview-webview.mjs
import * as esbuild from 'esbuild';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'test-output', 'webview');
mkdirSync(outDir, { recursive: true });

/** Builds a plan for the example HIGH-risk change and simulations of it, with the project's own core. */
async function sampleData() {
  const entry = `
    import { buildPlan, planToMarkdown } from './src/core/plan';
    import { DEFAULT_POLICY } from './src/core/policy/schema';
    import { simulateScenario, scenarioModel } from './src/core/sim/simulate';
    import { monteCarlo } from './src/core/sim/montecarlo';
    import { SCENARIOS, SCENARIO_NAMES } from './src/core/sim/scenarios';
    import { FAULT_PRESETS } from './src/extension/faults';
    import { shellHtml } from './src/extension/panel/html';
    const assessment = {
      tier: 'HIGH',
      summary: { filesChanged: 2, linesAdded: 4, linesDeleted: 1 },
      flags: [{ name: 'new-checkout', tier: 'MEDIUM', files: ['src/checkout/flow.ts'] }],
      files: [
        { path: 'db/migrations/002_drop_email.sql', status: 'untracked', tier: 'HIGH', ranges: [{ start: 1, end: 3 }], linesAdded: 3, linesDeleted: 0,
          findings: [{ rule: 'migration-breaking', tier: 'HIGH', line: 3, message: 'drops column \`users.email\`: breaking for running code', short: 'breaking migration' }] },
        { path: 'src/payments/charge.ts', status: 'modified', tier: 'HIGH', ranges: [{ start: 9, end: 10 }], linesAdded: 2, linesDeleted: 1,
          findings: [{ rule: 'payment', tier: 'HIGH', line: 9, message: 'changes the amount charged in \`chargeCustomer\`', short: 'payment processing' }] },
      ],
    };
    const plan = buildPlan(assessment, DEFAULT_POLICY, { start: new Date('2026-03-10T09:00:00Z'), timezone: 'Europe/Berlin' });
    const findings = assessment.files.flatMap((f) => f.findings.map((x) => ({ file: f.path, line: x.line, tier: x.tier, rule: x.rule, message: x.message })));
    export const view = {
      plan, markdown: planToMarkdown(plan), findings, tierSource: 'analysis', restricted: false,
      scenarios: SCENARIO_NAMES.map((name) => ({ name, description: SCENARIOS[name].description })),
      faults: FAULT_PRESETS.map(({ name, description }) => ({ name, description })),
      defaultScenario: 'error-spike', checklist: { tests: true, review: true },
    };
    export function simulate(scenario, seed, runs) {
      const result = simulateScenario(plan, scenario, seed);
      return runs > 1 ? { result, monteCarlo: monteCarlo(scenarioModel(plan, scenario), runs, seed) } : { result };
    }
    export { shellHtml };
  `;
  const out = await esbuild.build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, write: false, platform: 'node', format: 'cjs', logLevel: 'warning' });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
  return mod.exports;
}

const THEMES = {
  dark: {
    class: 'vscode-dark',
    vars: {
      'foreground': '#cccccc', 'descriptionForeground': '#9d9d9d', 'editor-background': '#1f1f1f', 'sideBar-background': '#181818',
      'widget-border': '#313131', 'panel-border': '#2b2b2b', 'focusBorder': '#0078d4', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc',
      'charts-red': '#f14c4c', 'charts-orange': '#d18616', 'charts-yellow': '#cca700', 'charts-blue': '#3794ff', 'charts-green': '#89d185',
      'errorForeground': '#f85149', 'editorWarning-foreground': '#cca700', 'textBlockQuote-background': '#2b2b2b', 'textBlockQuote-border': '#616161',
      'textCodeBlock-background': '#2b2b2b', 'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c',
      'diffEditor-insertedTextBackground': 'rgba(156,204,44,0.2)', 'diffEditor-removedTextBackground': 'rgba(255,0,0,0.2)', 'editor-findMatchHighlightBackground': 'rgba(234,92,0,0.33)',
      'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
      'notifications-background': '#1f1f1f', 'notifications-foreground': '#cccccc', 'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c', 'tab-activeForeground': '#ffffff', 'panelTitle-activeBorder': '#0078d4', 'panelTitle-activeForeground': '#e7e7e7', 'panelTitle-inactiveForeground': '#9d9d9d',
    },
  },
  light: {
    class: 'vscode-light',
    vars: {
      'foreground': '#3b3b3b', 'descriptionForeground': '#717171', 'editor-background': '#ffffff', 'sideBar-background': '#f8f8f8',
      'widget-border': '#e5e5e5', 'panel-border': '#e5e5e5', 'focusBorder': '#005fb8', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b',
      'charts-red': '#e51400', 'charts-orange': '#d18616', 'charts-yellow': '#bf8803', 'charts-blue': '#1a85ff', 'charts-green': '#388a34',
      'errorForeground': '#f85149', 'editorWarning-foreground': '#bf8803', 'textBlockQuote-background': '#f8f8f8', 'textBlockQuote-border': '#e5e5e5',
      'textCodeBlock-background': '#f8f8f8', 'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'dropdown-background': '#ffffff', 'dropdown-border': '#cecece',
      'diffEditor-insertedTextBackground': 'rgba(156,204,44,0.25)', 'diffEditor-removedTextBackground': 'rgba(255,0,0,0.15)', 'editor-findMatchHighlightBackground': 'rgba(234,92,0,0.25)',
      'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
      'notifications-background': '#ffffff', 'notifications-foreground': '#3b3b3b', 'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece',
      'settings-textInputBackground': '#ffffff', 'settings-textInputForeground': '#3b3b3b', 'settings-textInputBorder': '#cecece',
      'settings-dropdownBackground': '#ffffff', 'settings-dropdownForeground': '#3b3b3b', 'settings-dropdownBorder': '#cecece', 'panelTitle-activeBorder': '#005fb8', 'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-inactiveForeground': '#717171',
    },
  },
  'high-contrast': {
    class: 'vscode-high-contrast',
    vars: {
      'foreground': '#ffffff', 'descriptionForeground': '#ffffff', 'editor-background': '#000000', 'sideBar-background': '#000000', 'contrastBorder': '#6fc3df',
      'widget-border': '#6fc3df', 'panel-border': '#6fc3df', 'focusBorder': '#f38518', 'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'button-border': '#6fc3df',
      'charts-red': '#f48771', 'charts-orange': '#ffa500', 'charts-yellow': '#ffff00', 'charts-blue': '#3794ff', 'charts-green': '#89d185',
      'errorForeground': '#f48771', 'editorWarning-foreground': '#ffd700', 'textBlockQuote-background': '#000000', 'textBlockQuote-border': '#ffffff',
      'textCodeBlock-background': '#000000', 'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'dropdown-background': '#000000', 'dropdown-border': '#6fc3df',
      'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
      'notifications-background': '#000000', 'notifications-foreground': '#ffffff', 'checkbox-background': '#000000', 'checkbox-border': '#6fc3df', 'panelTitle-activeBorder': '#f38518', 'panelTitle-activeForeground': '#ffffff', 'panelTitle-inactiveForeground': '#ffffff',
    },
  },
};

const data = await sampleData();
const simulations = new Map();
const simulationFor = (scenario, seed, runs) => {
  const key = `${scenario}#${seed}#${runs}`;
  if (!simulations.has(key)) simulations.set(key, data.simulate(scenario, seed, runs));
  return simulations.get(key);
};

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const theme = THEMES[url.searchParams.get('theme') ?? 'dark'];
  const send = (type, body) => (res.writeHead(200, { 'content-type': type }), res.end(body));
  if (url.pathname === '/dist/webview.js') return send('text/javascript', readFileSync(path.join(root, 'dist/webview.js')));
  if (url.pathname === '/media/webview.css') return send('text/css', readFileSync(path.join(root, 'media/webview.css')));
  if (url.pathname === '/theme.css') {
    return send('text/css', `html { ${Object.entries(theme.vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ')} }`);
  }
  if (url.pathname === '/fake-host.js') {
    // Plays the extension host: answers `ready` with the plan and `simulate` with real results.
    return send('text/javascript', `
      (() => {
        let state;
        window.__posted = [];
        window.acquireVsCodeApi = () => ({
          getState: () => state, setState: (s) => { state = s; },
          postMessage: (m) => { window.__posted.push(m); setTimeout(() => window.__answer(m), 0); },
        });
        window.__answer = async (m) => {
          if (m.type === 'ready') window.postMessage({ type: 'plan', view: ${JSON.stringify(data.view)} }, '*');
          if (m.type === 'simulate') {
            const r = await window.__simulate(m.request.source.scenario, m.request.source.seed, m.request.runs);
            window.postMessage({ type: 'simulation', id: m.id, ...r }, '*');
          }
        };
      })();`);
  }
  if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
  if (url.pathname === '/') {
    const origin = `http://127.0.0.1:${server.address().port}`;
    const nonce = 'previewnonce0123456789';
    let html = data.shellHtml({ cspSource: origin, nonce, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/media/webview.css` });
    html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${origin}/theme.css?theme=${url.searchParams.get('theme')}">\n<link rel="stylesheet"`);
    html = html.replace('<body>', `<body class="${theme.class}">`);
    html = html.replace(`<script nonce="${nonce}" src=`, `<script nonce="${nonce}" src="${origin}/fake-host.js"></script>\n<script nonce="${nonce}" src=`);
    return send('text/html', html);
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--disable-gpu', '--no-first-run'] });
const problems = [];
try {
  for (const name of Object.keys(THEMES)) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && problems.push(`${name}: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
    // The simulator runs here in node, as it runs in the extension host; the page's CSP forbids fetch.
    await page.exposeFunction('__simulate', (scenario, seed, runs) => simulationFor(scenario, seed, runs));
    await page.goto(`${origin}/?theme=${name}`);
    await page.waitForSelector('.timeline .stage');
    await page.screenshot({ path: path.join(outDir, `plan-${name}.png`), fullPage: true });
    await page.locator('vscode-tab-header', { hasText: 'Simulate' }).click();
    await page.waitForSelector('#run');
    await page.locator('vscode-textfield[aria-label^="Runs"]').evaluate((el) => { el.value = '200'; el.dispatchEvent(new Event('change')); });
    await page.locator('#run').click();
    await page.waitForSelector('#verdict', { timeout: 15000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(outDir, `simulate-${name}.png`), fullPage: true });
    console.log(`${name}: verdict "${await page.locator('#verdict').textContent()}"`);
    // A healthy run spans the whole plan (49 h for HIGH): stages 1–3 start within its first hour.
    await page.locator('vscode-textfield[aria-label^="Runs"]').evaluate((el) => { el.value = '1'; el.dispatchEvent(new Event('change')); });
    await page.locator('vscode-single-select[aria-label="Scenario or trace"]').evaluate((el) => { el.value = 'healthy'; el.dispatchEvent(new Event('change')); });
    await page.locator('#run').click();
    await page.waitForFunction(() => !document.querySelector('#verdict')?.textContent?.startsWith('Rolled back'), undefined, { timeout: 15000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(outDir, `simulate-healthy-${name}.png`), fullPage: true });
    console.log(`${name}: verdict "${await page.locator('#verdict').textContent()}"`);
    // Stage labels sharing a row must not overlap (each chart writes where it put them).
    for (const raw of await page.locator('canvas[data-stage-labels]').evaluateAll((cs) => cs.map((c) => c.dataset.stageLabels))) {
      const labels = JSON.parse(raw);
      for (const a of labels) for (const b of labels) {
        if (a !== b && a.row === b.row && a.x < b.x + b.width && b.x < a.x + a.width) problems.push(`${name}: stage labels "${a.text}" and "${b.text}" overlap`);
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`screenshots in ${path.relative(root, outDir)}/`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
