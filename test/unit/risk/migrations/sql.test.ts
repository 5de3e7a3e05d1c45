import { strict as assert } from 'node:assert';
import type { ChangedFile } from '../../../../src/core/change/types';
import { analyzeMigration, isMigrationFile } from '../../../../src/core/risk/migrations';
import { added, at, fixture, lines } from './helpers';

describe('SQL migrations', () => {
  it('recognises migration paths of each supported layout, and not ordinary code or SQL', () => {
    for (const p of [
      'db/migrate/20240501120000_add_nickname.rb',
      'src/main/resources/db/migration/V2__add_nickname.sql',
      'sql/V2_1__add_nickname.sql',
      'prisma/migrations/20240501_init/migration.sql',
      'prisma/schema.prisma',
      'accounts/migrations/0042_rework_users.py',
      'alembic/versions/3f2a1b_rework_users.py',
      'migrations/20240501_rework_users.js',
      'src/migrations/1714567890123-ReworkUsers.ts',
      'db/changelog/db.changelog-master.yaml',
      'db/changelog/changelog.xml',
      'api/src/main/resources/org/shop/liquibase/updates/liquibase-update-to-latest-2.1.x.xml',
    ])
      assert.ok(isMigrationFile(p), p);
    for (const p of ['src/db.ts', 'app/models/user.rb', 'queries/report.sql', 'accounts/migrations/__init__.py', 'src/types.d.ts', 'pom.xml', 'README.md'])
      assert.ok(!isMigrationFile(p), p);
  });

  it('judges each statement on the line it starts, quoting it, with multi-line statements whole', async () => {
    const f = await analyzeMigration(added('db/migration/V3__release.sql', fixture('squawk/003_mixed.sql')));
    assert.ok(f);
    assert.deepEqual(lines(f), [
      '4 migration', // ADD COLUMN renewal_at (nullable)
      '7 data-write', // UPDATE … spanning lines 7-9
      '11 data-write',
      '12 data-write',
      '14 migration', // CREATE INDEX without CONCURRENTLY
      '15 migration-breaking', // CREATE UNIQUE INDEX on plans, a table the script does not create
      '17 migration', // CREATE FUNCTION: one statement despite the semicolons in its body
      '24 migration',
      '25 migration',
      '27 data-write', // TRUNCATE
      '28 migration-breaking', // DROP VIEW
    ]);
    assert.equal(at(f, 7)[0]!.quote, "UPDATE subscriptions SET renewal_at = started_at + interval '1 year' WHERE renewal_at IS NULL");
    assert.match(at(f, 14)[0]!.message, /creates index `subscriptions_renewal_at_idx` on `subscriptions` without CONCURRENTLY: blocks writes/);
    assert.equal(at(f, 14)[0]!.tier, 'MEDIUM');
    assert.match(at(f, 27)[0]!.message, /empties table `subscription_cache`/);
  });

  it('words verdicts as the seed does: breaking for running code, or backward compatible', async () => {
    const f = await analyzeMigration(added('migrations/001.sql', 'ALTER TABLE users ADD COLUMN nickname text;\nALTER TABLE users DROP COLUMN email;\n'));
    assert.deepEqual(f, [
      { rule: 'migration', tier: 'MEDIUM', line: 1, message: 'adds column `users.nickname` (nullable): backward compatible', short: 'backward-compatible migration', quote: 'ALTER TABLE users ADD COLUMN nickname text', schemaChange: 'add-column' },
      { rule: 'migration-breaking', tier: 'HIGH', line: 2, message: 'drops column `users.email`: breaking for running code', short: 'breaking migration', quote: 'ALTER TABLE users DROP COLUMN email', schemaChange: 'drop-column' },
    ]);
  });

  it('reports a statement that does not parse on its line, and still judges the others', async () => {
    const sql = ['-- release 42', 'ALTER TABLE users ADD COLUMN nickname text;', '', 'ALTER TABLE users DRP COLUMN email;', 'DROP TABLE sessions;', "SELECT 'é' FROM;"].join('\n');
    const f = await analyzeMigration(added('db/migration/V4__broken.sql', sql));
    assert.deepEqual(lines(f), ['2 migration', '4 migration-unparsed', '5 migration-breaking', '6 migration-unparsed']);
    const bad = at(f, 4)[0]!;
    assert.equal(bad.tier, 'HIGH');
    assert.equal(bad.quote, 'ALTER TABLE users DRP COLUMN email;');
    assert.match(bad.message, /syntax error at or near "DRP"/);
  });

  it('never throws on input that is not SQL at all', async () => {
    for (const text of ['', '   \n-- only a comment\n', "'unterminated", '$$ never closed', '\u0000\u0001binary']) {
      const f = await analyzeMigration(added('migrations/x.sql', text));
      assert.ok(Array.isArray(f));
      assert.ok(f.every((x) => x.rule === 'migration-unparsed'), JSON.stringify(f));
    }
  });

  it('for an edited migration, reports only the statements on changed lines', async () => {
    const content = 'ALTER TABLE users DROP COLUMN email;\nALTER TABLE users ADD COLUMN nickname text;\n';
    const file: ChangedFile = { ...added('migrations/002.sql', content), status: 'modified', ranges: [{ start: 2, end: 2 }], addedLines: [{ line: 2, text: 'ALTER TABLE users ADD COLUMN nickname text;' }] };
    assert.deepEqual(lines(await analyzeMigration(file)), ['2 migration-edited', '2 migration']);
  });

  it('returns null for files that are not migrations', async () => {
    assert.equal(await analyzeMigration(added('src/app.ts', 'export const x = 1;')), null);
    assert.equal(await analyzeMigration(added('migrations/helpers.js', 'module.exports = { slugify };')), null);
    assert.equal(await analyzeMigration(added('db/changelog/notes.yaml', 'title: not a changelog')), null);
  });
});
