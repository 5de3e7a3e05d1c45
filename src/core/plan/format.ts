/**
 * The plan as a terminal timeline: one line per step with its date, traffic and wait, within
 * 80 columns. Colour is the caller's choice (`paint`), so core stays free of terminal codes.
 */
import { forTerminal, mapStrings } from '../display';
import { thresholdText, waitText, wallText } from './markdown';
import type { RolloutPlan } from './schema';

export type Paint = (style: 'bold' | 'dim' | 'red' | 'yellow' | 'green', text: string) => string;

const plain: Paint = (_style, text) => text;

/** Word-wraps `text` to `width` columns, indenting continuation lines by `indent` spaces. */
export function wrap(text: string, width: number, indent = 0): string[] {
  const lines: string[] = [];
  // The first line keeps the text's own leading spaces.
  let line = /^\s*/.exec(text)![0];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.trim() && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = line.trim() ? `${line} ${word}` : line + word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Cuts `text` to `width` columns, marking the cut with an ellipsis. */
function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, width - 1).join('') + '…';
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));

export function formatPlan(input: RolloutPlan, paint: Paint = plain, width = 80): string {
  // A plan quotes paths, flag names and policy text: none of their control characters reach the terminal.
  const plan = mapStrings(input, forTerminal);
  const out: string[] = [];
  const sch = plan.schedule;
  const strategy = plan.strategy.replace('-', ' ');
  const pattern = plan.deployment.pattern.replace('-', '/');
  // "canary · canary" says nothing twice: name the deployment pattern only when it adds something.
  const heading = pattern === strategy ? strategy : `${strategy} · ${pattern}`;
  out.push(`${paint('bold', 'Rollout plan')}  ${plan.tier} · ${heading}`);
  out.push(paint('dim', `${sch.timezone}: ${wallText(sch.start)} → ${wallText(sch.end)}, at least ${sch.totalHours} h`));
  if (sch.securityHotfix) out.push(paint('yellow', 'Security hotfix: exempt from the deployment windows.'));
  out.push(...wrap(`Monitoring: ${plan.monitoring}`, width, 2), '');

  for (const s of plan.stages) {
    const head = ` ${s.number} ${pad(s.name, 14)} `;
    if (!s.required) {
      out.push(paint('dim', head + cut(s.reason.replace(/^Not needed: /, 'not needed: '), width - [...head].length)));
      continue;
    }
    s.steps.forEach((st, i) => {
      const lead = i === 0 ? head : ' '.repeat(18);
      out.push(`${lead}${wallText(st.start)}  ${pad(`${st.trafficPercent}%`, 5)} ${pad(waitText(st.waitHours), 8)}`.trimEnd());
      for (const m of st.moved) out.push(paint('dim', `${' '.repeat(20)}↳ moved by ${m.rule}, +${(m.movedMinutes / 60).toFixed(m.movedMinutes % 60 ? 1 : 0)} h`));
    });
  }
  out.push(`${' '.repeat(18)}${wallText(sch.end)}  done`, '');

  const gates = plan.stages.find((s) => s.gates.length)?.gates ?? [];
  if (gates.length) {
    out.push(paint('bold', 'Gates (critical → rollback level):'));
    for (const g of gates) out.push(`  ${pad(g.label, 18)} warn ${pad(thresholdText(g, g.warning), 10)} crit ${pad(thresholdText(g, g.critical), 10)} L${g.rollbackLevel}`);
  } else {
    out.push('Gates: none; monitor deployment success only.');
  }

  const metrics = plan.customMetrics ?? [];
  if (metrics.length) {
    out.push('', paint('bold', 'Custom metrics to track:'));
    // One line each: the metric and where the change calls for it; --markdown says why.
    for (const m of metrics) {
      const where = m.file !== undefined ? (m.line ? `${m.file}:${m.line}` : m.file) : 'policy gate';
      out.push(cut(`  ${m.label}${m.gated ? ' (gated)' : ''} — ${where}`, width));
    }
  }

  if (plan.rollbackWarning) out.push('', ...wrap(`! ${plan.rollbackWarning}`, width, 2).map((l) => paint('red', l)));
  const count = (state: string) => plan.checklist.filter((c) => c.state === state).length;
  out.push('', `Checklist: ${count('done')} done, ${count('not-done')} not done, ${count('unknown')} to check (--markdown lists them).`);
  for (const c of plan.checklist.filter((x) => x.state === 'not-done')) out.push(...wrap(`  ✗ ${c.text}: ${c.evidence ?? ''}`, width, 4).map((l) => paint('yellow', l)));
  return out.join('\n') + '\n';
}
