import { strict as assert } from 'node:assert';
import { buildPlan } from '../../../../src/core/plan';
import type { RuleId } from '../../../../src/core/risk/types';
import { assessment, file, NY, policy } from '../../plan/helpers';

/* The checklist's migrations item does not call a migration compatible when it was not read, or edits one that already ran. */

const START = new Date('2026-03-10T10:00:00-04:00');
const migrationsItem = (rule: RuleId, message: string) =>
  buildPlan(assessment('HIGH', { files: [file('db/migration/V1__init.sql', 'HIGH', [{ rule, message }])] }), policy({}), { start: START, timezone: NY }).checklist.find((c) => c.id === 'migrations')!;

describe('checklist: migrations that are not known to be compatible', () => {
  it('an edit to a migration the base has is not done, and says why', () => {
    const item = migrationsItem('migration-edited', 'edits a migration the base commit already has: environments that already ran it never see this edit; add a new migration instead');
    assert.equal(item.state, 'not-done');
    assert.match(item.evidence ?? '', /never see this edit/);
  });

  it('a migration that could not be parsed is not done', () => {
    assert.equal(migrationsItem('migration-unparsed', 'could not parse the migration (x): review it by hand').state, 'not-done');
  });

  it('a backward-compatible one still is', () => {
    assert.equal(migrationsItem('migration', 'adds column `users.nickname` (nullable): backward compatible').state, 'done');
  });
});
