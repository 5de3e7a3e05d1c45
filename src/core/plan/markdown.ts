/**
 * The plan as Markdown that reads well pasted into a pull-request description: stages with dates,
 * the gates and the custom metrics to track, the checklist as task-list items, the rollback levels and the warnings.
 */
import { forMarkdown as md, markdownCode as code } from '../display';
import type { Gate, RolloutPlan } from './schema';
import { placeOf, sharedRollback, summarizePlan, type PlacedFinding } from './summary';

export interface MarkdownOptions {
  /** The change's findings, strongest first; undefined for a plan for a chosen tier. */
  findings?: readonly PlacedFinding[];
  /** Checklist items ticked (or unticked) by a person, by id: they override what the change shows. */
  ticks?: Readonly<Record<string, boolean>>;
  /** The plan uses what-if values that are not saved to the policy: the Markdown says so first. */
  whatIf?: boolean;
}

const STRATEGY_WORDS: Record<RolloutPlan['strategy'], string> = {
  immediate: 'deploy immediately',
  'flag-gated': 'flag-gated',
  canary: 'canary',
  'extended-canary': 'extended canary',
};

const PATTERN_WORDS: Record<RolloutPlan['deployment']['pattern'], string> = {
  'blue-green': 'Blue/green',
  canary: 'Canary',
  phased: 'Phased',
};

/** "2026-03-10T10:00:00-05:00" → "Tue 2026-03-10 10:00": the wall time the plan's zone reads. */
export function wallText(iso: string): string {
  const day = new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)))).getUTCDay();
  return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][day]} ${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function waitText(w: { min: number; max: number }): string {
  return w.min === w.max ? `${w.min} h` : `${w.min}–${w.max} h`;
}

/** A threshold as the seed's table writes it: ">0.2%", "<99.8%", ">300 ms", "ANY". */
export function thresholdText(g: Gate, value: number): string {
  if (g.unit === 'count' && value === 0 && g.direction === 'above') return 'ANY';
  const unit = g.unit === '%' || g.unit.startsWith('/') ? g.unit : g.unit && g.unit !== 'count' ? ` ${g.unit}` : '';
  return `${g.direction === 'above' ? '>' : '<'}${value}${unit}`;
}

function baselineText(g: Gate): string {
  const unit = g.unit === '%' || g.unit.startsWith('/') ? g.unit : g.unit && g.unit !== 'count' ? ` ${g.unit}` : '';
  return `${g.baseline}${unit}`;
}

/** A table cell: its text is already Markdown (escaped data), so only a pipe, which would split the cell, needs escaping here. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

function stageTable(plan: RolloutPlan): string[] {
  const out = [row(['#', 'Stage', 'Traffic', 'Wait', 'Start', 'End', 'What happens']), row(['---', '---', '---:', '---', '---', '---', '---'])];
  for (const s of plan.stages) {
    if (!s.required || s.steps.length === 0) {
      out.push(row([String(s.number), `${s.name} (not required)`, '—', '—', '—', '—', md(s.reason)]));
      continue;
    }
    s.steps.forEach((st, i) => {
      const what = [i === 0 ? s.action : '', st.note ?? ''].filter(Boolean).map(md).join('; ');
      out.push(row([String(s.number), s.name, `${st.trafficPercent}%`, waitText(st.waitHours), md(wallText(st.start)), md(wallText(st.end)), what]));
    });
  }
  return out;
}

/** The seed's "Custom Metrics to Track" for this change; nothing when there are none. */
function customMetricList(plan: RolloutPlan): string[] {
  const metrics = plan.customMetrics ?? [];
  if (!metrics.length) return [];
  const out = ['', '### Custom metrics to track', ''];
  if (metrics.some((m) => !m.gated)) out.push('Suggested metrics have no thresholds yet: give one warning, critical and direction under the policy\'s `gates` to gate it.', '');
  for (const m of metrics) out.push(`- **${md(m.label)}** (${code(m.metric)}) — ${m.gated ? 'gated' : 'suggested'}: ${md(m.why)}`);
  return out;
}

function gateTable(plan: RolloutPlan): string[] {
  const watched = plan.stages.filter((s) => s.gates.length);
  if (!watched.length) return ['No metric gates: monitor deployment success only (build succeeds, app healthy).'];
  const gates = watched[0].gates;
  const out = [
    `Watched in stage${watched.length === 1 ? '' : 's'} ${watched.map((s) => s.number).join(', ')}.`,
    '',
    row(['Metric', 'Baseline', 'Warning', 'Critical', 'Action', 'Rollback']),
    row(['---', '---:', '---:', '---:', '---', '---']),
  ];
  for (const g of gates) {
    const sustain = g.sustainMinutes ? ` (sustained ${g.sustainMinutes} min)` : '';
    out.push(row([`${md(g.label)} (${code(g.metric)})`, md(baselineText(g)), md(thresholdText(g, g.warning)), md(thresholdText(g, g.critical) + sustain), md(g.action), `Level ${g.rollbackLevel}`]));
  }
  return out;
}

/** "Why this tier": the sentence, the decisive findings with file:line, the recommendation and the schedule. */
function whySection(plan: RolloutPlan, findings: readonly PlacedFinding[] | undefined): string[] {
  const s = summarizePlan(plan, findings);
  const out = ['### Why this tier', '', md(s.why), ''];
  for (const f of s.decisive) out.push(`- ${code(placeOf(f))} — ${md(f.message)}${f.flag ? ` (behind flag ${code(f.flag)}, OFF)` : ''}`);
  if (s.more) out.push(`- and ${s.more} more at ${plan.tier}`);
  if (s.decisive.length) out.push('');
  out.push(`**Recommendation:** ${md(s.recommendation)}`, '', `**Schedule:** ${md(s.schedule)}`);
  return out;
}

export function planToMarkdown(plan: RolloutPlan, opts: MarkdownOptions = {}): string {
  const sch = plan.schedule;
  const out: string[] = [];
  out.push(`## Rollout plan: ${plan.tier} risk, ${STRATEGY_WORDS[plan.strategy]}`, '');
  if (opts.whatIf) out.push('> [!NOTE]', '> What-if values in effect, not saved to the policy: these thresholds or traffic steps are not what `.rollout-lens.json` gives.', '');
  out.push(...whySection(plan, opts.findings), '');
  out.push(`**Deployment pattern:** ${PATTERN_WORDS[plan.deployment.pattern]}. ${md(plan.deployment.reason)}`);
  out.push(`Benefit: ${md(plan.deployment.benefit)}. Cost: ${md(plan.deployment.cost)}.`, '');
  out.push(`**Monitoring:** ${md(plan.monitoring)}`, '');
  out.push(`**Calendar** (${md(sch.timezone)}): ${md(wallText(sch.start))} → ${md(wallText(sch.end))}, at least ${sch.totalHours} h.${sch.securityHotfix ? ' **Security hotfix:** exempt from the deployment windows.' : ''}`);
  if (plan.flags.length) out.push('', `**Feature flags:** ${plan.flags.map((f) => `${code(f.name)} (${f.tier})`).join(', ')}`);
  if (plan.rollbackWarning) out.push('', '> [!WARNING]', `> ${md(plan.rollbackWarning)}`);

  out.push('', '### Stages', '', ...stageTable(plan));
  const moves = plan.stages.flatMap((s) => s.steps.flatMap((st) => st.moved.map((m) => `- Stage ${s.number} ${s.name}, ${st.trafficPercent}%: **${md(m.rule)}** — ${md(m.message)}`)));
  if (moves.length || sch.notes.length) out.push('', ...moves, ...sch.notes.map((n) => `- ${md(n)}`));

  out.push('', '### Gates', '', ...gateTable(plan));
  out.push(...customMetricList(plan));

  out.push('', '### Success criteria', '');
  const shared = sharedRollback(plan);
  if (shared) out.push(`Rollback at any stage (Level ${shared.level}): ${md(shared.action)}.`, '');
  for (const s of plan.stages.filter((x) => x.required)) {
    const rollback = shared ? '' : ` Rollback (Level ${s.rollback.level}): ${md(s.rollback.action)}.`;
    out.push(`- **Stage ${s.number} ${s.name}:** ${s.successCriteria.map((c) => md(c.text)).join('; ')}.${rollback}`);
  }

  out.push('', '### Pre-deployment checklist', '');
  for (const item of plan.checklist) {
    const done = opts.ticks?.[item.id] ?? item.state === 'done';
    const evidence = item.evidence ? ` — ${done ? '' : item.state === 'not-done' ? '**not done:** ' : item.state === 'unknown' ? 'to check: ' : ''}${md(item.evidence)}` : '';
    out.push(`- [${done ? 'x' : ' '}] ${md(item.text)}${evidence}`);
  }

  out.push('', '### Rollback levels', '');
  for (const l of plan.rollbackLevels) {
    const head = `**Level ${l.level}: ${md(l.name)}** (${md(l.time)}): ${md(l.action)}`;
    out.push(`${l.level}. ${l.available ? head : `~~${head}~~ **unavailable for this change.**`}${l.note ? ` ${md(l.note)}` : ''}`);
  }

  out.push('', '### After any rollback', '');
  for (const p of plan.postRollback) out.push(`${p.step}. **${md(p.title)}** — ${md(p.detail)}`);
  return out.join('\n') + '\n';
}
