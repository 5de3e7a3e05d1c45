import assert from 'node:assert/strict';
import type { Assessment, FileAssessment } from '../../../src/core/risk/types';
import { breakingMigrations, findingLensTitle, lensesForFile, statusFor } from '../../../src/extension/lenses/model';

const migration: FileAssessment = {
  path: 'db/migrations/002_drop_email.sql',
  status: 'added',
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
    const docs: FileAssessment = { path: 'README.md', status: 'modified', tier: 'ZERO', ranges: [{ start: 3, end: 3 }], linesAdded: 1, linesDeleted: 0, findings: [] };
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

  it('shows the tier and lists the reasons in the tooltip, strongest first', () => {
    const s = statusFor(assessment);
    assert.equal(s.text, 'HIGH');
    const lines = s.tooltip.split('\n');
    assert.equal(lines[0], 'Deployment risk: HIGH');
    assert.match(lines[2], /^HIGH · db\/migrations\/002_drop_email.sql:2 — drops column users.email/);
  });

  it('shows flag-guarded code beside the deploy tier', () => {
    const flagged: Assessment = { ...assessment, tier: 'ZERO', files: [], flags: [{ name: 'new-checkout', tier: 'HIGH', files: ['src/checkout.ts'] }] };
    assert.equal(statusFor(flagged).text, 'ZERO · flag new-checkout: HIGH');
  });

  it('reports only breaking migrations as problems', () => {
    assert.deepEqual(breakingMigrations(assessment), [
      { file: 'db/migrations/002_drop_email.sql', line: 2, message: 'drops column users.email: breaking for running code' },
    ]);
  });
});
