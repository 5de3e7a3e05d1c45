/** The Simulate tab: pick a scenario or a recorded trace, run it through the plan's gates, read the verdict and the charts. */
import type { MonteCarlo, PlanView, SimulationResult, WhatIf } from '../src/protocol/messages';
import { MetricChart } from './charts';
import { clear, h } from './dom';
import { formatMinutes, formatValue, percent } from './format';
import { baselineView } from './baselineView';
import { holdView } from './holdView';

export interface SimulateSettings {
  source: string;
  seed: number;
  fault: string;
  runs: number;
}

export interface SimulateActions {
  run(settings: SimulateSettings): void;
  loadTrace(): void;
  replayPrometheus(): void;
  whatIfChanged(whatIf: WhatIf): void;
  saveWhatIf(whatIf: WhatIf): void;
}

/** The value the source picker holds for "the recorded trace that was loaded". */
export const TRACE_SOURCE = 'trace';

type Field = HTMLElement & { value: string };
type Plan = PlanView['plan'];

/**
 * The element's `label` property names its inner input or combobox for screen readers; the host's
 * aria-label alone leaves the focusable control inside the shadow root without a name.
 */
function named(el: Field, label: string): Field {
  (el as Field & { label: string }).label = label;
  return el;
}

function field(label: string, value: string | number, attrs: Record<string, string> = {}): Field {
  const el = named(h('vscode-textfield', { value: String(value), 'aria-label': label, ...attrs }) as Field, label);
  // The element reads its step attribute as a number, so "any" becomes NaN and the inner input falls
  // back to whole steps, marking 0.2 or 99.5 invalid; the property passes "any" through as written.
  if (attrs.step === 'any') (el as Field & { step: unknown }).step = 'any';
  return el;
}

function labelled(text: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'control' }, h('span', {}, text), control);
}

function select(label: string, options: { value: string; label: string }[], selected: string): Field {
  const el = named(h('vscode-single-select', { 'aria-label': label }) as Field, label);
  for (const o of options) el.append(h('vscode-option', { value: o.value, selected: o.value === selected, description: '' }, o.label));
  el.value = selected;
  return el;
}

/** The thresholds and traffic steps a plan uses now: the starting point of the what-if editor. */
export function whatIfFromPlan(plan: Plan): Required<WhatIf> {
  const gates: Required<WhatIf>['gates'] = {};
  for (const st of plan.stages) for (const g of st.gates) gates[g.metric] ??= { warning: g.warning, critical: g.critical };
  const steps = plan.stages.filter((s) => s.number >= 3 && s.required).flatMap((s) => s.steps.map((x) => ({ trafficPercent: x.trafficPercent, waitHours: { ...x.waitHours } })));
  return { gates, steps };
}

export class SimulateTab {
  private charts: MetricChart[] = [];
  private traceName: string | undefined;
  private whatIf: Required<WhatIf> | undefined;
  private whatIfTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly controls = h('div', { class: 'controls', role: 'group', 'aria-label': 'Simulation settings' });
  private readonly whatIfBox = h('details', { class: 'card whatif' });
  private readonly result = h('div', { class: 'result', 'aria-live': 'polite' });
  private sourceSelect!: Field;
  private seedField!: Field;
  private faultSelect!: Field;
  private runsField!: Field;
  private view: PlanView | undefined;

  constructor(
    root: HTMLElement,
    private settings: SimulateSettings,
    private readonly actions: SimulateActions,
  ) {
    root.append(this.controls, this.whatIfBox, this.result);
  }

  /** Rebuilds the controls for a plan (new scenarios, new gates) and keeps what the user chose. */
  setPlan(view: PlanView, whatIf: WhatIf | undefined): void {
    this.view = view;
    if (!this.settings.source || (this.settings.source !== TRACE_SOURCE && !view.scenarios.some((s) => s.name === this.settings.source))) {
      this.settings.source = view.defaultScenario;
    }
    const base = whatIfFromPlan(view.plan);
    this.whatIf = { gates: { ...base.gates, ...(whatIf?.gates ?? {}) }, steps: whatIf?.steps ?? base.steps };
    this.renderControls();
    this.renderWhatIf();
  }

  current(): SimulateSettings {
    return { ...this.settings };
  }

  /** Sets the controls to a run made outside the view ("Simulate Rollout…"), so they name what the result is of. */
  selectRun(scenario: string, seed: number): void {
    this.settings = { ...this.settings, source: scenario, seed, fault: '', runs: 1 };
    this.renderControls();
  }

  traceLoaded(name: string): void {
    this.traceName = name;
    this.settings.source = TRACE_SOURCE;
    this.renderControls();
  }

  private renderControls(): void {
    const view = this.view;
    if (!view) return;
    clear(this.controls);
    const options = view.scenarios.map((s) => ({ value: s.name, label: `${s.name} — ${s.description}` }));
    if (this.traceName) options.push({ value: TRACE_SOURCE, label: `Recorded trace: ${this.traceName}` });
    this.sourceSelect = select('Scenario or trace', options, this.settings.source);
    this.seedField = field('Random seed', this.settings.seed, { type: 'number', min: '0' });
    this.faultSelect = select('Fault to inject', [{ value: '', label: 'No fault' }, ...view.faults.map((f) => ({ value: f.name, label: `${f.name} — ${f.description}` }))], this.settings.fault);
    this.runsField = field('Runs (more than 1 is a Monte Carlo run)', this.settings.runs, { type: 'number', min: '1', max: '10000' });
    const run = h('vscode-button', { id: 'run', onclick: () => this.run() }, 'Run');
    const load = h('vscode-button', { secondary: true, onclick: () => this.actions.loadTrace() }, 'Load trace…');
    const replay = h('vscode-button', { secondary: true, onclick: () => this.actions.replayPrometheus() }, 'Replay from Prometheus…');
    for (const el of [this.sourceSelect, this.faultSelect, this.seedField, this.runsField]) el.addEventListener('change', () => this.readControls());
    this.controls.append(
      labelled('Scenario', this.sourceSelect),
      labelled('Seed', this.seedField),
      labelled('Fault', this.faultSelect),
      labelled('Runs', this.runsField),
      h('div', { class: 'buttons' }, run, load, replay),
    );
  }

  private readControls(): void {
    const seed = Number.parseInt(this.seedField.value, 10);
    const runs = Number.parseInt(this.runsField.value, 10);
    this.settings = {
      source: this.sourceSelect.value,
      seed: Number.isFinite(seed) ? seed : 1,
      fault: this.faultSelect.value,
      runs: Number.isFinite(runs) && runs >= 1 ? Math.min(runs, 10_000) : 1,
    };
  }

  run(): void {
    this.readControls();
    this.actions.run(this.current());
  }

  private renderWhatIf(): void {
    const w = this.whatIf;
    if (!w) return;
    const open = this.whatIfBox.hasAttribute('open');
    clear(this.whatIfBox);
    this.whatIfBox.append(h('summary', {}, 'What if: thresholds, waits and traffic steps'));
    if (open) this.whatIfBox.setAttribute('open', '');
    const labels = new Map<string, { label: string; unit: string }>();
    for (const st of this.view?.plan.stages ?? []) for (const g of st.gates) labels.set(g.metric, { label: g.label, unit: g.unit });
    const gateRows = Object.entries(w.gates).map(([metric, t]) => {
      const name = labels.get(metric)?.label ?? metric;
      const unit = labels.get(metric)?.unit ?? '';
      const warn = field(`${name} warning threshold`, t.warning, { type: 'number', step: 'any' });
      const crit = field(`${name} critical threshold`, t.critical, { type: 'number', step: 'any' });
      const update = () => {
        const wv = Number(warn.value);
        const cv = Number(crit.value);
        if (warn.value.trim() === '' || crit.value.trim() === '' || !Number.isFinite(wv) || !Number.isFinite(cv)) return;
        w.gates[metric] = { warning: wv, critical: cv };
        this.changed();
      };
      warn.addEventListener('input', update);
      crit.addEventListener('input', update);
      return h('tr', {}, h('th', { scope: 'row' }, `${name}${unit ? ` (${unit})` : ''}`), h('td', {}, warn), h('td', {}, crit));
    });
    const stepRows = w.steps.map((s, i) => {
      const traffic = field(`Step ${i + 1} traffic percent`, s.trafficPercent, { type: 'number', min: '0', max: '100' });
      const min = field(`Step ${i + 1} minimum wait in hours`, s.waitHours.min, { type: 'number', min: '0', step: 'any' });
      const max = field(`Step ${i + 1} maximum wait in hours`, s.waitHours.max, { type: 'number', min: '0', step: 'any' });
      const update = () => {
        const t = Number(traffic.value);
        const a = Number(min.value);
        const b = Number(max.value);
        if (![t, a, b].every(Number.isFinite) || t < 0 || t > 100 || a < 0 || b < a) return;
        w.steps[i] = { trafficPercent: t, waitHours: { min: a, max: b } };
        this.changed();
      };
      for (const f of [traffic, min, max]) f.addEventListener('input', update);
      return h('tr', {}, h('th', { scope: 'row' }, `Step ${i + 1}`), h('td', {}, traffic), h('td', {}, min), h('td', {}, max));
    });
    const reset = h('vscode-button', { secondary: true, onclick: () => this.resetWhatIf() }, 'Reset');
    const save = h('vscode-button', { onclick: () => this.actions.saveWhatIf(this.whatIf!) }, 'Save to policy…');
    this.whatIfBox.append(
      h('p', { class: 'muted' }, 'Changes re-run the simulation at once. Nothing is written until you choose "Save to policy".'),
      h('table', { class: 'gates', 'aria-label': 'Gate thresholds' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'), h('th', { scope: 'col' }, 'Warning'), h('th', { scope: 'col' }, 'Critical'))), h('tbody', {}, ...gateRows)),
      w.steps.length
        ? h('table', { class: 'gates', 'aria-label': 'Traffic steps of stages 3 to 5' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Step'), h('th', { scope: 'col' }, 'Traffic %'), h('th', { scope: 'col' }, 'Wait min (h)'), h('th', { scope: 'col' }, 'Wait max (h)'))), h('tbody', {}, ...stepRows))
        : h('p', { class: 'muted' }, 'This tier has no traffic steps to edit.'),
      h('div', { class: 'buttons' }, reset, save),
    );
  }

  private resetWhatIf(): void {
    if (!this.view) return;
    this.whatIf = whatIfFromPlan(this.view.plan);
    this.renderWhatIf();
    this.actions.whatIfChanged({ gates: {}, steps: undefined });
  }

  private changed(): void {
    if (this.whatIfTimer) clearTimeout(this.whatIfTimer);
    const snapshot = structuredClone(this.whatIf!);
    this.whatIfTimer = setTimeout(() => this.actions.whatIfChanged(snapshot), 350);
  }

  running(): void {
    clear(this.result);
    this.result.append(h('div', { class: 'running' }, h('vscode-progress-ring', { 'aria-label': 'Simulating' }), ' Simulating…'));
  }

  error(message: string): void {
    clear(this.result);
    this.result.append(h('p', { class: 'error', role: 'alert' }, message));
  }

  show(result: SimulationResult, mc?: MonteCarlo): void {
    this.charts.forEach((c) => c.destroy());
    this.charts = [];
    clear(this.result);
    const verdictClass = result.outcome === 'promoted' ? 'ok' : result.outcome === 'rolled_back' ? 'bad' : 'held';
    this.result.append(h('p', { class: `verdict ${verdictClass}`, role: 'status', id: 'verdict' }, result.verdict));
    // What the verdict was judged on, as the CLI prints it under the verdict: the Prometheus server
    // or trace file, or the scenario and seed.
    const about = [result.source ?? (result.scenario ? `scenario ${result.scenario}, seed ${result.seed}` : undefined), result.blastRadius !== undefined ? `blast radius ${result.blastRadius} user-traffic-minutes` : undefined];
    this.result.append(h('p', { class: 'muted', id: 'verdict-source' }, about.filter(Boolean).join(' · ')));
    if (mc) this.result.append(monteCarloSummary(mc));
    if (result.dataIssues.length) {
      this.result.append(h('ul', { class: 'issues', 'aria-label': 'Problems in the trace data' }, ...result.dataIssues.map((d) => h('li', { class: 'warning' }, `${d.metric}: ${d.message}`))));
    }
    this.result.append(stageTable(result), holdView(result), baselineView(result));
    // Stages that start at the same minute (a 0-minute stage) share one marker: "1, 2 Integration".
    const starts = new Map<number, { numbers: number[]; name: string }>();
    for (const s of result.stages) {
      if (s.decision === 'skipped' || s.decision === 'not_reached') continue;
      const at = starts.get(s.startMinute) ?? { numbers: [], name: '' };
      at.numbers.push(s.number);
      at.name = s.name;
      starts.set(s.startMinute, at);
    }
    const marks = {
      stages: [...starts].map(([minute, v]) => ({ minute, label: `${v.numbers.join(', ')} ${v.name}`, short: v.numbers.join(', ') })),
      rollbackMinute: result.rollback?.minute,
    };
    // Names every marked stage once: a chart with no room for a label shows only its number.
    const marked = result.stages.filter((s) => s.decision !== 'skipped' && s.decision !== 'not_reached');
    if (marked.length) this.result.append(h('p', { class: 'stage-key' }, `Dotted lines: where each stage starts — ${marked.map((s) => `${s.number} ${s.name}`).join(' · ')}`));
    const grid = h('div', { class: 'charts' });
    this.result.append(grid);
    for (const s of result.series) {
      const canvas = h('canvas', { role: 'img', 'aria-label': `${s.label} over time, warning ${formatValue(s.warning, s.unit)}, critical ${formatValue(s.critical, s.unit)}` });
      grid.append(h('figure', { class: 'chart' }, h('figcaption', {}, s.label), h('div', { class: 'canvas-box' }, canvas)));
      this.charts.push(new MetricChart(canvas, s, marks));
    }
    if (result.alerts.length) {
      const shown = result.alerts.slice(0, 50);
      this.result.append(
        h('h3', {}, `Alerts (${result.alerts.length})`),
        h('ul', { class: 'alerts' }, ...shown.map((a) => h('li', { class: a.severity }, `${formatMinutes(a.minute)} · stage ${a.stage} · ${a.metric} ${formatValue(a.value, '')} vs ${a.severity} ${formatValue(a.threshold, '')}${a.message ? ` — ${a.message}` : ''}`))),
      );
    }
  }

  /** Charts re-read their colours when the theme changes. */
  themeChanged(): void {
    this.charts.forEach((c) => c.applyTheme());
  }
}

function stageTable(result: SimulationResult): HTMLElement {
  return h(
    'table',
    { class: 'gates', 'aria-label': 'Stage decisions' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Stage'), h('th', { scope: 'col' }, 'Decision'), h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'To'), h('th', { scope: 'col' }, 'Why'))),
    h(
      'tbody',
      {},
      ...result.stages.map((s) =>
        h(
          'tr',
          { class: `decision-${s.decision}` },
          h('th', { scope: 'row' }, `${s.number} · ${s.name}`),
          h('td', {}, s.decision.replace('_', ' ')),
          h('td', {}, s.decision === 'not_reached' || s.decision === 'skipped' ? '—' : formatMinutes(s.startMinute)),
          h('td', {}, s.decision === 'not_reached' || s.decision === 'skipped' ? '—' : formatMinutes(s.endMinute)),
          h('td', {}, s.reason ?? ''),
        ),
      ),
    ),
  );
}

function monteCarloSummary(mc: MonteCarlo): HTMLElement {
  // Shares are 0–1 of all runs.
  const pct = (share: number) => percent(share, 1);
  const bar = h('div', { class: 'share-bar', role: 'img', 'aria-label': `${pct(mc.promoted)} promoted, ${pct(mc.rolledBack)} rolled back, ${pct(mc.halted)} halted` });
  for (const [cls, share] of [['ok', mc.promoted], ['bad', mc.rolledBack], ['held', mc.halted]] as const) {
    if (share <= 0) continue;
    const seg = h('span', { class: cls });
    seg.style.flexGrow = String(share);
    bar.append(seg);
  }
  const b = mc.blastRadius;
  return h(
    'div',
    { class: 'card mc' },
    h('h3', {}, `Monte Carlo: ${mc.runs} runs of "${mc.scenario}" (seeds ${mc.firstSeed}–${mc.firstSeed + mc.runs - 1})`),
    bar,
    h('p', {}, `Promoted ${pct(mc.promoted)} · rolled back ${pct(mc.rolledBack)} · halted ${pct(mc.halted)}`),
    mc.caughtAt.length
      ? h('p', { class: 'muted' }, 'Caught at: ', mc.caughtAt.map((c) => `stage ${c.stage} ${c.name} ${pct(c.share)} (${c.rolledBack} rolled back, ${c.halted} held)`).join('; '))
      : null,
    h('p', {}, `Blast radius (user-traffic-minutes on the new version before it was stopped): median ${b.median.toFixed(0)}, p95 ${b.p95.toFixed(0)}, max ${b.max.toFixed(0)}`),
  );
}
