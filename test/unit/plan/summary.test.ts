/** The answer the plan leads with, and the Markdown's "Why this tier", checklist ticks and what-if label. */
import { strict as assert } from 'node:assert';
import { buildPlan, placedFindings, planToMarkdown, summarizePlan } from '../../../src/core/plan';
import { durationText, shortWhen } from '../../../src/core/plan/summary';
import { assessment, file, policy } from './helpers';

const BERLIN = 'Europe/Berlin';
const START = new Date('2026-12-02T10:00:00+01:00');

const dropping = assessment('HIGH', {
  files: [
    file('app/models/user.rb', 'HIGH', [{ rule: 'data-write', line: 40, message: 'writes user rows' }, { rule: 'auth', line: 12, message: 'changes session handling code' }]),
    file('db/migrate/20261201_drop_email.rb', 'HIGH', [{ rule: 'migration-breaking', line: 3, message: 'drops column `users.email`: breaking for running code' }]),
    file('app/views/users/show.html.erb', 'MEDIUM', [{ rule: 'app-change', tier: 'MEDIUM', line: 7, message: 'changes application behaviour in production' }]),
    file('app/models/order.rb', 'HIGH', [{ rule: 'auth', line: 2, message: 'changes permission checks' }]),
  ],
});
const plan = buildPlan(dropping, policy(), { start: START, timezone: BERLIN });
const findings = placedFindings(dropping);

describe('plan summary: the answer first', () => {
  it('names the decisive findings, those a rollback cannot undo first, each with file:line', () => {
    const s = summarizePlan(plan, findings);
    assert.deepEqual(
      s.decisive.map((f) => `${f.file}:${f.line}`),
      ['db/migrate/20261201_drop_email.rb:3', 'app/models/user.rb:40', 'app/models/order.rb:2'],
    );
    assert.equal(s.more, 1, 'four HIGH findings, three listed');
    assert.equal(s.why, 'HIGH because of 4 findings at HIGH, 2 not undone by a rollback.');
  });

  it('recommends the expand/contract split for a dropped column', () => {
    const onlyDrop = assessment('HIGH', {
      files: [file('db/migrate/1_drop.rb', 'HIGH', [{ rule: 'migration-breaking', line: 3, message: 'drops column `users.email`: breaking for running code', schemaChange: 'drop-column' }])],
    });
    const p = buildPlan(onlyDrop, policy(), { start: START, timezone: BERLIN });
    assert.equal(summarizePlan(p, placedFindings(onlyDrop)).recommendation, 'Split: ship the code that stops using the column first; drop it in a later deploy.');
  });

  it('chooses the split by the kind of schema change the finding names, whatever its words', () => {
    const advice = (schemaChange: 'set-not-null' | 'rename-table' | 'change-column-type' | 'drop-object') => {
      const a = assessment('HIGH', { files: [file('db/migrate/2_x.rb', 'HIGH', [{ rule: 'migration-breaking', line: 1, message: 'a reworded message', schemaChange }])] });
      return summarizePlan(buildPlan(a, policy(), { start: START, timezone: BERLIN }), placedFindings(a)).recommendation;
    };
    assert.equal(advice('set-not-null'), 'Split: ship the code that always writes the column first; add the constraint in a later deploy.');
    assert.equal(advice('rename-table'), 'Split: add the new name and write to both, move the readers to it, then drop the old name in a later deploy.');
    assert.equal(advice('change-column-type'), 'Split: add a new column of the new type, write to both and backfill, move the readers, then drop the old column in a later deploy.');
    assert.equal(advice('drop-object'), 'Split it expand/contract: ship the additive change first, move the readers, contract in a later deploy.');
  });

  it('counts a write through any ORM as not undone by a rollback, and leads with it', () => {
    const writing = assessment('HIGH', {
      files: [
        file('src/auth/session.ts', 'HIGH', [{ rule: 'auth', line: 2, message: 'changes session handling code (`session`): a mistake locks users out or lets the wrong ones in' }]),
        file('src/orders/store.ts', 'HIGH', [{ rule: 'data-write-prisma', line: 9, message: 'writes to the database (Prisma: `create`): a bug here corrupts stored records' }]),
      ],
    });
    const p = buildPlan(writing, policy(), { start: START, timezone: BERLIN });
    const s = summarizePlan(p, placedFindings(writing));
    assert.equal(s.why, 'HIGH because of 2 findings at HIGH, 1 not undone by a rollback.');
    assert.deepEqual(s.decisive.map((f) => f.rule), ['data-write-prisma', 'auth']);
    assert.equal(s.recommendation, 'Back up the data this change writes and rehearse the restore before stage 1: a code rollback does not undo it.');
  });

  it('gives the schedule in one line: first start → last end, the traffic steps, the calendar time', () => {
    const s = summarizePlan(plan, findings);
    const steps = plan.stages.filter((x) => x.number >= 3 && x.required).flatMap((x) => x.steps).length;
    assert.equal(s.schedule, `${shortWhen(plan.schedule.start)} → ${shortWhen(plan.schedule.end)}, ${steps} traffic steps, ${durationText(plan.schedule.start, plan.schedule.end)}`);
    assert.match(s.schedule, /^Wed 2 Dec 1\d:\d\d → \w{3} \d{1,2} \w{3} \d\d:\d\d, \d traffic steps, about \d+ days$/);
    assert.equal(shortWhen('2026-12-11T10:00:00+01:00'), 'Fri 11 Dec 10:00');
    assert.equal(durationText('2026-12-02T10:00:00+01:00', '2026-12-11T10:00:00+01:00'), 'about 9 days');
    assert.equal(durationText('2026-12-02T10:00:00+01:00', '2026-12-02T15:00:00+01:00'), 'about 5 h');
  });

  it('states the rollback once when every stage names the same one, and says a chosen tier is not an analysis', () => {
    const medium = buildPlan(assessment('MEDIUM'), policy(), { start: START, timezone: BERLIN });
    const s = summarizePlan(medium, undefined);
    assert.equal(s.why, 'MEDIUM: a chosen tier, not an analysis of the change.');
    const levels = new Set(medium.stages.filter((x) => x.required).map((x) => `${x.rollback.level} ${x.rollback.action}`));
    assert.equal(s.rollback !== undefined, levels.size === 1);
    assert.match(s.recommendation, /^Canary: 10 → 50 → 100 %/);
  });
});

describe('plan text: the product\'s words, not its specification\'s', () => {
  it('never says "seed" in a plan, its notes or its Markdown', () => {
    for (const tier of ['ZERO', 'LOW', 'MEDIUM', 'HIGH'] as const) {
      for (const securityHotfix of [false, true]) {
        const p = buildPlan(assessment(tier, { securityHotfix }), policy(), { start: START, timezone: BERLIN, securityHotfix });
        assert.doesNotMatch(JSON.stringify(p), /\bseed\b/i, `${tier}${securityHotfix ? ' hotfix' : ''}`);
        assert.doesNotMatch(planToMarkdown(p), /\bseed\b/i, `${tier}${securityHotfix ? ' hotfix' : ''} Markdown`);
      }
    }
  });
});

describe('plan Markdown: what a reviewer needs', () => {
  it('has a "Why this tier" section with the top findings and their file:line', () => {
    const md = planToMarkdown(plan, { findings });
    const why = md.split('### Why this tier')[1].split('### ')[0];
    assert.match(why, /^- `app\/models\/user\.rb:40` — writes user rows$/m);
    assert.match(why, /^- `db\/migrate\/20261201_drop_email\.rb:3` — drops column `users\.email`: breaking for running code$/m);
    assert.match(why, /^- and 1 more at HIGH$/m);
    assert.match(why, /\*\*Schedule:\*\* Wed 2 Dec/);
    assert.ok(md.indexOf('### Why this tier') < md.indexOf('### Stages'));
  });

  it('carries the ticks made in the editor, and has no column that is always "yes"', () => {
    const review = plan.checklist.find((c) => c.id === 'review')!;
    assert.equal(review.state, 'unknown');
    const ticked = planToMarkdown(plan, { findings, ticks: { review: true } });
    assert.match(ticked, new RegExp(`^- \\[x\\] ${review.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    assert.doesNotMatch(planToMarkdown(plan, { findings }), /^- \[x\] Code reviewed/m);
    const header = planToMarkdown(plan).split('\n').find((l) => l.startsWith('| #'))!;
    assert.doesNotMatch(header, /Required/);
  });

  it('labels a plan made with unsaved what-if values, and only such a plan', () => {
    assert.match(planToMarkdown(plan, { whatIf: true }), /^> What-if values in effect, not saved to the policy/m);
    assert.doesNotMatch(planToMarkdown(plan), /What-if/);
  });
});
