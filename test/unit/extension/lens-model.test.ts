import assert from 'node:assert/strict';
import type { Assessment, FileAssessment } from '../../../src/core/risk/types';
import { findingLensTitle, irreversibleFindings, lensesForFile, rankedFindings } from '../../../src/extension/lenses/model';
import { riskTree } from '../../../src/extension/tree/model';
import { HOVER_COMMANDS, NO_REPOSITORY, statusFor } from '../../../src/extension/status/model';

const migration: FileAssessment = {
  path: 'db/migrations/002_drop_email.sql',
  status: 'added',
  kind: 'code',
  tier: 'HIGH',
  ranges: [{ start: 1, end: 3 }],
  linesAdded: 3,
  linesDeleted: 0,
  findings: [
    { rule: 'migration-breaking', tier: 'HIGH', line: 2, message: 'drops column `users.email`: breaking for running code', short: 'breaking migration' },
    { rule: 'migration', tier: 'MEDIUM', line: 0, message: 'adds a database migration' },
  ],
};

const charge: FileAssessment = {
  path: 'src/payments/charge.ts',
  status: 'modified',
  kind: 'code',
  tier: 'HIGH',
  ranges: [
    { start: 10, end: 12 },
    { start: 40, end: 41 },
  ],
  linesAdded: 5,
  linesDeleted: 1,
  findings: [
    { rule: 'payment', tier: 'HIGH', line: 0, message: 'touches payment processing', short: 'payment path' },
    { rule: 'data-write', tier: 'MEDIUM', line: 41, message: 'writes to `orders`', short: 'data write' },
    { rule: 'auth', tier: 'HIGH', line: 77, message: 'removes a session check' },
  ],
};

describe('extension: code lens text', () => {
  it('reads as tier · what the finding is — short reason', () => {
    assert.equal(findingLensTitle(migration.findings[0]), 'HIGH · drops column users.email — breaking migration');
  });

  it('puts one lens at the top of the file and one per changed region', () => {
    const lenses = lensesForFile(migration, 'all');
    assert.deepEqual(
      lenses.map((l) => [l.kind, l.line]),
      [['file', 1], ['region', 1]],
    );
    assert.match(lenses[0].title, /^Rollout Lens: HIGH · 2 findings/);
    assert.equal(lenses[1].title, 'HIGH · drops column users.email — breaking migration');
    assert.deepEqual(lenses[1].target, { file: migration.path, line: 2 });
  });

  it('falls back to the file-wide reason in a region without its own finding, and keeps findings outside the regions', () => {
    const lenses = lensesForFile(charge, 'all').filter((l) => l.kind === 'region');
    assert.deepEqual(lenses.map((l) => l.line), [10, 40, 77]);
    assert.match(lenses[0].title, /^HIGH · touches payment processing/);
    assert.match(lenses[1].title, /^MEDIUM · writes to orders — data write/);
    assert.match(lenses[2].title, /^HIGH · removes a session check/);
  });

  it('keeps only the file lens in mode "file", none in mode "off"', () => {
    assert.deepEqual(lensesForFile(charge, 'file').map((l) => l.kind), ['file']);
    assert.deepEqual(lensesForFile(charge, 'off'), []);
  });

  it('says when no rule matched a region rather than inventing a reason', () => {
    const docs: FileAssessment = { path: 'README.md', status: 'modified', kind: 'docs', tier: 'ZERO', ranges: [{ start: 3, end: 3 }], linesAdded: 1, linesDeleted: 0, findings: [] };
    const [file, region] = lensesForFile(docs, 'all');
    assert.match(file.title, /ZERO · no risk rule matched/);
    assert.equal(region.title, 'ZERO · no risk rule matched these lines');
  });
});

describe('extension: status bar and diagnostics', () => {
  const assessment: Assessment = {
    tier: 'HIGH',
    files: [migration, charge],
    summary: { filesChanged: 2, linesAdded: 8, linesDeleted: 1 },
    flags: [],
  };

  it('reads "Risk: HIGH", with a label that names the extension', () => {
    const s = statusFor(assessment);
    assert.equal(s.text, 'Risk: HIGH');
    assert.match(s.label, /^Rollout Lens: deployment risk HIGH, 5 findings, a breaking migration$/);
  });

  it('hovers with the tier, the counts and the findings as links to the plan, irreversible first', () => {
    const lines = statusFor(assessment).hover.split('\n').filter((l) => l.trim() !== '');
    assert.match(lines[0], /^\*\*Rollout Lens\*\* · deployment risk \*\*HIGH\*\*/);
    assert.equal(lines[1], '2 files changed, +8 −1 · 5 findings (3 HIGH, 2 MEDIUM)');
    // The breaking migration leads though the charge's HIGH finding has the same tier.
    assert.match(lines[2], /^- \*\*HIGH\*\* · irreversible \[db\/migrations\/002\\_drop\\_email\.sql:2\]\(command:rolloutLens\.openPlanAt\?/);
    const args = JSON.parse(decodeURIComponent(/openPlanAt\?([^)]+)\)/.exec(lines[2])![1]));
    assert.deepEqual(args, [{ file: 'db/migrations/002_drop_email.sql', line: 2 }]);
    assert.match(lines[lines.length - 1], /^\[Open plan\]\(command:rolloutLens\.generatePlan\) · \[Copy Markdown\]\(command:rolloutLens\.copyPlanMarkdown\)$/);
    // Every link runs one of the commands the hover trusts.
    for (const m of statusFor(assessment).hover.matchAll(/\(command:([\w.]+)/g)) assert.ok(HOVER_COMMANDS.includes(m[1]), m[1]);
  });

  it('lists five findings and counts the rest', () => {
    const many: FileAssessment = { ...charge, findings: Array.from({ length: 8 }, (_, i) => ({ rule: 'app-change', tier: 'MEDIUM' as const, line: 10 + i, message: `changes line ${10 + i}` })) };
    const hover = statusFor({ ...assessment, files: [many] }).hover;
    assert.equal(hover.split('\n').filter((l) => l.startsWith('- **')).length, 5);
    assert.match(hover, /^- \[\\\+3 more\]\(command:rolloutLens\.generatePlan\)$/m);
  });

  it('asks for attention only for a breaking migration, unless the setting says otherwise', () => {
    assert.equal(statusFor(assessment).warn, true);
    const paymentsOnly: Assessment = { ...assessment, files: [charge] };
    assert.equal(statusFor(paymentsOnly).tier, 'HIGH');
    assert.equal(statusFor(paymentsOnly).warn, false);
    assert.equal(statusFor(paymentsOnly, 'high').warn, true);
    assert.equal(statusFor(assessment, 'never').warn, false);
  });

  it('says "no changes" on a clean tree, not ZERO, and names a folder without git', () => {
    const clean: Assessment = { tier: 'ZERO', files: [], summary: { filesChanged: 0, linesAdded: 0, linesDeleted: 0 }, flags: [], base: 'HEAD' };
    assert.equal(statusFor(clean).text, 'Risk: no changes');
    assert.doesNotMatch(statusFor(clean).hover + statusFor(clean).label, /ZERO/);
    assert.equal(NO_REPOSITORY.text, 'Risk: no git repository');
    assert.match(NO_REPOSITORY.hover, /not a git repository.*\n\n\[Plan for a tier…\]\(command:rolloutLens\.generatePlan\)/s);
  });

  it('shows flag-guarded code beside the deploy tier', () => {
    const flagged: Assessment = { ...assessment, tier: 'ZERO', files: [{ ...charge, tier: 'ZERO', findings: [] }], flags: [{ name: 'new-checkout', tier: 'HIGH', files: ['src/checkout.ts'] }] };
    assert.equal(statusFor(flagged).text, 'Risk: ZERO · flag new-checkout: HIGH');
  });

  it('reports what a rollback cannot undo as problems: breaking migrations and data writes', () => {
    assert.deepEqual(irreversibleFindings(assessment), [
      { file: 'db/migrations/002_drop_email.sql', line: 2, rule: 'migration-breaking', message: 'drops column users.email: breaking for running code' },
      { file: 'src/payments/charge.ts', line: 41, rule: 'data-write', message: 'writes to orders' },
    ]);
  });

  it('marks a write through any ORM irreversible, in the hover, the Problems panel and the risk tree', () => {
    const prisma: FileAssessment = {
      path: 'src/orders/store.ts',
      status: 'modified',
      kind: 'code',
      tier: 'HIGH',
      ranges: [{ start: 5, end: 6 }],
      linesAdded: 2,
      linesDeleted: 0,
      findings: [
        { rule: 'api', tier: 'HIGH', line: 5, message: 'changes an API route or contract (`router.post`): clients depend on its contract' },
        { rule: 'data-write-prisma', tier: 'HIGH', line: 6, message: 'writes to the database (Prisma: `create`): a bug here corrupts stored records' },
      ],
    };
    const a: Assessment = { tier: 'HIGH', files: [prisma], summary: { filesChanged: 1, linesAdded: 2, linesDeleted: 0 }, flags: [] };
    assert.deepEqual(rankedFindings(a).map((p) => p.finding.rule), ['data-write-prisma', 'api'], 'the write leads');
    assert.match(statusFor(a).hover, /^- \*\*HIGH\*\* · irreversible \[src\/orders\/store\.ts:6\]/m);
    assert.deepEqual(irreversibleFindings(a).map((p) => [p.rule, p.line]), [['data-write-prisma', 6]]);
    assert.deepEqual(riskTree(a)[0].files[0].findings.map((f) => [f.target.line, f.irreversible]), [[6, true], [5, false]]);
    // A write is not a breaking migration: the status item keeps its warning for those.
    assert.equal(statusFor(a).warn, false);
  });
});

describe('extension: removed lines in the editor', () => {
  // message.rb after the change: two lines gone after line 4, one after line 8; one line added at 3.
  const message: FileAssessment = {
    path: 'app/models/message.rb',
    status: 'modified',
    kind: 'code',
    tier: 'HIGH',
    ranges: [{ start: 3, end: 3 }],
    linesAdded: 1,
    linesDeleted: 3,
    findings: [
      { rule: 'app-change', tier: 'MEDIUM', line: 3, message: 'changes application behaviour in production: ship it to a canary first', short: 'app change' },
      { rule: 'data-write', tier: 'HIGH', line: 6, side: 'removed', after: 5, message: 'stops a database write (`save!`): check nothing still reads what it wrote', short: 'data write' },
      { rule: 'auth', tier: 'HIGH', line: 11, side: 'removed', after: 9, message: 'removes authentication code (`authenticate`): a mistake locks users out or lets the wrong ones in', short: 'auth' },
    ],
  };

  it('sits above the deletion point of the new file, not at the old line number, and says it is a removal', () => {
    const lenses = lensesForFile(message, 'all');
    assert.deepEqual(lenses.map((l) => [l.kind, l.line]), [['file', 1], ['region', 3], ['region', 6], ['removed', 6], ['region', 10], ['removed', 10]]);
    assert.equal(lenses[2].title, 'HIGH · removed after line 5: stops a database write (save!) — data write');
    assert.deepEqual(lenses[2].target, { file: message.path, line: 6 });
    assert.equal(lenses[3].title, 'Show removed lines');
    assert.match(lenses[2].tooltip, /^HIGH \(removed after line 5; line 6 before the change\): stops a database write/);
  });

  it('joins a removal to the region of added lines that replaced it', () => {
    const replaced: FileAssessment = { ...message, ranges: [{ start: 6, end: 7 }], findings: [message.findings[1]] };
    const lenses = lensesForFile(replaced, 'all');
    assert.deepEqual(lenses.map((l) => [l.kind, l.line]), [['file', 1], ['region', 6], ['removed', 6]]);
  });

  it('puts one lens, not two, on line 1 of a new file with one finding', () => {
    const added: FileAssessment = { path: 'src/new.ts', status: 'untracked', kind: 'code', tier: 'LOW', ranges: [{ start: 1, end: 20 }], linesAdded: 20, linesDeleted: 0, findings: [{ rule: 'unreferenced-file', tier: 'LOW', line: 0, message: 'new file that nothing in the repository imports or references yet: ships silent', short: 'not wired in' }] };
    const lenses = lensesForFile(added, 'all');
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].title, 'Rollout Lens: LOW · new file that nothing in the repository imports or references yet — not wired in');
    const onFirst: FileAssessment = { ...migration, findings: [{ ...migration.findings[0], line: 1 }] };
    assert.deepEqual(lensesForFile(onFirst, 'all').map((l) => [l.kind, l.line, l.title]), [['file', 1, 'Rollout Lens: HIGH · drops column users.email — breaking migration']]);
  });
});
