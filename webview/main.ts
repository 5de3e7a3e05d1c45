/** The plan and simulation view: talks to the extension host only through the validated protocol. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { HostToWebview, PersistedViewState, PlanView, WhatIf } from '../src/protocol/messages';
import { byId, clear, h } from './dom';
import { Host } from './host';
import { focusFinding, renderPlan, tierBadge } from './planTab';
import { SimulateTab, TRACE_SOURCE, type SimulateSettings } from './simulateTab';
import { coverageText, strategyName } from './format';
import { applyBadgeContrast } from './badges';
import { keepFocusInView } from './focus';

const TABS = ['plan', 'simulate'] as const;

const banner = byId('banner');
function showBanner(message: string, ...more: Node[]): void {
  clear(banner);
  delete banner.dataset.kind;
  banner.append(h('span', { role: 'alert' }, message), ...more);
  banner.hidden = false;
}
function clearBanner(): void {
  clear(banner);
  banner.hidden = true;
}

const host = new Host((error) => {
  // An invalid message from the host is shown, never acted on.
  console.error(`Rollout Lens view: ${error}`);
  showBanner(`Rollout Lens: ignored a message from the extension (${error}).`);
});

let state: PersistedViewState = host.state();
let view: PlanView | undefined;
let traceId: string | undefined = state.trace?.id;
let pendingFocus: { file: string; line: number } | undefined;

const tabs = byId('tabs') as HTMLElement & { selectedIndex: number };
const planRoot = byId('plan');
const title = byId('title');

function persist(patch: Partial<PersistedViewState>): void {
  state = { ...state, ...patch };
  host.saveState(state);
}

function selectTab(tab: (typeof TABS)[number]): void {
  tabs.selectedIndex = TABS.indexOf(tab);
  persist({ tab });
}
tabs.addEventListener('vsc-tabs-select', (e) => {
  const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
  persist({ tab: TABS[index] ?? 'plan' });
});

const simulate = new SimulateTab(
  byId('simulate'),
  { source: state.scenario ?? '', seed: state.seed, fault: state.fault ?? '', runs: state.runs },
  {
    run: (s) => void runSimulation(s),
    loadTrace: () => void loadTrace('pickTrace'),
    replayPrometheus: () => void loadTrace('replayPrometheus'),
    whatIfChanged: (w) => {
      const whatIf = w.steps || Object.keys(w.gates).length ? w : undefined;
      persist({ whatIf });
      host.post({ type: 'whatIf', whatIf: whatIf ?? { gates: {} } });
      if (lastRun) void runSimulation(simulate.current());
    },
    saveWhatIf: (w) => void saveWhatIf(w),
    settingsChanged: (s) => persist({ scenario: s.source, seed: s.seed, fault: s.fault || undefined, runs: s.runs }),
  },
);
if (state.trace) simulate.traceLoaded(state.trace.name, state.trace.id, state.trace.coverage);

let lastRun = false;
let runToken = 0;

async function runSimulation(s: SimulateSettings): Promise<void> {
  persist({ scenario: s.source, seed: s.seed, fault: s.fault || undefined, runs: s.runs });
  if (s.source === TRACE_SOURCE && !traceId) {
    simulate.error('Load a recorded trace first (Load trace…).');
    return;
  }
  const token = ++runToken;
  lastRun = true;
  simulate.running();
  const reply = await host.request({
    type: 'simulate',
    request: {
      source: s.source === TRACE_SOURCE ? { kind: 'trace', traceId: traceId!, seed: s.seed } : { kind: 'scenario', scenario: s.source, seed: s.seed },
      fault: s.fault || undefined,
      runs: s.runs,
      whatIf: state.whatIf,
    },
  });
  // A newer run (a what-if edit while this one ran) wins.
  if (token !== runToken) return;
  if (reply.type === 'simulation') {
    const ranWith = simulate.ranWith(s);
    simulate.show(reply.result, reply.monteCarlo, ranWith);
    // Kept with the view's state: a moved or reloaded view shows this run again.
    persist({ last: { result: reply.result, ...(reply.monteCarlo ? { monteCarlo: reply.monteCarlo } : {}), settings: ranWith } });
  }
  else if (reply.type === 'error') simulate.error(reply.message);
}

/** A recorded trace from a file the user picks, or fetched from Prometheus: either way the Simulate tab's trace. */
async function loadTrace(type: 'pickTrace' | 'replayPrometheus'): Promise<void> {
  const reply = await host.request({ type });
  if (reply.type === 'traceLoaded') {
    traceId = reply.traceId;
    const name = `${reply.name} (${reply.metrics.join(', ')})`;
    const coverage = reply.coverage ? coverageText(reply.coverage.traceMinutes, reply.coverage.planMinutes).text : undefined;
    simulate.traceLoaded(name, reply.traceId, coverage);
    persist({ trace: { id: reply.traceId, name, ...(coverage ? { coverage } : {}) }, scenario: TRACE_SOURCE });
    selectTab('simulate');
    // A replay asks what the gates would have decided: answer it, with no further click on Run.
    if (type === 'replayPrometheus') await runSimulation(simulate.current());
  } else if (reply.type === 'error') {
    simulate.error(reply.message);
  }
}

async function saveWhatIf(w: WhatIf): Promise<void> {
  const reply = await host.request({ type: 'savePolicy', whatIf: w });
  if (reply.type === 'saved') {
    showBanner(`Saved to ${reply.file}. `, h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), host.post({ type: 'openPolicy' })) }, 'Open'));
  }
  else if (reply.type === 'error') showBanner(reply.message);
}

let restored = false;

function render(v: PlanView): void {
  view = v;
  // A plan built: an earlier failure to build one no longer holds.
  if (banner.dataset.kind === 'plan-error') clearBanner();
  clear(title);
  title.append(tierBadge(v.plan.tier), ` Rollout plan · ${strategyName(v.plan.strategy)}`);
  renderPlan(planRoot, v, {
    openFile: (file, line) => host.post({ type: 'openFile', file, line }),
    setChecklist: (id, done) => host.post({ type: 'setChecklist', item: id, done }),
    copyMarkdown: () => host.post({ type: 'copyMarkdown' }),
    chooseTier: () => host.post({ type: 'chooseTier' }),
    resetWhatIf: () => simulate.resetWhatIf(),
  });
  simulate.setPlan(v, state.whatIf);
  applyBadgeContrast();
  if (!restored) {
    restored = true;
    if (state.last) {
      lastRun = true;
      simulate.show(state.last.result, state.last.monteCarlo, state.last.settings);
    }
  }
  if (pendingFocus) {
    focusFinding(planRoot, pendingFocus);
    pendingFocus = undefined;
  }
}

host.onMessage((m: HostToWebview) => {
  switch (m.type) {
    case 'plan':
      render(m.view);
      break;
    case 'focus':
      selectTab('plan');
      if (view) focusFinding(planRoot, m.finding);
      else pendingFocus = m.finding;
      break;
    case 'showTab':
      selectTab(m.tab);
      break;
    case 'showSimulation':
      selectTab('simulate');
      if (m.result.scenario) {
        simulate.selectRun(m.result.scenario, m.result.seed ?? 1);
        persist({ scenario: m.result.scenario, seed: m.result.seed ?? 1, fault: undefined, runs: 1 });
      }
      simulate.show(m.result);
      break;
    case 'error':
      showBanner(m.message);
      banner.dataset.kind = 'plan-error';
      break;
    default:
      // Replies whose request is no longer pending (the view was reloaded meanwhile).
      break;
  }
});

new MutationObserver(() => {
  applyBadgeContrast();
  simulate.themeChanged();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
keepFocusInView();

selectTab(state.tab);
host.post({ type: 'ready' });
