/** The Plan tab: tier and findings, strategy, the five stages on a timeline, gates, custom metrics, checklist, rollback. */
import type { FindingView, PlanView } from '../src/protocol/messages';
import { clear, h } from './dom';
import { formatHours, formatValue, formatWhen, strategyName } from './format';

export interface PlanActions {
  openFile(file: string, line: number): void;
  setChecklist(id: string, done: boolean): void;
  copyMarkdown(): void;
  chooseTier(): void;
}

type Plan = PlanView['plan'];

export function tierBadge(tier: string): HTMLElement {
  return h('span', { class: `tier tier-${tier.toLowerCase()}`, role: 'img', 'aria-label': `risk tier ${tier}` }, tier);
}

function section(title: string, id: string, ...body: (Node | string | null | false)[]): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...body);
}

function findingKey(f: { file: string; line: number }): string {
  return `${f.file}:${f.line}`;
}

function findingsList(view: PlanView, actions: PlanActions): HTMLElement {
  if (view.findings.length === 0) {
    return h('p', { class: 'muted' }, view.tierSource === 'chosen' ? `Plan for a chosen tier (${view.plan.tier}): no analysis of the working tree.` : 'No findings: nothing risky in this change.');
  }
  const list = h('ul', { class: 'findings', 'aria-label': 'Findings, strongest first' });
  for (const f of view.findings) {
    const where = f.line > 0 ? `${f.file}:${f.line}` : f.file;
    list.append(
      h(
        'li',
        { 'data-finding': findingKey(f) },
        tierBadge(f.tier),
        ' ',
        h(
          'a',
          { href: '#', class: 'file-link', title: `Open ${where}`, 'aria-label': `${f.tier}: ${f.message}. Open ${where}`, onclick: (e: Event) => (e.preventDefault(), actions.openFile(f.file, f.line)) },
          where,
        ),
        ' — ',
        f.message.replace(/`/g, ''),
        f.flag ? h('span', { class: 'muted' }, ` (behind flag ${f.flag}, OFF)`) : null,
      ),
    );
  }
  return list;
}

function strategy(plan: Plan): HTMLElement {
  const d = plan.deployment;
  return section(
    `Strategy: ${strategyName(plan.strategy)}`,
    'h-strategy',
    h('p', {}, h('strong', {}, `${d.pattern === 'blue-green' ? 'Blue/green' : d.pattern === 'canary' ? 'Canary' : 'Phased'} deployment. `), d.reason),
    h('dl', { class: 'facts' }, h('dt', {}, 'Benefit'), h('dd', {}, d.benefit), h('dt', {}, 'Cost'), h('dd', {}, d.cost), h('dt', {}, 'Monitoring'), h('dd', {}, plan.monitoring)),
    plan.flags.length
      ? h('p', {}, 'Feature flags deployed OFF, turned on from stage 3: ', ...plan.flags.flatMap((f, i) => [i ? ', ' : '', h('code', {}, f.name), ` (${f.tier})`]))
      : null,
  );
}

function stageCard(stage: Plan['stages'][number]): HTMLElement {
  const steps = h('ol', { class: 'steps', 'aria-label': `Steps of stage ${stage.number}` });
  for (const s of stage.steps) {
    steps.append(
      h(
        'li',
        {},
        h('span', { class: 'traffic' }, `${s.trafficPercent} %`),
        h('span', { class: 'wait' }, formatHours(s.waitHours.min, s.waitHours.max)),
        h('span', { class: 'when' }, `${formatWhen(s.start)} → ${formatWhen(s.end)}`),
        s.note ? h('span', { class: 'muted' }, s.note) : null,
        ...s.moved.map((m) => h('div', { class: 'moved' }, `Moved ${Math.round(m.movedMinutes / 60)} h: ${m.message}`)),
      ),
    );
  }
  const gates = stage.gates.length
    ? h(
        'details',
        { class: 'stage-gates', open: stage.number === 3 },
        h('summary', {}, `Gates (${stage.gates.length}): ${stage.gates.map((g) => g.label).join(', ')}`),
        h(
        'table',
        { class: 'gates', 'aria-label': `Gates of stage ${stage.number}` },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'), h('th', { scope: 'col' }, 'Warning'), h('th', { scope: 'col' }, 'Critical'), h('th', { scope: 'col' }, 'Action'))),
        h(
          'tbody',
          {},
          ...stage.gates.map((g) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, g.label),
              h('td', {}, `${g.direction === 'above' ? '>' : '<'} ${formatValue(g.warning, g.unit)}`),
              h('td', {}, `${g.direction === 'above' ? '>' : '<'} ${formatValue(g.critical, g.unit)}`),
              h('td', {}, g.action),
            ),
          ),
        ),
        ),
      )
    : null;
  return h(
    'li',
    { class: `stage${stage.required ? '' : ' skipped'}`, 'aria-label': `Stage ${stage.number}, ${stage.name}${stage.required ? '' : ', not required'}` },
    h('div', { class: 'stage-head' }, h('span', { class: 'stage-no', 'aria-hidden': 'true' }, String(stage.number)), h('h3', {}, stage.name), stage.required ? null : h('span', { class: 'pill' }, 'not required')),
    h('p', {}, h('strong', {}, stage.action), stage.reason ? ` — ${stage.reason}` : ''),
    stage.steps.length ? steps : null,
    gates,
    stage.successCriteria.length ? h('p', { class: 'criteria' }, 'Success: ', stage.successCriteria.map((c) => c.text).join('; ')) : null,
    h('p', { class: 'muted' }, `Rollback: Level ${stage.rollback.level} — ${stage.rollback.action}`),
  );
}

function timeline(plan: Plan): HTMLElement {
  const s = plan.schedule;
  return section(
    'Stages',
    'h-stages',
    h('p', { class: 'muted' }, `${formatWhen(s.start)} → ${formatWhen(s.end)} (${s.timezone}), at least ${Math.round(s.totalHours)} h${s.securityHotfix ? ' · security hotfix: deploys at once' : ''}`),
    ...s.notes.map((n) => h('p', { class: 'note' }, n)),
    h('ol', { class: 'timeline' }, ...plan.stages.map(stageCard)),
  );
}

/** A metric's reason, with the place in the code it names turned into a link that opens it. */
function whyWithLink(m: NonNullable<Plan['customMetrics']>[number], actions: PlanActions): (Node | string)[] {
  const why = m.why.replace(/`/g, '');
  if (m.file === undefined) return [why];
  const line = m.line ?? 0;
  const where = line > 0 ? `${m.file}:${line}` : m.file;
  const at = why.indexOf(where);
  if (at < 0) return [why];
  const link = h('a', { href: '#', class: 'file-link', title: `Open ${where}`, onclick: (e: Event) => (e.preventDefault(), actions.openFile(m.file!, line)) }, where);
  return [why.slice(0, at), link, why.slice(at + where.length)];
}

/** The seed's "Custom Metrics to Track" for this change, under the stages and their gates; nothing when there are none. */
function customMetrics(plan: Plan, actions: PlanActions): HTMLElement | null {
  const metrics = plan.customMetrics ?? [];
  if (!metrics.length) return null;
  return section(
    'Custom metrics to track',
    'h-metrics',
    h(
      'ul',
      { class: 'custom-metrics', 'aria-label': 'Custom metrics to track' },
      ...metrics.map((m) =>
        h(
          'li',
          {},
          h('strong', {}, m.label),
          ' ',
          h('code', {}, m.metric),
          ' ',
          h('span', { class: 'pill', title: m.gated ? 'Has thresholds in the stage gates' : 'No thresholds yet' }, m.gated ? 'gated' : 'suggested'),
          h('div', { class: 'muted' }, ...whyWithLink(m, actions)),
        ),
      ),
    ),
    metrics.some((m) => !m.gated) ? h('p', { class: 'muted' }, "Suggested metrics have no thresholds yet: give one a warning, critical and direction under the policy's gates to gate it.") : null,
  );
}

function checklist(view: PlanView, actions: PlanActions): HTMLElement {
  const items = view.plan.checklist.map((item) => {
    const done = view.checklist[item.id] ?? item.state === 'done';
    const box = h('vscode-checkbox', { label: item.text, 'data-id': item.id, checked: done });
    box.addEventListener('change', () => actions.setChecklist(item.id, (box as HTMLElement & { checked: boolean }).checked));
    return h('li', {}, box, item.evidence ? h('div', { class: 'muted evidence' }, item.evidence) : null);
  });
  return section('Pre-deployment checklist', 'h-checklist', h('ul', { class: 'checklist' }, ...items));
}

function rollback(plan: Plan): HTMLElement {
  return section(
    'Rollback',
    'h-rollback',
    plan.rollbackWarning ? h('p', { class: 'warning', role: 'note' }, plan.rollbackWarning) : null,
    h(
      'table',
      { class: 'gates', 'aria-label': 'Rollback levels' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Action'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Available'))),
      h(
        'tbody',
        {},
        ...plan.rollbackLevels.map((l) =>
          h('tr', { class: l.available ? '' : 'unavailable' }, h('th', { scope: 'row' }, `${l.level} · ${l.name}`), h('td', {}, l.action, l.note ? h('div', { class: 'muted' }, l.note) : null), h('td', {}, l.time), h('td', {}, l.available ? 'yes' : 'no')),
        ),
      ),
    ),
    h('h3', {}, 'After any rollback'),
    h('ol', { class: 'procedure' }, ...plan.postRollback.map((p) => h('li', {}, h('strong', {}, p.title), ` — ${p.detail}`))),
  );
}

export function renderPlan(root: HTMLElement, view: PlanView, actions: PlanActions): void {
  clear(root);
  const plan = view.plan;
  const head = section(
    'Deployment risk',
    'h-risk',
    h(
      'div',
      { class: 'risk-head' },
      tierBadge(plan.tier),
      h('span', {}, view.tierSource === 'chosen' ? ' chosen tier' : ` ${view.findings.length} finding${view.findings.length === 1 ? '' : 's'}`),
      h('span', { class: 'spacer' }),
      view.restricted || view.tierSource === 'chosen' ? h('vscode-button', { secondary: true, onclick: () => actions.chooseTier() }, 'Choose tier…') : null,
      h('vscode-button', { onclick: () => actions.copyMarkdown(), 'aria-label': 'Copy the plan as Markdown for the pull request' }, 'Copy as Markdown'),
    ),
    view.restricted ? h('p', { class: 'note' }, 'Restricted mode: this workspace is not trusted, so Rollout Lens runs no git. The plan is for a tier you choose.') : null,
    findingsList(view, actions),
  );
  const metrics = customMetrics(plan, actions);
  root.append(head, strategy(plan), timeline(plan), ...(metrics ? [metrics] : []), checklist(view, actions), rollback(plan));
}

/** Scrolls to a finding and marks it, after a code lens was clicked. */
export function focusFinding(root: HTMLElement, ref: Pick<FindingView, 'file' | 'line'>): void {
  root.querySelectorAll('.focused').forEach((el) => el.classList.remove('focused'));
  const el =
    root.querySelector<HTMLElement>(`[data-finding="${CSS.escape(findingKey(ref))}"]`) ??
    [...root.querySelectorAll<HTMLElement>('[data-finding]')].find((e) => e.dataset.finding?.startsWith(`${ref.file}:`));
  if (!el) return;
  el.classList.add('focused');
  el.scrollIntoView({ block: 'center' });
  el.querySelector<HTMLElement>('a')?.focus();
}
