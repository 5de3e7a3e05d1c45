/**
 * A halted simulation's hold, on the Simulate tab: what the hold waits on, what resuming it would
 * mean, and what the same rollout would have done had each hold been resumed. The facts come from
 * the result's `hold` and `afterResume`, worded as the CLI prints them under the held stage.
 */
import type { SimulationResult } from '../src/protocol/messages';
import { h } from './dom';
import { formatMinutes } from './format';

type Hold = NonNullable<SimulationResult['hold']>;
type AfterResume = NonNullable<SimulationResult['afterResume']>;

const KIND: Record<Hold['kind'], string> = {
  'no-data': 'no data',
  hole: 'a hole in the readings',
  warning: 'the warning limit',
  critical: 'a brief critical',
  criterion: 'a success criterion',
  'before-exposure': 'a condition older than the rollout',
  unwatched: 'nothing watching',
};

/** The hold and what follows it had it been resumed; an empty fragment for a result that did not halt. */
export function holdView(result: SimulationResult): DocumentFragment {
  const out = document.createDocumentFragment();
  if (result.hold) out.append(holdCard(result, result.hold));
  if (result.afterResume) out.append(afterResumeCard(result.afterResume));
  return out;
}

function holdCard(result: SimulationResult, hold: Hold): HTMLElement {
  const stage = result.stages.find((s) => s.number === hold.stage);
  const facts: [string, string][] = [
    ['Held on', KIND[hold.kind]],
    ['Where', `${stage ? `${stage.number} · ${stage.name}` : `stage ${hold.stage}`}, ${hold.trafficPercent} % of users`],
    ['Decided at', `minute ${hold.minute} (${formatMinutes(hold.minute)})`],
  ];
  if (hold.metrics.length) facts.push(['Metrics', hold.metrics.join(', ')]);
  if (hold.from !== undefined && hold.to !== undefined) facts.push([hold.kind === 'before-exposure' ? 'Since' : 'Unobserved', `minutes ${hold.from}–${hold.to}`]);
  if (hold.count !== undefined && hold.limit !== undefined) facts.push(['Readings', `${hold.count} (the limit is ${hold.limit})`]);
  return h(
    'section',
    { class: 'card hold', id: 'hold', 'aria-label': 'What the hold waits on' },
    h('h3', {}, 'What the hold waits on'),
    h('p', { id: 'hold-waits-on' }, hold.waitsOn),
    h('dl', { class: 'hold-facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h4', {}, 'If you resume'),
    h('p', { id: 'hold-resume' }, hold.resume),
  );
}

function afterResumeCard(a: AfterResume): HTMLElement {
  const cls = a.outcome === 'promoted' ? 'ok' : a.outcome === 'rolled_back' ? 'bad' : 'held';
  const shown = a.alerts.slice(0, 12);
  return h(
    'section',
    { class: 'card after-resume', id: 'after-resume', 'aria-label': 'After resume' },
    h('h3', {}, 'After resume ', h('span', { class: 'muted' }, '(had each hold been resumed; the outcome stays halted)')),
    h('p', { class: `verdict ${cls}`, id: 'after-resume-verdict' }, a.verdict),
    h('p', { class: 'muted' }, `${formatMinutes(a.durationMinutes)} simulated · blast radius ${a.blastRadius} user-traffic-minutes`),
    a.holds.length
      ? h(
          'ol',
          { class: 'holds', 'aria-label': 'Holds resumed' },
          ...a.holds.map((x) => h('li', {}, `${formatMinutes(x.minute)} · stage ${x.stage} · ${x.reason}`)),
        )
      : null,
    shown.length
      ? h(
          'ul',
          { class: 'alerts', 'aria-label': 'Alerts after the hold' },
          ...shown.map((x) => h('li', { class: x.severity }, `${formatMinutes(x.minute)} · stage ${x.stage} · ${x.message ?? `${x.metric} ${x.severity}`}`)),
        )
      : null,
    a.alerts.length > shown.length ? h('p', { class: 'muted' }, `… ${a.alerts.length - shown.length} more alerts`) : null,
  );
}
