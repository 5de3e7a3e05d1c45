/** The Markdown for a PR description, read back and compared with the plan; the terminal timeline's width. */
import { forMarkdown } from '../../../src/core/display';
import { strict as assert } from 'node:assert';
import { buildPlan, formatPlan, planToMarkdown } from '../../../src/core/plan';
import type { RolloutPlan } from '../../../src/core/plan';
import { assessment, file, NY, policy } from './helpers';

const START = new Date('2026-03-13T13:00:00-04:00');

const plans: [string, RolloutPlan][] = [
  ['ZERO', buildPlan(assessment('ZERO'), policy(), { start: START, timezone: NY })],
  ['LOW', buildPlan(assessment('LOW'), policy(), { start: START, timezone: NY })],
  ['MEDIUM', buildPlan(assessment('MEDIUM'), policy(), { start: START, timezone: NY })],
  [
    'HIGH with a breaking migration and a flag',
    buildPlan(
      assessment('HIGH', {
        files: [file('db/migrate/002_drop_email.sql', 'HIGH', [{ rule: 'migration-breaking', line: 3, message: 'drops column users.email | breaking' }])],
        flags: [{ name: 'new-login', tier: 'HIGH', files: ['src/auth/login.ts'] }],
      }),
      policy({ holidays: ['2026-03-17'] }),
      { start: START, timezone: NY },
    ),
  ],
  [
    'HIGH with custom metrics: suggested and gated by the policy',
    buildPlan(
      assessment('HIGH', {
        files: [
          file('src/auth/token.ts', 'HIGH', [{ rule: 'auth', line: 4, message: 'changes session handling code (jwt): a mistake locks users out', quote: 'return jwt.sign({ sub }, KEY);' }]),
          file('src/users/repo.ts', 'MEDIUM', [{ rule: 'app-change', tier: 'MEDIUM', line: 7, message: 'changes application behaviour in production', quote: 'const res = await fetch(`${BASE}/users/${id}`); // cache | miss' }]),
        ],
      }),
      policy({ gates: { checkout_latency_ms: { warning: 500, critical: 900, direction: 'above', unit: 'ms' } } }),
      { start: START, timezone: NY },
    ),
  ],
];

/** Splits a Markdown table row into cells, honouring `\|` escapes. */
function cells(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

function section(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const at = lines.indexOf(`### ${heading}`);
  assert.ok(at >= 0, `has a "${heading}" section`);
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => l.startsWith('### '));
  return end < 0 ? rest : rest.slice(0, end);
}

/** "2026-03-16T11:00:00-04:00" → "Mon 2026-03-16 11:00" */
function wall(iso: string): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(`${iso.slice(0, 10)}T12:00:00Z`).getUTCDay()];
  return `${day} ${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

describe('plan: Markdown and terminal output', () => {
  for (const [name, plan] of plans) {
    describe(name, () => {
      const md = planToMarkdown(plan);

      it('has a stage table whose rows are the plan\'s steps, with their dates', () => {
        const rows = section(md, 'Stages').filter((l) => l.startsWith('| ')).map(cells);
        assert.deepEqual(rows[0].slice(0, 6), ['#', 'Stage', 'Traffic', 'Wait', 'Start', 'End']);
        const body = rows.slice(2);
        const expected = plan.stages.flatMap((s) =>
          s.steps.length
            ? s.steps.map((st) => [String(s.number), s.name, `${st.trafficPercent}%`, st.waitHours.min === st.waitHours.max ? `${st.waitHours.min} h` : `${st.waitHours.min}–${st.waitHours.max} h`, wall(st.start), wall(st.end)])
            : [[String(s.number), `${s.name} (not required)`, '—', '—', '—', '—']],
        );
        assert.deepEqual(body.map((r) => r.slice(0, 6)), expected);
      });

      it('has the checklist as task-list items, ticked exactly where the plan says done', () => {
        const items = section(md, 'Pre-deployment checklist')
          .map((l) => /^- \[( |x)\] (.+?)(?: — (.*))?$/.exec(l))
          .filter((m): m is RegExpExecArray => m !== null);
        assert.deepEqual(items.map((m) => [m[2], m[1] === 'x']), plan.checklist.map((c) => [c.text, c.state === 'done']));
        for (const [i, m] of items.entries()) if (plan.checklist[i].state === 'not-done') assert.match(m[3], /^\*\*not done:\*\*/);
      });

      it('lists the gates, the rollback levels, the procedure after a rollback, and the warnings', () => {
        const gateRows = section(md, 'Gates').filter((l) => l.startsWith('| ')).slice(2).map(cells);
        const gates = plan.stages.find((s) => s.gates.length)?.gates ?? [];
        assert.deepEqual(gateRows.map((r) => r[0]), gates.map((g) => `${g.label} (\`${g.metric}\`)`));
        assert.deepEqual(gateRows.map((r) => r[5]), gates.map((g) => `Level ${g.rollbackLevel}`));
        const levels = section(md, 'Rollback levels').filter((l) => /^\d\. /.test(l));
        assert.deepEqual(levels.map((l) => l.startsWith(`${l[0]}. ~~`)), plan.rollbackLevels.map((l) => !l.available));
        assert.equal(section(md, 'After any rollback').filter((l) => /^\d\. \*\*/.test(l)).length, 6);
        assert.equal(md.includes('> [!WARNING]'), plan.rollbackWarning !== undefined);
        for (const s of plan.stages) for (const st of s.steps) for (const m of st.moved) assert.ok(md.includes(m.message), `names the move: ${m.rule}`);
      });

      it('lists the custom metrics to track after the gates, each with its name, whether it is gated, and why', () => {
        const metrics = plan.customMetrics ?? [];
        const lines = md.split('\n');
        assert.equal(lines.includes('### Custom metrics to track'), metrics.length > 0);
        if (!metrics.length) return;
        assert.ok(lines.indexOf('### Custom metrics to track') > lines.indexOf('### Gates'), 'comes after the gates');
        const items = section(md, 'Custom metrics to track')
          .map((l) => /^- \*\*(.+?)\*\* \(`([a-z0-9_]+)`\) — (gated|suggested): (.+)$/.exec(l))
          .filter((m): m is RegExpExecArray => m !== null);
        assert.deepEqual(items.map((m) => [m[1], m[2], m[3] === 'gated', m[4]]), metrics.map((m) => [forMarkdown(m.label), m.metric, m.gated, forMarkdown(m.why)]));
        const text = formatPlan(plan);
        for (const m of metrics) {
          const where = m.file === undefined ? 'policy gate' : m.line ? `${m.file}:${m.line}` : m.file;
          assert.ok(text.includes(`  ${m.label}${m.gated ? ' (gated)' : ''} — ${where}`), `the terminal names ${m.metric} and where`);
        }
      });

      it('prints a terminal timeline within 80 columns, with every step\'s date', () => {
        const text = formatPlan(plan);
        for (const line of text.split('\n')) assert.ok([...line].length <= 80, `fits 80 columns: "${line}"`);
        for (const s of plan.stages) for (const st of s.steps) assert.ok(text.includes(wall(st.start)), `shows ${st.start}`);
      });
    });
  }
});
