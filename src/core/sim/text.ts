import type { MonteCarloResult, SimulationResult } from './schema';
import { forTerminal, mapStrings } from '../display';
import { formatDuration, formatP, formatValue } from './format';

/**
 * The simulation as terminal text that fits 80 columns: the verdict, the stages as a timeline with
 * each decision, the alerts, and a small chart per metric with its warning (W) and critical (C)
 * thresholds and the stage boundaries.
 */
export type Paint = (style: 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan', text: string) => string;

const plain: Paint = (_s, t) => t;

export function formatSimulation(result: SimulationResult, paint: Paint = plain, width = 80): string {
  // Trace file names and messages that quote them never write control characters to the terminal.
  const r = mapStrings(result, forTerminal);
  const out: string[] = [];
  const colour = r.outcome === 'promoted' ? 'green' : r.outcome === 'rolled_back' ? 'red' : 'yellow';
  out.push(paint('bold', paint(colour, r.verdict)));
  const about = [r.source ?? (r.scenario ? `scenario ${r.scenario}, seed ${r.seed}` : undefined), r.blastRadius !== undefined ? `blast radius ${r.blastRadius} user-traffic-minutes` : undefined];
  out.push(paint('dim', about.filter(Boolean).join(' · ')));
  out.push('', paint('bold', `Stages ${paint('dim', '(h:mm from the start of stage 1)')}`));
  for (const s of r.stages) {
    out.push(...stageLines(s, paint, width));
    if (r.hold && s.decision === 'held' && s.number === r.hold.stage) {
      out.push(paint('dim', clip(`      waits on: ${r.hold.waitsOn}`, width)), paint('dim', clip(`      ${r.hold.resume}`, width)));
    }
  }
  const manual = r.stages.filter((s) => s.decision !== 'not_reached' && s.decision !== 'skipped').flatMap((s) => s.criteria.filter((c) => c.kind === 'manual').map((c) => c.text));
  if (manual.length) out.push(paint('dim', clip(`  To check by hand (assumed met): ${[...new Set(manual)].join('; ')}`, width)));
  if (r.baselineComparison) out.push('', ...baselineLines(r.baselineComparison, paint, width));
  if (r.alerts.length) {
    out.push('', paint('bold', 'Alerts'));
    for (const a of r.alerts.slice(0, 12)) {
      const sev = a.severity === 'critical' ? paint('red', 'critical') : paint('yellow', 'warning ');
      out.push(`  ${formatDuration(a.minute).padStart(12)}  ${sev}  ${a.message ?? `${a.metric} ${a.value}`}`);
    }
    if (r.alerts.length > 12) out.push(paint('dim', `  … ${r.alerts.length - 12} more`));
  }
  for (const i of r.incidents) out.push('', paint('red', `Incident at ${formatDuration(i.minute)}: ${i.message}`));
  if (r.afterResume) out.push('', ...afterResumeLines(r.afterResume, paint, width));
  if (r.dataIssues.length) {
    out.push('', paint('bold', 'Data issues'));
    for (const d of r.dataIssues) out.push(`  ${clip(d.message, width - 2)}`);
  }
  for (const s of r.series) out.push('', ...chart(r, s, paint, width));
  return out.join('\n') + '\n';
}

/** The canary judged against its baseline, per metric and step, apart from the thresholds' verdict. */
function baselineLines(c: NonNullable<SimulationResult['baselineComparison']>, paint: Paint, width: number): string[] {
  const out = [paint('bold', `Canary against baseline ${paint('dim', '(Mann–Whitney U per step, beside the thresholds)')}`)];
  const colour = c.firstFail ? 'red' : c.metrics.some((m) => m.steps.some((s) => s.verdict === 'marginal')) ? 'yellow' : 'green';
  // The two sentences are the point of the section: wrapped, never cut.
  out.push(...wrap(c.verdict, width - 4).map((l, i) => `  ${i ? '  ' : ''}${paint(colour, l)}`));
  out.push(...wrap(`would have changed: ${c.wouldHaveChanged}`, width - 4).map((l, i) => `  ${i ? '  ' : ''}${l}`));
  const word = { pass: paint('green', 'pass    '), marginal: paint('yellow', 'marginal'), fail: paint('red', 'fail    '), 'no-data': paint('dim', 'no data ') };
  for (const m of c.metrics) {
    for (const s of m.steps) {
      const head = `  ${m.metric.padEnd(16)} ${`${s.name} ${s.trafficPercent} %`.padEnd(18)} `;
      const facts = s.p === null ? s.detail : `${formatValue(s.canary.median!, m.unit)} vs ${formatValue(s.baseline.median!, m.unit)}, p ${formatP(s.p)}`;
      out.push(`${head}${word[s.verdict]} ${paint('dim', clip(facts, Math.max(10, width - head.length - 9)))}`);
    }
  }
  return out;
}

/** Words on lines of at most `width` characters (a longer word keeps its own line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && [...line].length + 1 + [...w].length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

/** What would follow the hold had an operator resumed it: marked as such, never mixed with what happened. */
function afterResumeLines(a: NonNullable<SimulationResult['afterResume']>, paint: Paint, width: number): string[] {
  const out = [paint('bold', `After resume ${paint('dim', '(had each hold been resumed; the outcome stays halted)')}`)];
  out.push(`  ${clip(a.verdict, width - 2)}`);
  for (const h of a.holds.slice(1, 6)) out.push(paint('dim', clip(`  ${formatDuration(h.minute).padStart(12)}  held again: ${h.reason}`, width)));
  if (a.holds.length > 6) out.push(paint('dim', `  … ${a.holds.length - 6} more holds`));
  for (const x of a.alerts.slice(0, 6)) out.push(clip(`  ${formatDuration(x.minute).padStart(12)}  ${x.severity === 'critical' ? paint('red', 'critical') : paint('yellow', 'warning ')}  ${x.message ?? x.metric}`, width + 20));
  if (a.alerts.length > 6) out.push(paint('dim', `  … ${a.alerts.length - 6} more alerts`));
  return out;
}

function stageLines(s: SimulationResult['stages'][number], paint: Paint, width: number): string[] {
  const pct = s.steps.length ? s.steps.map((x) => x.trafficPercent).join('→') + ' %' : '';
  const span = s.decision === 'skipped' ? '' : s.endMinute === s.startMinute ? hmm(s.startMinute) : `${hmm(s.startMinute)}–${hmm(s.endMinute)}`;
  const word: Record<string, string> = {
    promoted: paint('green', 'promoted'),
    rolled_back: paint('red', 'ROLLED BACK'),
    held: paint('yellow', 'HELD'),
    skipped: paint('dim', 'skipped'),
    not_reached: paint('dim', 'not reached'),
  };
  const head = `  ${s.number} ${s.name.padEnd(14)} ${pct.padEnd(22)} ${span.padEnd(12)} ${word[s.decision]}`;
  const lines = [head];
  if (s.decision !== 'rolled_back' && s.decision !== 'held') return lines;
  if (s.reason) lines.push(`      ${clip(s.reason, width - 6)}`);
  // The stage that stopped shows how each of its criteria fared.
  for (const c of s.criteria) {
    if (c.kind === 'manual') continue;
    const mark = c.status === 'met' ? paint('green', '✓') : paint('red', '✗');
    lines.push(`      ${mark} ${paint('dim', clip(`${c.text}: ${c.detail}`, width - 8))}`);
  }
  return lines;
}

/** Minutes as h:mm. */
function hmm(minutes: number): string {
  const m = Math.round(minutes);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

function clip(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? chars.slice(0, width - 1).join('') + '…' : text;
}

const HEIGHT = 5;
const BLOCKS = ' ▁▂▃▄▅▆▇█';
/** Blocks hanging from the top, for metrics that are bad when they fall (success rate): Unicode has fewer of them. */
const HANGING = ' ▔▔▀▀▀██';

function finiteOr(v: number, otherwise: number): number {
  return v - v === 0 ? v : otherwise;
}

/** A block chart of one metric: worst reading per column, threshold rows marked, stage starts on the axis. */
export function chart(r: SimulationResult, s: SimulationResult['series'][number], paint: Paint = plain, width = 80): string[] {
  const labelWidth = 12;
  const cols = Math.max(20, Math.min(64, width - labelWidth - 2));
  const title = forTerminal(`${s.label} (${s.unit})`);
  if (s.points.length === 0) return [paint('bold', title), paint('dim', '  no readings')];
  const x0 = s.points[0][0];
  const x1 = Math.max(x0 + 1, r.durationMinutes ?? s.points[s.points.length - 1][0] + 1);
  const colOf = (minute: number) => Math.min(cols - 1, Math.max(0, Math.floor(((minute - x0) / (x1 - x0)) * cols)));
  const above = s.direction === 'above';
  const worst = new Float64Array(cols).fill(NaN);
  for (const [m, v] of s.points) {
    const c = colOf(m);
    const w = worst[c];
    if (w !== w || (above ? v > w : v < w)) worst[c] = v;
  }
  let dMin = Infinity, dMax = -Infinity;
  for (const v of worst) if (v === v) { dMin = Math.min(dMin, v); dMax = Math.max(dMax, v); }
  let lo: number, hi: number;
  if (above) {
    // An infinite reading is drawn clipped (▲, "max +Inf"); the axis is set by the finite ones.
    lo = Math.min(finiteOr(dMin, s.warning), s.warning);
    hi = Math.max(dMax, s.critical);
    hi = Math.min(hi, s.critical + 1.5 * Math.max(s.critical - lo, 1e-9));
    if (hi <= lo) hi = lo + 1;
  } else {
    hi = Math.max(finiteOr(dMax, s.warning), s.warning);
    lo = Math.min(dMin, s.critical);
    lo = Math.max(lo, s.critical - 1.5 * Math.max(hi - s.critical, 1e-9));
    if (hi <= lo) lo = hi - 1;
  }
  const rowOf = (v: number) => Math.min(HEIGHT - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * HEIGHT)));
  const wRow = rowOf(s.warning);
  const cRow = rowOf(s.critical);
  const lines: string[] = [paint('bold', title)];
  for (let row = HEIGHT - 1; row >= 0; row--) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const v = worst[c];
      if (v !== v) {
        line += row === cRow ? '─' : row === wRow ? '·' : ' ';
        continue;
      }
      // Bars grow towards danger: up for 'above' metrics, down from the top for 'below' ones.
      const level = ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * HEIGHT * 8;
      const eighths = Math.round(above ? level : HEIGHT * 8 - level);
      const fromEdge = above ? row : HEIGHT - 1 - row;
      const fill = Math.max(fromEdge === 0 ? 1 : 0, Math.min(8, eighths - fromEdge * 8));
      const clipped = (above ? row === HEIGHT - 1 && v > hi : row === 0 && v < lo);
      const ch = clipped ? (above ? '▲' : '▼') : fill > 0 ? (above ? BLOCKS[fill] : HANGING[Math.min(7, fill)]) : row === cRow ? '─' : row === wRow ? '·' : ' ';
      const bad = above ? v > s.critical : v < s.critical;
      const warn = above ? v > s.warning : v < s.warning;
      line += fill > 0 || clipped ? (bad ? paint('red', ch) : warn ? paint('yellow', ch) : ch) : paint('dim', ch);
    }
    const labels: string[] = [];
    if (row === cRow) labels.push(`C ${formatValue(s.critical, s.unit)}`);
    if (row === wRow) labels.push(`W ${formatValue(s.warning, s.unit)}`);
    // A clipped bar's edge shows the worst reading itself, not where the axis was cut.
    const top = above && dMax > hi ? `max ${formatValue(dMax, s.unit)}` : formatValue(hi, s.unit);
    const bottom = !above && dMin < lo ? `min ${formatValue(dMin, s.unit)}` : formatValue(lo, s.unit);
    const edge = row === HEIGHT - 1 ? top : row === 0 ? bottom : '';
    lines.push(`▕${line} ${clip(labels.join(' ') || paint('dim', edge), labelWidth)}`);
  }
  let axis = '';
  let marks = '';
  const starts = new Map<number, string>();
  for (const st of r.stages) if (st.decision !== 'skipped' && st.startMinute >= x0 && st.startMinute < x1) starts.set(colOf(st.startMinute), String(st.number));
  const stop = r.rollback ? colOf(r.rollback.minute) : -1;
  for (let c = 0; c < cols; c++) {
    axis += c === stop ? paint('red', '✕') : starts.has(c) ? '┴' : '─';
    marks += starts.get(c) ?? ' ';
  }
  lines.push(` ${axis} ${paint('dim', `${formatDuration(x1)}`)}`);
  lines.push(paint('dim', ` ${marks.trimEnd()}   ↑ stage starts`));
  return lines;
}

/** Monte Carlo as a few lines: shares, where regressions were caught, blast radius. */
export function formatMonteCarlo(result: MonteCarloResult, paint: Paint = plain): string {
  const mc = mapStrings(result, forTerminal);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const out = [
    paint('bold', `Monte Carlo: ${mc.runs} runs of ${mc.scenario} (seeds ${mc.firstSeed}…${mc.firstSeed + mc.runs - 1}), ${mc.elapsedMs} ms`),
    `  promoted ${pct(mc.promoted)} · rolled back ${pct(mc.rolledBack)} · halted ${pct(mc.halted)}`,
  ];
  for (const c of mc.caughtAt) out.push(`  caught at ${c.stage} ${c.name}: ${pct(c.share)} (${c.rolledBack} rolled back, ${c.halted} halted)`);
  const b = mc.blastRadius;
  out.push(`  blast radius (user-traffic-minutes): min ${b.min} · median ${b.median} · p95 ${b.p95} · max ${b.max}`);
  return out.join('\n') + '\n';
}
