/** The Plan tab: tier and findings, strategy, the five stages on a timeline, gates, custom metrics, checklist, rollback. */
import type { FindingView, PlanView } from '../src/protocol/messages';
import { clear, h } from './dom';
import { formatHours, formatValue, formatWhen, strategyName } from './format';
import { irreversible, placeOf, summarizePlan } from '../src/protocol/plan';

export interface PlanActions {
  openFile(file: string, line: number): void;
  setChecklist(id: string, done: boolean): void;
  copyMarkdown(): void;
  chooseTier(): void;
  /** Drops the what-if values: the plan is the saved policy's again. */
  resetWhatIf(): void;
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

function findingLink(f: FindingView, actions: PlanActions, text = placeOf(f)): HTMLElement {
  const where = placeOf(f);
  return h(
    'a',
    { href: '#', class: 'file-link', title: `Open ${where}`, 'aria-label': `${f.tier}: ${f.message.replace(/`/g, '')}. Open ${where}`, onclick: (e: Event) => (e.preventDefault(), actions.openFile(f.file, f.line)) },
    text,
  );
}

function findingItem(f: FindingView, actions: PlanActions, linkText?: string): HTMLElement {
  return h(
    'li',
    { 'data-finding': findingKey(f) },
    tierBadge(f.tier),
    ' ',
    findingLink(f, actions, linkText),
    ' — ',
    f.message.replace(/`/g, ''),
    irreversible(f.rule) ? h('span', { class: 'pill irreversible', title: 'A rollback of the code does not undo this' }, 'not undone by a rollback') : null,
    f.flag ? h('span', { class: 'muted' }, ` (behind flag ${f.flag}, OFF)`) : null,
  );
}

/** Every finding, grouped by file, each file collapsed: the summary above names the decisive ones. */
function findingsByFile(view: PlanView, actions: PlanActions): HTMLElement | null {
  if (view.findings.length === 0) return null;
  const files = new Map<string, FindingView[]>();
  for (const f of view.findings) files.set(f.file, [...(files.get(f.file) ?? []), f]);
  return h(
    'details',
    { class: 'all-findings' },
    h('summary', {}, `All findings: ${view.findings.length} in ${files.size} file${files.size === 1 ? '' : 's'}`),
    h(
      'ul',
      { class: 'files', 'aria-label': 'Findings by file' },
      ...[...files].map(([file, list]) =>
        h(
          'li',
          {},
          h(
            'details',
            { class: 'file-findings' },
            h('summary', {}, tierBadge(list[0].tier), ' ', h('span', { class: 'path' }, file), h('span', { class: 'muted' }, ` (${list.length})`)),
            h('ul', { class: 'findings', 'aria-label': `Findings in ${file}` }, ...list.map((f) => findingItem(f, actions, f.line > 0 ? `line ${f.line}` : 'whole file'))),
          ),
        ),
      ),
    ),
  );
}

/** The answer first: why this tier, what to do, when. */
function summaryCard(view: PlanView, actions: PlanActions): HTMLElement {
  const plan = view.plan;
  const chosen = view.tierSource === 'chosen';
  const s = summarizePlan(plan, chosen ? undefined : view.findings);
  return section(
    'Deployment risk',
    'h-risk',
    h(
      'div',
      { class: 'risk-head' },
      tierBadge(plan.tier),
      h('span', {}, chosen ? ' chosen tier' : ` ${view.findings.length} finding${view.findings.length === 1 ? '' : 's'}`),
      h('span', { class: 'spacer' }),
      view.restricted || chosen ? h('vscode-button', { secondary: true, onclick: () => actions.chooseTier() }, 'Choose tier…') : null,
      h('vscode-button', { onclick: () => actions.copyMarkdown(), 'aria-label': view.whatIf ? 'Copy the plan as Markdown, labelled as what-if' : 'Copy the plan as Markdown for the pull request' }, 'Copy as Markdown'),
    ),
    view.repository ? h('p', { class: 'muted', id: 'plan-repository' }, `Plan for the repository ${view.repository}`) : null,
    view.whatIf
      ? h(
          'div',
          { class: 'note whatif-note', role: 'note', id: 'whatif-note' },
          h('span', {}, 'What-if values in effect, not saved. The Markdown you copy is labelled as what-if. '),
          h('vscode-button', { secondary: true, onclick: () => actions.resetWhatIf() }, 'Reset'),
        )
      : null,
    view.restricted ? h('p', { class: 'note' }, 'Restricted mode: this workspace is not trusted, so Rollout Lens runs no git. The plan is for a tier you choose.') : null,
    h('h3', {}, 'Why this tier'),
    h('p', { class: 'why' }, s.why),
    s.decisive.length ? h('ul', { class: 'findings decisive', 'aria-label': 'Findings that decided the tier' }, ...s.decisive.map((f) => findingItem(f as FindingView, actions))) : null,
    s.more ? h('p', { class: 'muted' }, `and ${s.more} more at ${plan.tier}, under All findings`) : null,
    h('dl', { class: 'facts summary' }, h('dt', {}, 'Do'), h('dd', { id: 'recommendation' }, s.recommendation), h('dt', {}, 'When'), h('dd', { id: 'schedule-line' }, s.schedule)),
    findingsByFile(view, actions),
  );
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

function stageCard(stage: Plan['stages'][number], sharedRollback: boolean): HTMLElement {
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
        ...s.moved.map((m) => {
          const text = `Moved ${Math.round(m.movedMinutes / 60)} h: ${m.message}`;
          return h('span', { class: 'moved', role: 'img', tabindex: 0, title: text, 'aria-label': text }, '⏱');
        }),
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
              h('td', { 'data-label': 'Warning' }, `${g.direction === 'above' ? '>' : '<'} ${formatValue(g.warning, g.unit)}`),
              h('td', { 'data-label': 'Critical' }, `${g.direction === 'above' ? '>' : '<'} ${formatValue(g.critical, g.unit)}`),
              h('td', { 'data-label': 'Action' }, g.action),
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
    sharedRollback || !stage.required ? null : h('p', { class: 'muted' }, `Rollback: Level ${stage.rollback.level} — ${stage.rollback.action}`),
  );
}

function timeline(plan: Plan): HTMLElement {
  const s = plan.schedule;
  const shared = summarizePlan(plan, undefined).rollback;
  return section(
    'Stages',
    'h-stages',
    h('p', { class: 'muted' }, `${formatWhen(s.start)} → ${formatWhen(s.end)} (${s.timezone}), at least ${Math.round(s.totalHours)} h${s.securityHotfix ? ' · security hotfix: deploys at once' : ''}`),
    ...s.notes.map((n) => h('p', { class: 'note' }, n)),
    shared ? h('p', { class: 'rollback-once' }, h('strong', {}, `Rollback at any stage: Level ${shared.level}`), ` — ${shared.action}`) : null,
    h('ol', { class: 'timeline' }, ...plan.stages.map((st) => stageCard(st, shared !== undefined))),
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

/** The custom metrics to track for this change, under the stages and their gates; nothing when there are none. */
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
      'ol',
      { class: 'levels', 'aria-label': 'Rollback levels' },
      ...plan.rollbackLevels.map((l) =>
        h(
          'li',
          { class: l.available ? '' : 'unavailable' },
          h('strong', {}, `Level ${l.level} · ${l.name}`),
          h('span', { class: 'muted' }, ` (${l.time})`),
          l.available ? null : h('span', { class: 'pill unavailable-pill' }, 'unavailable for this change'),
          h('div', {}, l.action),
          l.note ? h('div', { class: 'muted' }, l.note) : null,
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
  const metrics = customMetrics(plan, actions);
  root.append(summaryCard(view, actions), strategy(plan), timeline(plan), ...(metrics ? [metrics] : []), checklist(view, actions), rollback(plan));
}

/** Scrolls to a finding and marks it, after a code lens was clicked. */
export function focusFinding(root: HTMLElement, ref: Pick<FindingView, 'file' | 'line'>): void {
  root.querySelectorAll('.focused').forEach((el) => el.classList.remove('focused'));
  const el =
    root.querySelector<HTMLElement>(`[data-finding="${CSS.escape(findingKey(ref))}"]`) ??
    [...root.querySelectorAll<HTMLElement>('[data-finding]')].find((e) => e.dataset.finding?.startsWith(`${ref.file}:`));
  if (!el) return;
  // A finding inside a collapsed file opens it, so the marked line can be seen.
  for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
  el.classList.add('focused');
  el.scrollIntoView({ block: 'center' });
  el.querySelector<HTMLElement>('a')?.focus();
}
