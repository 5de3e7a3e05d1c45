/** The Simulate tab: pick a scenario or a recorded trace, run it through the plan's gates, read the verdict and the charts. */
import { whatIfChanges, whatIfOfPlan, type MonteCarlo, type PlanView, type SimulationResult, type WhatIf } from '../src/protocol/messages';
import { formShape, gateKey, readWhatIf, stepKey, type FieldProblem, type GateFields } from './whatIfForm';
import { MetricChart } from './charts';
import { chartMarks } from './chartMarks';
import { clear, h } from './dom';
import { customFault, formatMinutes, formatValue, percent, splitFault } from './format';
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
  /** The what-if values that differ from the saved policy (none: back to it). */
  whatIfChanged(whatIf: WhatIf): void;
  saveWhatIf(whatIf: WhatIf): void;
  settingsChanged?(settings: SimulateSettings): void;
}

/** The value the source picker holds for "the recorded trace that was loaded". */
export const TRACE_SOURCE = 'trace';

/** The value the fault picker holds for "a fault I write myself". */
const CUSTOM_FAULT = 'custom';

type Field = HTMLElement & { value: string };

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
export const whatIfFromPlan = whatIfOfPlan;

/** A settings line to compare a shown result with the controls: which source, seed, fault and runs. */
export function settingsKey(s: SimulateSettings, traceId?: string): string {
  return JSON.stringify(s.source === TRACE_SOURCE ? [s.source, traceId ?? '', s.fault] : [s.source, s.seed, s.fault, s.runs]);
}

/**
 * The what-if fields are text fields read as numbers: a number field reports a half-typed "2." as
 * empty, and the element writes that back into the field when it next renders, wiping what is
 * being typed. The form checks the numbers itself (whatIfForm.ts).
 */
const DECIMAL = { type: 'text', inputmode: 'decimal' };

/** How long a pause in typing is before the form checks the value and re-runs. */
const PAUSE_MS = 600;

interface GateRow extends Omit<GateFields, 'warning' | 'critical'> {
  warn: Field;
  crit: Field;
  error: HTMLElement;
}

interface StepRow {
  traffic: Field;
  min: Field;
  max: Field;
  error: HTMLElement;
}

export class SimulateTab {
  private charts: MetricChart[] = [];
  private traceName: string | undefined;
  private traceId: string | undefined;
  /** What the form shows, and what the saved policy gives. */
  private whatIf: Required<WhatIf> | undefined;
  private saved: Required<WhatIf> | undefined;
  private whatIfTimer: ReturnType<typeof setTimeout> | undefined;
  private committed = '';
  private shape = '';
  private controlsShape = '';
  private gateRows: GateRow[] = [];
  private stepRows: StepRow[] = [];
  private shownSettings: string | undefined;
  private readonly controls = h('div', { class: 'controls', role: 'group', 'aria-label': 'Simulation settings' });
  private readonly whatIfBox = h('details', { class: 'card whatif' });
  /** The verdict repeated above the form, for a reader scrolled down to it. */
  private readonly whatIfVerdict = h('p', { class: 'whatif-verdict', hidden: true });
  private readonly status = h('div', { class: 'sim-status', role: 'status' });
  /** "Simulating…", floating over the page so that nothing on it moves while a run is under way. */
  private readonly busy = h('div', { class: 'sim-busy', hidden: true }, h('vscode-progress-ring', { 'aria-label': 'Simulating' }), ' Simulating…');
  private readonly result = h('div', { class: 'result', id: 'result' });
  private sourceSelect!: Field;
  private seedField!: Field;
  private faultSelect!: Field;
  private runsField!: Field;
  private seedControl!: HTMLElement;
  private runsControl!: HTMLElement;
  private customControl!: HTMLElement;
  private customFaultField!: Field;
  private customFromField!: Field;
  private coverage: string | undefined;
  private view: PlanView | undefined;

  constructor(
    root: HTMLElement,
    private settings: SimulateSettings,
    private readonly actions: SimulateActions,
  ) {
    root.append(this.controls, this.status, this.result, this.whatIfBox, this.busy);
  }

  /** Follows a new plan: rebuilds a part only when its shape changed (new scenarios, other gates), else updates values in place. */
  setPlan(view: PlanView, whatIf: WhatIf | undefined): void {
    this.view = view;
    if (!this.settings.source || (this.settings.source !== TRACE_SOURCE && !view.scenarios.some((s) => s.name === this.settings.source))) {
      this.settings.source = view.defaultScenario;
    }
    this.renderControls();
    this.saved = view.saved ?? whatIfOfPlan(view.plan);
    const edited = { gates: { ...this.saved.gates, ...(whatIf?.gates ?? {}) }, steps: whatIf?.steps ?? this.saved.steps };
    const shape = formShape(edited) + JSON.stringify(this.gateLabels());
    this.whatIf = edited;
    if (shape !== this.shape) {
      this.shape = shape;
      this.renderWhatIf();
    } else if (this.whatIfTimer === undefined) this.fillWhatIf();
    this.committed = JSON.stringify(whatIfChanges(this.saved, edited));
  }

  current(): SimulateSettings {
    return { ...this.settings };
  }

  /** Sets the controls to a run made outside the view ("Simulate Rollout…"), so they name what the result is of. */
  selectRun(scenario: string, seed: number): void {
    this.settings = { ...this.settings, source: scenario, seed, fault: '', runs: 1 };
    this.controlsShape = '';
    this.renderControls();
  }

  traceLoaded(name: string, id: string, coverage?: string): void {
    this.traceName = name;
    this.traceId = id;
    this.coverage = coverage;
    this.controlsShape = '';
    this.settings.source = TRACE_SOURCE;
    this.renderControls();
    this.markStale();
  }

  private renderControls(): void {
    const view = this.view;
    if (!view) return;
    const options = view.scenarios.map((s) => ({ value: s.name, label: `${s.name} — ${s.description}` }));
    if (this.traceName) options.push({ value: TRACE_SOURCE, label: `Recorded trace: ${this.traceName}` });
    const faults = [{ value: '', label: 'No fault' }, ...view.faults.map((f) => ({ value: f.name, label: `${f.name} — ${f.description}` })), { value: CUSTOM_FAULT, label: 'Custom fault…' }];
    const custom = this.settings.fault !== '' && !view.faults.some((f) => f.name === this.settings.fault);
    const shape = JSON.stringify([options, faults, this.settings.source]);
    if (shape === this.controlsShape) return;
    this.controlsShape = shape;
    clear(this.controls);
    this.sourceSelect = select('Scenario or trace', options, this.settings.source);
    this.seedField = field('Random seed', this.settings.seed, { type: 'number', min: '0' });
    this.faultSelect = select('Fault to inject', faults, custom ? CUSTOM_FAULT : this.settings.fault);
    const [customText, customFrom] = custom ? splitFault(this.settings.fault) : ['', ''];
    this.customFaultField = field('Custom fault, e.g. error_rate=+2 or latency_p95_ms=x3', customText, { placeholder: 'error_rate=+2' });
    this.customFromField = field('Custom fault from minute', customFrom, { type: 'number', min: '0', placeholder: '0' });
    this.runsField = field('Runs (more than 1 is a Monte Carlo run)', this.settings.runs, { type: 'number', min: '1', max: '10000' });
    const run = h('vscode-button', { id: 'run', onclick: () => this.run() }, 'Run');
    const load = h('vscode-button', { secondary: true, onclick: () => this.actions.loadTrace() }, 'Load trace…');
    const replay = h('vscode-button', { secondary: true, onclick: () => this.actions.replayPrometheus() }, 'Replay from Prometheus…');
    for (const el of [this.sourceSelect, this.faultSelect, this.seedField, this.runsField, this.customFaultField, this.customFromField]) el.addEventListener('change', () => this.readControls());
    this.seedControl = labelled('Seed', this.seedField);
    this.runsControl = labelled('Runs', this.runsField);
    this.customControl = h('div', { class: 'custom-fault' }, labelled('Custom fault', this.customFaultField), labelled('From minute', this.customFromField));
    this.controls.append(
      labelled('Scenario', this.sourceSelect),
      this.seedControl,
      labelled('Fault', this.faultSelect),
      this.customControl,
      this.runsControl,
      h('div', { class: 'buttons' }, run, load, replay),
      ...(this.coverage && this.settings.source === TRACE_SOURCE ? [h('p', { class: 'note coverage', id: 'trace-coverage' }, this.coverage)] : []),
    );
    this.showTraceControls();
  }

  /** A recorded trace has its own readings: no seed, no Monte Carlo runs. */
  private showTraceControls(): void {
    const trace = this.settings.source === TRACE_SOURCE;
    this.seedControl.hidden = trace;
    this.runsControl.hidden = trace;
    this.customControl.hidden = this.faultSelect.value !== CUSTOM_FAULT;
  }

  private readControls(): void {
    const seed = Number.parseInt(this.seedField.value, 10);
    const runs = Number.parseInt(this.runsField.value, 10);
    this.settings = {
      source: this.sourceSelect.value,
      seed: Number.isFinite(seed) ? seed : 1,
      fault: this.faultSelect.value === CUSTOM_FAULT ? customFault(this.customFaultField.value, this.customFromField.value) : this.faultSelect.value,
      runs: Number.isFinite(runs) && runs >= 1 ? Math.min(runs, 10_000) : 1,
    };
    this.showTraceControls();
    this.markStale();
    this.actions.settingsChanged?.(this.current());
  }

  /** A shown result run with other settings says so, until the next run replaces it. */
  private markStale(): void {
    const stale = this.shownSettings !== undefined && this.shownSettings !== settingsKey(this.settings, this.traceId);
    this.result.classList.toggle('stale', stale);
    const note = this.result.querySelector<HTMLElement>('#stale-note');
    if (note) note.hidden = !stale;
  }

  run(): void {
    this.readControls();
    this.actions.run(this.current());
  }

  private gateLabels(): Map<string, { label: string; unit: string; direction: 'above' | 'below' }> {
    const labels = new Map<string, { label: string; unit: string; direction: 'above' | 'below' }>();
    for (const st of this.view?.plan.stages ?? []) for (const g of st.gates) if (!labels.has(g.metric)) labels.set(g.metric, { label: g.label, unit: g.unit, direction: g.direction });
    return labels;
  }

  /** Builds the form: only when its shape changes (other metrics, another number of steps). */
  private renderWhatIf(): void {
    const w = this.whatIf;
    if (!w) return;
    const open = this.whatIfBox.hasAttribute('open');
    clear(this.whatIfBox);
    this.whatIfBox.append(h('summary', {}, 'What if: thresholds, waits and traffic steps'));
    if (open) this.whatIfBox.setAttribute('open', '');
    const labels = this.gateLabels();
    const edited = () => this.edited();
    const commit = () => this.commit();
    const wire = (f: Field) => {
      f.addEventListener('input', edited);
      f.addEventListener('change', commit);
      f.addEventListener('focusout', commit);
      return f;
    };
    this.gateRows = Object.entries(w.gates).map(([metric, t]) => {
      const info = labels.get(metric) ?? { label: metric, unit: '', direction: 'above' as const };
      const row: GateRow = {
        metric,
        label: info.label,
        direction: info.direction,
        warn: wire(field(`${info.label} warning threshold`, t.warning, DECIMAL)),
        crit: wire(field(`${info.label} critical threshold`, t.critical, DECIMAL)),
        error: h('div', { class: 'field-error', role: 'alert', hidden: true }),
      };
      return row;
    });
    this.stepRows = w.steps.map((s, i) => ({
      traffic: wire(field(`Step ${i + 1} traffic percent`, s.trafficPercent, DECIMAL)),
      min: wire(field(`Step ${i + 1} minimum wait in hours`, s.waitHours.min, DECIMAL)),
      max: wire(field(`Step ${i + 1} maximum wait in hours`, s.waitHours.max, DECIMAL)),
      error: h('div', { class: 'field-error', role: 'alert', hidden: true }),
    }));
    const reset = h('vscode-button', { secondary: true, onclick: () => this.resetWhatIf() }, 'Reset');
    const save = h('vscode-button', { onclick: () => this.saveWhatIf() }, 'Save to policy…');
    const unitOf = (metric: string) => labels.get(metric)?.unit ?? '';
    this.whatIfBox.append(
      this.whatIfVerdict,
      h('p', { class: 'muted' }, 'A change re-runs the simulation when you pause typing. Nothing is written until you choose "Save to policy".'),
      h(
        'div',
        { class: 'wi-list', role: 'group', 'aria-label': 'Gate thresholds' },
        ...this.gateRows.map((r) =>
          h('div', { class: 'wi-row' }, h('span', { class: 'wi-name' }, `${r.label}${unitOf(r.metric) ? ` (${unitOf(r.metric)})` : ''}`), labelled('Warning', r.warn), labelled('Critical', r.crit), r.error),
        ),
      ),
      this.stepRows.length
        ? h(
            'div',
            { class: 'wi-list', role: 'group', 'aria-label': 'Traffic steps of stages 3 to 5' },
            ...this.stepRows.map((r, i) => h('div', { class: 'wi-row' }, h('span', { class: 'wi-name' }, `Step ${i + 1}`), labelled('Traffic %', r.traffic), labelled('Wait min (h)', r.min), labelled('Wait max (h)', r.max), r.error)),
          )
        : h('p', { class: 'muted' }, 'This tier has no traffic steps to edit.'),
      h('div', { class: 'buttons' }, reset, save),
    );
  }

  /** Sets the fields to the values in effect, leaving alone the one being typed in. */
  private fillWhatIf(): void {
    const w = this.whatIf;
    if (!w) return;
    const set = (f: Field, v: number) => {
      if (f.matches(':focus-within') || Number(f.value) === v) return;
      f.value = String(v);
    };
    for (const r of this.gateRows) {
      const t = w.gates[r.metric];
      if (t) (set(r.warn, t.warning), set(r.crit, t.critical));
    }
    this.stepRows.forEach((r, i) => {
      const s = w.steps[i];
      if (s) (set(r.traffic, s.trafficPercent), set(r.min, s.waitHours.min), set(r.max, s.waitHours.max));
    });
    this.showProblems([]);
  }

  /** A keystroke: wait for a pause before judging the value. */
  private edited(): void {
    if (this.whatIfTimer !== undefined) clearTimeout(this.whatIfTimer);
    this.whatIfTimer = setTimeout(() => this.commit(), PAUSE_MS);
  }

  /** Reads the form: problems beside their fields, or the new values in effect (and a re-run). */
  private commit(): void {
    if (this.whatIfTimer !== undefined) clearTimeout(this.whatIfTimer);
    this.whatIfTimer = undefined;
    const read = this.read();
    if (!read.ok) {
      this.showProblems(read.problems);
      return;
    }
    this.showProblems([]);
    this.whatIf = read.whatIf;
    const changes = whatIfChanges(this.saved ?? read.whatIf, read.whatIf);
    const key = JSON.stringify(changes);
    if (key === this.committed) return;
    this.committed = key;
    this.actions.whatIfChanged(changes);
  }

  private read(): ReturnType<typeof readWhatIf> {
    return readWhatIf(
      this.gateRows.map((r) => ({ metric: r.metric, label: r.label, direction: r.direction, warning: r.warn.value, critical: r.crit.value })),
      this.stepRows.map((r) => ({ trafficPercent: r.traffic.value, min: r.min.value, max: r.max.value })),
    );
  }

  private showProblems(problems: FieldProblem[]): void {
    const bad = new Set(problems.map((p) => p.key));
    // Marked with an attribute and a class, not the element's `invalid` property: that re-renders the
    // field, and a re-render while it holds a partial number ("2.") would wipe what is being typed.
    const mark = (f: Field, key: string) => {
      const invalid = bad.has(key);
      f.closest('.control')?.classList.toggle('field-invalid', invalid);
      if (invalid) f.setAttribute('aria-invalid', 'true');
      else f.removeAttribute('aria-invalid');
    };
    const say = (el: HTMLElement, keys: string[]) => {
      const lines = problems.filter((p) => keys.includes(p.key)).map((p) => p.message);
      el.textContent = lines.join(' · ');
      el.hidden = lines.length === 0;
    };
    for (const r of this.gateRows) {
      const keys = [gateKey(r.metric, 'warning'), gateKey(r.metric, 'critical')];
      mark(r.warn, keys[0]);
      mark(r.crit, keys[1]);
      say(r.error, keys);
    }
    this.stepRows.forEach((r, i) => {
      const keys = [stepKey(i, 'traffic'), stepKey(i, 'min'), stepKey(i, 'max')];
      mark(r.traffic, keys[0]);
      mark(r.min, keys[1]);
      mark(r.max, keys[2]);
      say(r.error, keys);
    });
  }

  private saveWhatIf(): void {
    const read = this.read();
    if (!read.ok) {
      this.showProblems(read.problems);
      return;
    }
    this.actions.saveWhatIf(whatIfChanges(this.saved ?? read.whatIf, read.whatIf));
  }

  /** Back to the saved policy's values; the re-run follows. */
  resetWhatIf(): void {
    if (!this.saved) return;
    if (this.whatIfTimer !== undefined) clearTimeout(this.whatIfTimer);
    this.whatIfTimer = undefined;
    this.whatIf = structuredClone(this.saved);
    for (const f of [...this.gateRows.flatMap((r) => [r.warn, r.crit]), ...this.stepRows.flatMap((r) => [r.traffic, r.min, r.max])]) f.blur();
    this.fillWhatIf();
    this.committed = JSON.stringify({ gates: {} });
    this.actions.whatIfChanged({ gates: {} });
  }

  /** A run started: the last result stays in place (marked busy), so nothing on the page moves. */
  running(): void {
    this.result.setAttribute('aria-busy', 'true');
    this.busy.hidden = false;
  }

  error(message: string): void {
    this.result.removeAttribute('aria-busy');
    this.busy.hidden = true;
    clear(this.status);
    this.status.append(h('p', { class: 'error', role: 'alert' }, message));
  }

  /** The settings the next `show` was run with (compared with the controls to mark it out of date). */
  ranWith(s: SimulateSettings): string {
    return settingsKey(s, this.traceId);
  }

  show(result: SimulationResult, mc?: MonteCarlo, ranWith?: string): void {
    this.charts.forEach((c) => c.destroy());
    this.charts = [];
    clear(this.status);
    this.busy.hidden = true;
    this.result.removeAttribute('aria-busy');
    // The field being edited (else the what-if form) stays where the reader has it on screen while the result above is rebuilt.
    const active = document.activeElement;
    const held: Element = active instanceof HTMLElement && this.whatIfBox.contains(active) ? active : this.whatIfBox;
    const anchor = held.getBoundingClientRect().top;
    const keepPlace = () => window.scrollBy(0, held.getBoundingClientRect().top - anchor);
    this.result.style.minHeight = `${this.result.offsetHeight}px`;
    requestAnimationFrame(() => {
      this.result.style.minHeight = '';
      keepPlace();
    });
    clear(this.result);
    this.shownSettings = ranWith;
    const verdictClass = result.outcome === 'promoted' ? 'ok' : result.outcome === 'rolled_back' ? 'bad' : 'held';
    // The verdict is announced when it changes (the status region) and can be reached with Tab.
    this.result.append(h('p', { class: `verdict ${verdictClass}`, id: 'verdict', tabindex: 0 }, result.verdict));
    this.result.append(h('p', { class: 'note stale-note', id: 'stale-note', hidden: true }, 'The settings changed since this run: Run again to see their verdict.'));
    this.markStale();
    this.status.append(h('span', { class: 'visually-hidden' }, result.verdict));
    this.whatIfVerdict.textContent = `Verdict: ${result.verdict}`;
    this.whatIfVerdict.hidden = false;
    keepPlace();
    // What the verdict was judged on, as the CLI prints it under the verdict: the Prometheus server
    // or trace file, or the scenario and seed.
    const about = [result.source ?? (result.scenario ? `scenario ${result.scenario}, seed ${result.seed}` : undefined), result.blastRadius !== undefined ? `blast radius ${result.blastRadius} user-traffic-minutes` : undefined];
    this.result.append(h('p', { class: 'muted', id: 'verdict-source' }, about.filter(Boolean).join(' · ')));
    if (mc) this.result.append(monteCarloSummary(mc));
    if (result.dataIssues.length) {
      this.result.append(h('ul', { class: 'issues', 'aria-label': 'Problems in the trace data' }, ...result.dataIssues.map((d) => h('li', { class: 'warning' }, `${d.metric}: ${d.message}`))));
    }
    this.result.append(stageTable(result), holdView(result), baselineView(result));
    // Names every marked stage once: a chart with no room for a label shows only its number.
    const marked = result.stages.filter((s) => s.decision !== 'skipped' && s.decision !== 'not_reached');
    if (marked.length) this.result.append(h('p', { class: 'stage-key' }, `Dotted lines: where each stage starts — ${marked.map((s) => `${s.number} ${s.name}`).join(' · ')}`));
    const grid = h('div', { class: 'charts' });
    this.result.append(grid);
    for (const s of decidingFirst(result)) {
      const canvas = h('canvas', { role: 'img', 'aria-label': `${s.label} over time, warning ${formatValue(s.warning, s.unit)}, critical ${formatValue(s.critical, s.unit)}` });
      grid.append(h('figure', { class: 'chart' }, h('figcaption', {}, s.label), h('div', { class: 'canvas-box' }, canvas)));
      this.charts.push(new MetricChart(canvas, s, chartMarks(result, s.metric)));
    }
    if (result.alerts.length) {
      const shown = result.alerts.slice(0, 50);
      this.result.append(
        h('h3', {}, `Alerts (${result.alerts.length})`),
        h('ul', { class: 'alerts' }, ...shown.map((a) => h('li', { class: a.severity }, `${formatMinutes(a.minute)} · stage ${a.stage} · ${a.metric} ${formatValue(a.value, '')} vs ${a.severity} ${formatValue(a.threshold, '')}${a.message ? ` — ${a.message}` : ''}`))),
      );
    }
    keepPlace();
  }

  /** Charts re-read their colours when the theme changes. */
  themeChanged(): void {
    this.charts.forEach((c) => c.applyTheme());
  }
}

/** The chart of the metric that decided the run first: the rollback's, else the first alert's. */
function decidingFirst(result: SimulationResult): SimulationResult['series'] {
  const deciding = result.rollback?.metric ?? result.alerts.find((a) => a.severity === 'critical')?.metric ?? result.alerts[0]?.metric;
  return [...result.series].sort((a, b) => Number(b.metric === deciding) - Number(a.metric === deciding));
}

function stageTable(result: SimulationResult): HTMLElement {
  return h(
    'table',
    { class: 'gates stage-table', 'aria-label': 'Stage decisions' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Stage'), h('th', { scope: 'col' }, 'Decision'), h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'To'), h('th', { scope: 'col' }, 'Why'))),
    h(
      'tbody',
      {},
      ...result.stages.map((s) =>
        h(
          'tr',
          { class: `decision-${s.decision}` },
          h('th', { scope: 'row' }, `${s.number} · ${s.name}`),
          h('td', { 'data-label': 'Decision' }, s.decision.replace('_', ' ')),
          h('td', { 'data-label': 'From' }, s.decision === 'not_reached' || s.decision === 'skipped' ? '—' : formatMinutes(s.startMinute)),
          h('td', { 'data-label': 'To' }, s.decision === 'not_reached' || s.decision === 'skipped' ? '—' : formatMinutes(s.endMinute)),
          h('td', { 'data-label': 'Why' }, s.reason ?? ''),
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
