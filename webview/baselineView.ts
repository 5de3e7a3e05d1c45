/**
 * The canary judged against its baseline series, on the Simulate tab: the verdict, what it would have
 * changed against the thresholds, and each metric's steps, from the result's `baselineComparison`
 * (a replay whose policy gives `prometheus.baseline`). Shown apart from the thresholds' verdict.
 */
import type { SimulationResult } from '../src/protocol/messages';
import { h } from './dom';
import { formatP, formatValue } from './format';

type Comparison = NonNullable<SimulationResult['baselineComparison']>;

/** The comparison as a card; an empty fragment for a result without one. */
export function baselineView(result: SimulationResult): DocumentFragment {
  const out = document.createDocumentFragment();
  const c = result.baselineComparison;
  if (c) out.append(card(c));
  return out;
}

function card(c: Comparison): HTMLElement {
  const cls = c.firstFail ? 'bad' : c.metrics.some((m) => m.steps.some((s) => s.verdict === 'marginal')) ? 'held' : 'ok';
  const rows = c.metrics.flatMap((m) =>
    m.steps.map((s) =>
      h(
        'tr',
        { class: `baseline-${s.verdict}` },
        h('th', { scope: 'row' }, m.metric),
        h('td', {}, `${s.stage} · ${s.name} ${s.trafficPercent} %`),
        h('td', {}, s.verdict === 'no-data' ? 'no data' : s.verdict),
        h('td', {}, s.canary.median === null ? '—' : formatValue(s.canary.median, m.unit)),
        h('td', {}, s.baseline.median === null ? '—' : formatValue(s.baseline.median, m.unit)),
        h('td', {}, s.p === null ? '—' : formatP(s.p)),
      ),
    ),
  );
  return h(
    'section',
    { class: 'card baseline', id: 'baseline', 'aria-label': 'Canary against baseline' },
    h('h3', {}, 'Canary against baseline ', h('span', { class: 'muted' }, '(Mann–Whitney U per step, beside the thresholds)')),
    h('p', { class: `verdict ${cls}`, id: 'baseline-verdict' }, c.verdict),
    h('p', { id: 'baseline-changed' }, `Would have changed: ${c.wouldHaveChanged}`),
    h(
      'table',
      { class: 'gates', 'aria-label': 'Canary against baseline per step' },
      h('thead', {}, h('tr', {}, ...['Metric', 'Step', 'Verdict', 'Canary median', 'Baseline median', 'p'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows),
    ),
  );
}
