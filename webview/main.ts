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
import { strategyName } from './format';

const TABS = ['plan', 'simulate'] as const;

const banner = byId('banner');
function showBanner(message: string): void {
  clear(banner);
  banner.append(h('span', { role: 'alert' }, message));
  banner.hidden = false;
}

const host = new Host((error) => {
  // An invalid message from the host is shown, never acted on.
  console.error(`Rollout Lens view: ${error}`);
  showBanner(`Rollout Lens: ignored a message from the extension (${error}).`);
});

let state: PersistedViewState = host.state();
let view: PlanView | undefined;
let traceId: string | undefined;
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
  },
);

let lastRun = false;
let runToken = 0;

async function runSimulation(s: SimulateSettings): Promise<void> {
  persist({ scenario: s.source === TRACE_SOURCE ? state.scenario : s.source, seed: s.seed, fault: s.fault || undefined, runs: s.runs });
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
  if (reply.type === 'simulation') simulate.show(reply.result, reply.monteCarlo);
  else if (reply.type === 'error') simulate.error(reply.message);
}

/** A recorded trace from a file the user picks, or fetched from Prometheus: either way the Simulate tab's trace. */
async function loadTrace(type: 'pickTrace' | 'replayPrometheus'): Promise<void> {
  const reply = await host.request({ type });
  if (reply.type === 'traceLoaded') {
    traceId = reply.traceId;
    simulate.traceLoaded(`${reply.name} (${reply.metrics.join(', ')})`);
    selectTab('simulate');
    // A replay asks what the gates would have decided: answer it, with no further click on Run.
    if (type === 'replayPrometheus') await runSimulation(simulate.current());
  } else if (reply.type === 'error') {
    simulate.error(reply.message);
  }
}

async function saveWhatIf(w: WhatIf): Promise<void> {
  const reply = await host.request({ type: 'savePolicy', whatIf: w });
  if (reply.type === 'saved') showBanner(`Saved to ${reply.file}.`);
  else if (reply.type === 'error') showBanner(reply.message);
}

function render(v: PlanView): void {
  view = v;
  clear(title);
  title.append(tierBadge(v.plan.tier), ` Rollout plan · ${strategyName(v.plan.strategy)}`);
  renderPlan(planRoot, v, {
    openFile: (file, line) => host.post({ type: 'openFile', file, line }),
    setChecklist: (id, done) => host.post({ type: 'setChecklist', item: id, done }),
    copyMarkdown: () => host.post({ type: 'copyMarkdown' }),
    chooseTier: () => host.post({ type: 'chooseTier' }),
  });
  simulate.setPlan(v, state.whatIf);
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
      break;
    default:
      // Replies whose request is no longer pending (the view was reloaded meanwhile).
      break;
  }
});

new MutationObserver(() => simulate.themeChanged()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

selectTab(state.tab);
host.post({ type: 'ready' });
