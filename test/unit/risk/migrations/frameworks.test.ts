import { strict as assert } from 'node:assert';
import { analyzeMigration } from '../../../../src/core/risk/migrations';
import { added, at, fixture, lines } from './helpers';

/*
 * Each framework's realistic migration: the same schema change (rework of `users`) written
 * its own way. The forward step is judged statement by statement on its own line; the
 * rollback step (`down`, `downgrade`, `<rollback>`) is not part of the deploy.
 */

async function read(name: string, asPath: string) {
  const findings = await analyzeMigration(added(asPath, fixture(`frameworks/${name}.txt`)));
  assert.ok(findings, `${asPath} is read as a migration`);
  return findings;
}

function expectBreaking(findings: Awaited<ReturnType<typeof read>>, line: number, text: RegExp): void {
  const f = at(findings, line).find((x) => text.test(x.message));
  assert.ok(f, `line ${line}: expected a finding like ${text}; got ${JSON.stringify(at(findings, line).map((x) => x.message))}`);
  assert.equal(f.rule, 'migration-breaking');
  assert.equal(f.tier, 'HIGH');
  assert.equal(f.short, 'breaking migration');
}

function expectCompatible(findings: Awaited<ReturnType<typeof read>>, line: number, text: RegExp): void {
  const f = at(findings, line).find((x) => text.test(x.message));
  assert.ok(f, `line ${line}: expected a finding like ${text}; got ${JSON.stringify(at(findings, line).map((x) => x.message))}`);
  assert.equal(f.rule, 'migration');
  assert.equal(f.tier, 'MEDIUM');
}

function expectDataWrite(findings: Awaited<ReturnType<typeof read>>, line: number): void {
  assert.ok(at(findings, line).some((x) => x.rule === 'data-write' && x.tier === 'HIGH'), `line ${line}: expected a data write; got ${lines(findings).join(', ')}`);
}

describe('framework migrations', () => {
  it('Rails: reads up, skips down, and treats create_table columns as part of the new table', async () => {
    const f = await read('20240501120000_rework_users.rb', 'db/migrate/20240501120000_rework_users.rb');
    expectCompatible(f, 5, /adds column `users.nickname` \(nullable\)/);
    expectBreaking(f, 6, /adds column `users.tenant_id` NOT NULL without a default/);
    expectCompatible(f, 7, /`users.active` \(NOT NULL with a default\)/);
    expectBreaking(f, 8, /drops column `users.legacy_token`/);
    expectBreaking(f, 9, /renames column `users.name` to `full_name`/);
    expectBreaking(f, 10, /changes column `orders.total`/);
    expectCompatible(f, 11, /concurrently/);
    expectCompatible(f, 12, /without CONCURRENTLY: blocks writes/);
    expectCompatible(f, 13, /creates table `api_keys`/);
    assert.deepEqual(at(f, 14), [], 'the new table\'s own columns are not separate changes');
    expectBreaking(f, 19, /drops column `accounts.plan_code`/);
    expectBreaking(f, 20, /adds column `accounts.region` NOT NULL/);
    expectDataWrite(f, 22);
    assert.equal(at(f, 22)[0]!.quote, 'User.where(active: nil).update_all(active: true)');
    expectDataWrite(f, 24);
    expectBreaking(f, 25, /drops table `sessions`/);
    expectBreaking(f, 27, /drops table `feature_toggles`/);
    assert.ok(f.every((x) => x.line < 30), 'nothing from def down');
  });

  it('Django: operations in order, RunSQL parsed, RunPython a data write, comments ignored', async () => {
    const f = await read('0042_rework_users.py', 'accounts/migrations/0042_rework_users.py');
    expectCompatible(f, 13, /`user.nickname` \(nullable\)/);
    // Django fills existing rows with `default` and then drops it from the database.
    expectBreaking(f, 18, /`user.is_staff` NOT NULL whose default Django drops/);
    expectCompatible(f, 23, /`user.score` \(NOT NULL with a database default\)/);
    expectBreaking(f, 28, /drops column `user.legacy_token`/);
    expectBreaking(f, 29, /renames column `user.name` to `full_name`/);
    // No earlier definition of the field to compare with: reviewed by hand, as a migration.
    expectCompatible(f, 30, /changes column `order.total`, but its earlier definition .*review it by hand/);
    expectBreaking(f, 35, /drops table `session`/);
    expectBreaking(f, 36, /renames table `order` to `purchase`/);
    expectDataWrite(f, 37);
    expectCompatible(f, 40, /creates index `user_nickname_idx` on `accounts_user` concurrently/);
    expectBreaking(f, 41, /drops column `accounts_user.old_flag`/);
    assert.equal(at(f, 41)[0]!.quote, 'ALTER TABLE accounts_user DROP COLUMN old_flag');
    assert.ok(!f.some((x) => /user_nickname_idx/.test(x.message) && /drops/.test(x.message)), 'reverse_sql is the rollback');
    assert.ok(!f.some((x) => /commented_out/.test(x.message)));
  });

  it('Alembic: upgrade only, batch contexts, server_default decides required columns', async () => {
    const f = await read('3f2a1b_rework_users.py', 'alembic/versions/3f2a1b_rework_users.py');
    expectCompatible(f, 14, /`users.nickname` \(nullable\)/);
    expectBreaking(f, 15, /`users.tenant_id` NOT NULL without a server_default/);
    expectCompatible(f, 16, /`users.active` \(NOT NULL with a server default\)/);
    expectBreaking(f, 17, /drops column `users.legacy_token`/);
    expectBreaking(f, 18, /renames column `users.name` to `full_name`/);
    expectBreaking(f, 19, /changes column `orders.total` to type `Numeric\(12, 2\)`/);
    expectBreaking(f, 20, /makes column `orders.customer_id` NOT NULL/);
    expectCompatible(f, 21, /concurrently/);
    expectBreaking(f, 22, /drops table `sessions`/);
    expectBreaking(f, 23, /renames table `orders` to `purchases`/);
    expectBreaking(f, 25, /drops column `accounts.plan_code`/);
    expectDataWrite(f, 26);
    assert.ok(f.every((x) => x.line < 29), 'nothing from downgrade()');
  });

  it('Knex: builder chains inside alterTable, knex.raw SQL, query-builder writes', async () => {
    const f = await read('20240501_rework_users.js', 'migrations/20240501_rework_users.js');
    expectCompatible(f, 6, /`users.nickname` \(nullable\)/);
    expectBreaking(f, 7, /`users.tenant_id` NOT NULL without a default/);
    expectCompatible(f, 8, /`users.active` \(NOT NULL with a default\)/);
    expectBreaking(f, 9, /drops column `users.legacy_token`/);
    expectBreaking(f, 10, /renames column `users.name`/);
    expectBreaking(f, 11, /changes column `users.total`/);
    expectCompatible(f, 12, /without CONCURRENTLY/);
    expectBreaking(f, 14, /drops table `sessions`/);
    assert.equal(at(f, 14)[0]!.quote, "knex.schema.dropTable('sessions')");
    expectBreaking(f, 15, /renames table `orders` to `purchases`/);
    expectDataWrite(f, 16);
    assert.ok(!f.some((x) => /api_keys/.test(x.message)), 'exports.down is the rollback');
  });

  it('Sequelize: queryInterface calls and sequelize.query SQL in up', async () => {
    const f = await read('20240501-rework-users.js', 'migrations/20240501-rework-users.js');
    expectCompatible(f, 6, /`Users.nickname` \(nullable\)/);
    expectBreaking(f, 7, /`Users.tenantId` with allowNull: false and no defaultValue/);
    expectCompatible(f, 8, /`Users.active` \(NOT NULL with a default\)/);
    expectBreaking(f, 9, /drops column `Users.legacyToken`/);
    expectBreaking(f, 10, /renames column `Users.name` to `fullName`/);
    expectBreaking(f, 11, /changes column `Orders.total`/);
    expectBreaking(f, 11, /makes column `Orders.total` NOT NULL/);
    expectCompatible(f, 12, /concurrently/);
    expectBreaking(f, 13, /drops table `Sessions`/);
    expectBreaking(f, 14, /renames table `Orders` to `Purchases`/);
    expectDataWrite(f, 15);
    expectBreaking(f, 16, /drops table `FeatureToggles`/);
    assert.ok(!f.some((x) => /ApiKeys/.test(x.message)));
  });

  it('TypeORM: SQL in queryRunner.query on its own lines; TableColumn is NOT NULL unless isNullable', async () => {
    const f = await read('1714567890123-ReworkUsers.ts', 'src/migrations/1714567890123-ReworkUsers.ts');
    expectCompatible(f, 7, /`users.nickname` \(nullable\)/);
    expectBreaking(f, 8, /drops column `users.legacy_token`/);
    // The template literal starts on line 10, where the RENAME statement is.
    expectBreaking(f, 10, /renames column `users.name` to `full_name`/);
    expectBreaking(f, 13, /`users.tenant_id` NOT NULL \(isNullable is false by default\)/);
    expectCompatible(f, 14, /`users.bio` \(nullable\)/);
    expectBreaking(f, 15, /drops table `sessions`/);
    expectDataWrite(f, 16);
    assert.ok(!f.some((x) => /nickname/.test(x.message) && /drops/.test(x.message)), 'down() is the rollback');
  });

  it('Liquibase XML: change types, <sql> parsed, comments and <rollback> skipped', async () => {
    const f = await read('changelog.xml', 'db/changelog/changelog.xml');
    expectCompatible(f, 7, /`users.nickname` \(nullable\)/);
    expectBreaking(f, 7, /`users.tenant_id` with nullable="false"/);
    expectBreaking(f, 13, /drops column `users.legacy_token`/);
    expectBreaking(f, 14, /renames column `users.name` to `full_name`/);
    expectBreaking(f, 15, /changes column `orders.total` to type `numeric\(12,2\)`/);
    expectBreaking(f, 16, /makes column `orders.customer_id` NOT NULL/);
    expectDataWrite(f, 19);
    expectCompatible(f, 20, /concurrently/);
    assert.ok(!f.some((x) => /commented_out/.test(x.message)));
    assert.equal(f.filter((x) => /drops column `users.nickname`/.test(x.message)).length, 0, 'rollback is skipped');
  });

  it('Liquibase YAML: change types, sql blocks and rollback', async () => {
    const f = await read('changelog.yaml', 'db/changelog/changelog.yaml');
    expectCompatible(f, 6, /`users.nickname` \(nullable\)/);
    expectBreaking(f, 6, /`users.tenant_id`/);
    expectBreaking(f, 17, /drops table `sessions`/);
    expectBreaking(f, 19, /renames table `orders` to `purchases`/);
    expectBreaking(f, 24, /makes column `users.email` NOT NULL/);
    assert.ok(!f.some((x) => /nickname/.test(x.message) && /drops/.test(x.message)));
  });
});
