import { strict as assert } from 'node:assert';
import type { ChangedFile } from '../../../../src/core/change/types';
import { analyzeMigration, detectDialect } from '../../../../src/core/risk/migrations';
import { maxTier } from '../../../../src/core/tier';
import { added, lines } from './helpers';

/* MySQL/MariaDB and SQLite migrations, edits to migrations that already ran, and schema snapshots. */

describe('migration dialects', () => {
  it('reads MySQL backticks, MODIFY and CHANGE COLUMN', async () => {
    const sql = ['ALTER TABLE `posts` MODIFY `body` MEDIUMTEXT NOT NULL;', 'ALTER TABLE posts CHANGE COLUMN hits views INT;', 'ALTER TABLE `posts` ADD COLUMN `lang` VARCHAR(8) DEFAULT NULL AFTER `body`;'].join('\n');
    const f = await analyzeMigration(added('db/migration/mysql/V7__posts.sql', sql));
    assert.deepEqual(lines(f), ['1 migration-breaking', '2 migration-breaking', '2 migration-breaking', '3 migration']);
    assert.match(f![0]!.message, /changes column `posts.body` to type `MEDIUMTEXT NOT NULL`/);
    assert.match(f![1]!.message, /renames column `posts.hits` to `views`/);
  });

  it('a MySQL project gets no CONCURRENTLY advice and no PostgreSQL lock hazards', async () => {
    const f = await analyzeMigration(added('migrations/0003_index.sql', 'CREATE INDEX idx_posts_owner ON posts (owner_id);'), { dialect: 'mysql' });
    assert.equal(f![0]!.tier, 'MEDIUM');
    assert.doesNotMatch(f![0]!.message, /CONCURRENTLY/);
    assert.equal(f![0]!.lockHazards, undefined);
    const pg = await analyzeMigration(added('migrations/0003_index.sql', 'CREATE INDEX idx_posts_owner ON posts (owner_id);'));
    assert.match(pg![0]!.message, /without CONCURRENTLY/);
    assert.deepEqual(pg![0]!.lockHazards, ['require-concurrent-index-creation']);
  });

  it('an ALTER TABLE no parser reads whole is read clause by clause', async () => {
    const sql = 'ALTER TABLE carts\n  MODIFY label VARCHAR(64) NOT NULL,\n  ALTER COLUMN kind DROP DEFAULT;';
    const f = await analyzeMigration(added('db/migration/mysql/V8__carts.sql', sql));
    assert.deepEqual(lines(f), ['1 migration-breaking', '1 migration']);
    assert.match(f![1]!.message, /drops the default of column `carts.kind`/);
  });

  it('reads SQLite migrations', async () => {
    const sql = 'CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);\nUPDATE notes SET body = trim(body);';
    const f = await analyzeMigration(added('migrations/sqlite/002_notes.sql', sql));
    assert.deepEqual(lines(f), ['1 migration', '2 data-write']);
  });

  it('a MySQL statement in a PostgreSQL project is still read rather than left unparsed', async () => {
    const f = await analyzeMigration(added('db/migrations/9_widen.sql', 'ALTER TABLE `tokens` MODIFY `value` TEXT;'));
    assert.deepEqual(lines(f), ['1 migration-breaking']);
  });

  it('finds the dialect from manifests and framework config only', () => {
    assert.equal(detectDialect(new Map([['mysql2', ['Gemfile', 'app/models/user.rb']]])), 'mysql');
    assert.equal(detectDialect(new Map([['sqlite3', ['requirements.txt']]])), 'sqlite');
    assert.equal(detectDialect(new Map([['mysql', ['docs/setup.md']]])), 'postgresql');
    assert.equal(detectDialect(new Map([['mysql', ['go.mod']], ['postgres', ['go.mod']]])), 'postgresql');
  });
});

function modified(path: string, removed: string[], addedText: string[], content: string): ChangedFile {
  const base = added(path, content);
  const start = content.split('\n').indexOf(addedText[0] ?? '') + 1;
  return {
    ...base,
    status: 'modified',
    linesAdded: addedText.length,
    linesDeleted: removed.length,
    ranges: addedText.length ? [{ start, end: start + addedText.length - 1 }] : [],
    addedLines: addedText.map((text, i) => ({ line: start + i, text })),
    removedLines: removed.map((text, i) => ({ line: start + i, text })),
  };
}

describe('edits to migrations that already exist', () => {
  it('an edit to a migration the base has is HIGH whatever it adds, and its statements are judged beside it', async () => {
    const content = 'CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);\nCREATE INDEX tags_name ON tags (name);\n';
    const f = await analyzeMigration(modified('db/migrations/001_init.sql', [], ['CREATE INDEX tags_name ON tags (name);'], content));
    const edit = f!.find((x) => x.rule === 'migration-edited');
    assert.ok(edit, lines(f).join(', '));
    assert.match(edit.message, /environments that already ran it never see this edit, so their schema and that of new environments part ways/);
    // Even a secondary index, backward compatible in a new migration: the databases that ran the old version never get it.
    assert.equal(edit.tier, 'HIGH');
    assert.deepEqual(lines(f), ['2 migration-edited', '2 migration']);
  });

  it('a Flyway versioned script or a Liquibase changelog edited is HIGH: the tool refuses databases that ran the old checksum', async () => {
    const content = 'CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);\n';
    const f = await analyzeMigration(modified('src/main/resources/db/migration/V1__init.sql', ['CREATE TABLE tags (id serial PRIMARY KEY, name text);'], ['CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL);'], content));
    const edit = f!.find((x) => x.rule === 'migration-edited');
    assert.equal(edit?.tier, 'HIGH', lines(f).join(', '));
    assert.match(edit!.message, /Flyway refuses to migrate a database that already ran it/);
    // A repeatable script is meant to be edited: Flyway runs it again.
    const r = await analyzeMigration(modified('src/main/resources/db/migration/R__views.sql', [], ['CREATE INDEX tags_name ON tags (name);'], 'CREATE TABLE tags (id serial PRIMARY KEY, name text);\nCREATE INDEX tags_name ON tags (name);\n'));
    assert.equal(r!.find((x) => x.rule === 'migration-edited')?.tier, 'MEDIUM');
    assert.match(r!.find((x) => x.rule === 'migration-edited')!.message, /Flyway runs it again on every database/);
  });

  it('a changeSet added to a Liquibase changelog is a new migration; an edit inside an existing changeSet is an edit', async () => {
    const old = ['<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">', '  <changeSet id="1" author="a">', '    <addColumn tableName="users">', '      <column name="nickname" type="varchar(64)"/>', '    </addColumn>', '  </changeSet>'];
    const fresh = ['  <changeSet id="2" author="a">', '    <createIndex tableName="users" indexName="users_nickname">', '      <column name="nickname"/>', '    </createIndex>', '  </changeSet>'];
    const content = [...old, ...fresh, '</databaseChangeLog>', ''].join('\n');
    const f = await analyzeMigration(modified('src/main/resources/liquibase/updates/changelog-2.1.xml', [], fresh, content));
    assert.ok(!f!.some((x) => x.rule === 'migration-edited'), lines(f).join(', '));
    assert.ok(f!.some((x) => x.rule === 'migration'), lines(f).join(', '));
    // The same file with a column changed inside changeSet 1: Liquibase's checksum of it no longer matches.
    const edited = content.replace('varchar(64)', 'varchar(128)');
    const g = await analyzeMigration(modified('src/main/resources/liquibase/updates/changelog-2.1.xml', ['      <column name="nickname" type="varchar(64)"/>'], ['      <column name="nickname" type="varchar(128)"/>'], edited));
    assert.equal(g!.find((x) => x.rule === 'migration-edited')?.tier, 'HIGH', lines(g).join(', '));
  });

  it('an edit inside the function a Django RunPython names is a data migration', async () => {
    const content = [
      'from django.db import migrations',
      '',
      'def fill_start(apps, schema_editor):',
      '    Nap = apps.get_model("core", "Nap")',
      '    for nap in Nap.objects.all():',
      '        nap.start = nap.time',
      '        nap.save()',
      '',
      'class Migration(migrations.Migration):',
      '    operations = [',
      '        migrations.AddField(model_name="nap", name="start", field=models.DateTimeField(null=True)),',
      '        migrations.RunPython(fill_start, reverse_code=migrations.RunPython.noop),',
      '    ]',
      '',
    ].join('\n');
    const f = await analyzeMigration(modified('core/migrations/0029_nap_start.py', ['    from core.models import Nap'], ['    Nap = apps.get_model("core", "Nap")'], content));
    assert.ok(f!.some((x) => x.rule === 'data-write' && x.tier === 'HIGH' && x.line === 3), lines(f).join(', '));
    // The same migration added whole reports its RunPython once.
    const whole = await analyzeMigration(added('core/migrations/0029_nap_start.py', content));
    assert.equal(whole!.filter((x) => x.rule === 'data-write').length, 1, lines(whole).join(', '));
  });

  it('a breaking statement added to a migration the base has keeps the edit HIGH', async () => {
    const content = 'CREATE TABLE tags (id serial PRIMARY KEY, name text);\nALTER TABLE users DROP COLUMN email;\n';
    const f = await analyzeMigration(modified('db/migrations/001_init.sql', [], ['ALTER TABLE users DROP COLUMN email;'], content));
    assert.ok(f!.some((x) => x.rule === 'migration-edited'), lines(f).join(', '));
    assert.equal(maxTier(...f!.map((x) => x.tier)), 'HIGH');
  });

  it('a whitespace or comment-only edit is not', async () => {
    const content = 'class AddIndex < ActiveRecord::Migration[7.1]\n  def change\n    add_index :syncs, :status # by status\n  end\nend\n';
    const f = await analyzeMigration(modified('db/migrate/20240101000000_add_index.rb', ['    add_index :syncs,  :status'], ['    add_index :syncs, :status # by status'], content));
    assert.deepEqual(lines(f), ['3 cosmetic']);
    assert.equal(f![0]!.tier, 'ZERO');
  });

  it('a deleted migration is HIGH', async () => {
    const file: ChangedFile = { ...added('db/migrate/20240101000000_add_index.rb', ''), status: 'deleted', content: undefined, addedLines: [], removedLines: [{ line: 1, text: 'class AddIndex' }] };
    const f = await analyzeMigration(file);
    assert.deepEqual(lines(f), ['0 migration-edited']);
    assert.equal(f![0]!.tier, 'HIGH');
  });
});

describe('schema snapshots', () => {
  it('with a migration in the change, the snapshot adds no finding of its own weight', async () => {
    const f = await analyzeMigration(added('db/structure.sql', 'ALTER TABLE users DROP COLUMN email;'), { migrationInChange: true });
    assert.deepEqual(lines(f), ['1 migration-snapshot']);
    assert.equal(f![0]!.tier, 'ZERO');
  });

  it('a snapshot changed alone is MEDIUM with a note, never judged as a migration', async () => {
    const f = await analyzeMigration(added('db/schema.rb', 'ActiveRecord::Schema[7.1].define(version: 2024) do\n  remove_column :users, :email\nend'));
    assert.equal(f!.length, 1);
    assert.equal(f![0]!.tier, 'MEDIUM');
    assert.match(f![0]!.message, /without a migration/);
  });
});

describe('migrations kept as Go source', () => {
  const goMigration = (body: string): string => ['package migrations', '', 'func addDigestColumn(db *datastore) error {', body, '\treturn nil', '}'].join('\n');

  it('parses the SQL each Exec runs: a data write is HIGH, an index is MEDIUM', async () => {
    const f = await analyzeMigration(
      added('internal/migrations/v4.1.0.go', goMigration("\t_, err := db.Exec(`UPDATE settings SET value = '\"on\"' WHERE key = 'app.digest'`)\n\t_, err = db.Exec(\"CREATE INDEX idx_subs_created ON subscribers (created_at)\")")),
    );
    assert.deepEqual(lines(f), ['4 data-write', '5 migration']);
  });

  it('a new Go migration with no SQL call found is left for review by hand, HIGH', async () => {
    const f = await analyzeMigration(added('migrations/v16.go', goMigration('\treturn runner.Apply(db)')));
    assert.deepEqual(lines(f), ['1 migration-unparsed']);
    assert.equal(f![0]!.tier, 'HIGH');
  });

  it('SQL joined from strings and values says it was put together at run time', async () => {
    const f = await analyzeMigration(added('migrations/v12.go', goMigration('\t_, err := t.Exec(`ALTER TABLE tokens MODIFY COLUMN value ` + db.typeText() + ` NULL`)')));
    assert.equal(f![0]!.rule, 'migration-unparsed');
    assert.match(f![0]!.message, /put together at run time/);
  });

  it('a Go test file in the folder is not a migration', async () => {
    assert.equal(await analyzeMigration(added('migrations/v16_test.go', 'package migrations')), null);
  });
});

describe('a unique index or constraint added to a table that already has rows', () => {
  it('is breaking in SQL: the migration fails on duplicates and writes that repeat a value are rejected; on a table the script creates it is not', async () => {
    const f = await analyzeMigration(added('db/migrations/0009_unique_iso.sql', ['CREATE UNIQUE INDEX countries_iso ON countries (iso);', 'ALTER TABLE states ADD CONSTRAINT states_abbr_key UNIQUE (abbr);', 'CREATE INDEX countries_name ON countries (name);'].join('\n')));
    assert.deepEqual(lines(f), ['1 migration-breaking', '2 migration-breaking', '3 migration'], lines(f).join(', '));
    assert.match(f![0].message, /unique index `countries_iso` to the existing table `countries`: the migration fails if its rows already repeat a value/);
    const fresh = await analyzeMigration(added('db/migrations/0010_tags.sql', ['CREATE TABLE tags (id serial PRIMARY KEY, name text);', 'CREATE UNIQUE INDEX tags_name ON tags (name);'].join('\n')));
    assert.equal(maxTier(...fresh!.map((x) => x.tier)), 'MEDIUM', lines(fresh).join(', '));
    // Attaching an index that already enforces uniqueness checks nothing new.
    const attach = await analyzeMigration(added('db/migrations/0011_attach.sql', 'ALTER TABLE countries ADD CONSTRAINT countries_iso_key UNIQUE USING INDEX countries_iso;'));
    assert.deepEqual(lines(attach), ['1 migration']);
  });

  it('is breaking in a Rails migration, unless the migration creates the table', async () => {
    const rb = (body: string[]) => ['class ChangeCountriesIso < ActiveRecord::Migration[7.0]', '  def change', ...body.map((l) => `    ${l}`), '  end', 'end'].join('\n');
    const f = await analyzeMigration(added('db/migrate/20250628094037_change_countries_iso.rb', rb(['remove_index :countries, :iso', 'add_index :countries, :iso, unique: true'])));
    assert.ok(f!.some((x) => x.rule === 'migration-breaking' && /unique index to the existing table `countries`/.test(x.message)), lines(f).join(', '));
    const fresh = await analyzeMigration(added('db/migrate/20250628094038_create_tags.rb', rb(['create_table :tags do |t|', '  t.string :name', 'end', 'add_index :tags, :name, unique: true'])));
    assert.ok(!fresh!.some((x) => x.rule === 'migration-breaking'), lines(fresh).join(', '));
  });
});

describe('a unique constraint in Alembic and Django migrations', () => {
  it('Alembic: create_unique_constraint and a unique create_index on an existing table are breaking; on a table created here they are not', async () => {
    const py = (body: string[]) => ['from alembic import op', 'import sqlalchemy as sa', '', '', 'def upgrade():', ...body.map((l) => `    ${l}`), '', '', 'def downgrade():', '    pass'].join('\n');
    const f = await analyzeMigration(added('alembic/versions/3f2a_unique.py', py(["op.create_unique_constraint('uq_users_email', 'users', ['email'])", "op.create_index('ix_orders_ref', 'orders', ['ref'], unique=True)"])));
    assert.deepEqual(f!.filter((x) => x.rule === 'migration-breaking').length, 2, lines(f).join(', '));
    const fresh = await analyzeMigration(added('alembic/versions/3f2b_tags.py', py(["op.create_table('tags', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String()))", "op.create_unique_constraint('uq_tags_name', 'tags', ['name'])"])));
    assert.ok(!fresh!.some((x) => x.rule === 'migration-breaking'), lines(fresh).join(', '));
  });

  it('Django: a UniqueConstraint added to an existing model is breaking; to a model created here it is not', async () => {
    const dj = (ops: string[]) => ['from django.db import migrations, models', '', '', 'class Migration(migrations.Migration):', '    dependencies = [("shop", "0007_prev")]', '    operations = [', ...ops.map((o) => `        ${o},`), '    ]'].join('\n');
    const add = 'migrations.AddConstraint(model_name="country", constraint=models.UniqueConstraint(fields=["iso"], name="uniq_country_iso"))';
    const f = await analyzeMigration(added('shop/migrations/0008_unique_iso.py', dj([add])));
    assert.ok(f!.some((x) => x.rule === 'migration-breaking' && /unique constraint `uniq_country_iso`/.test(x.message)), lines(f).join(', '));
    const fresh = await analyzeMigration(added('shop/migrations/0008_country.py', dj(['migrations.CreateModel(name="Country", fields=[("id", models.AutoField(primary_key=True)), ("iso", models.CharField(max_length=2))])', add])));
    assert.ok(!fresh!.some((x) => x.rule === 'migration-breaking'), lines(fresh).join(', '));
    const check = await analyzeMigration(added('shop/migrations/0009_check.py', dj(['migrations.AddConstraint(model_name="country", constraint=models.CheckConstraint(check=models.Q(iso__length=2), name="iso_len"))'])));
    assert.ok(!check!.some((x) => x.rule === 'migration-breaking'), lines(check).join(', '));
  });
});

describe('a unique constraint in Knex, Sequelize, TypeORM, Liquibase, Prisma and Rails change_table', () => {
  const breaking = (f: Awaited<ReturnType<typeof analyzeMigration>>) => f!.filter((x) => x.rule === 'migration-breaking').length;

  it('Knex: unique() in alterTable is breaking; on a table the migration creates it is not', async () => {
    const js = (body: string[]) => ['exports.up = async (knex) => {', ...body.map((l) => `  ${l}`), '};', 'exports.down = async (knex) => {', "  await knex.schema.alterTable('users', (t) => t.dropUnique(['email']));", '};'].join('\n');
    const f = await analyzeMigration(added('migrations/20250101_unique_email.js', js(["await knex.schema.alterTable('users', (table) => {", "  table.unique(['email']);", '});'])));
    assert.equal(breaking(f), 1, lines(f).join(', '));
    assert.match(f!.find((x) => x.rule === 'migration-breaking')!.message, /unique constraint to the existing table `users`/);
    const fresh = await analyzeMigration(added('migrations/20250102_tags.js', js(["await knex.schema.createTable('tags', (table) => { table.increments('id'); table.string('name'); });", "await knex.schema.alterTable('tags', (table) => {", "  table.unique(['name']);", '});'])));
    assert.equal(breaking(fresh), 0, lines(fresh).join(', '));
  });

  it('Sequelize: addIndex with unique: true and addConstraint of type unique are breaking; a plain index is not', async () => {
    const js = (body: string[]) => ["'use strict';", 'module.exports = {', '  async up(queryInterface, Sequelize) {', ...body.map((l) => `    ${l}`), '  },', '  async down(queryInterface) {}', '};'].join('\n');
    const f = await analyzeMigration(
      added(
        'migrations/20250101000000-unique.js',
        js(["await queryInterface.addIndex('users', ['email'], { unique: true, name: 'users_email' });", "await queryInterface.addConstraint('orders', { fields: ['ref'], type: 'unique', name: 'orders_ref' });", "await queryInterface.addIndex('orders', ['created_at']);"]),
      ),
    );
    assert.equal(breaking(f), 2, lines(f).join(', '));
    const fresh = await analyzeMigration(added('migrations/20250102000000-tags.js', js(["await queryInterface.createTable('tags', { id: { type: Sequelize.INTEGER, primaryKey: true }, name: Sequelize.STRING });", "await queryInterface.addIndex('tags', ['name'], { unique: true });"])));
    assert.equal(breaking(fresh), 0, lines(fresh).join(', '));
  });

  it('TypeORM: a unique TableIndex and createUniqueConstraint on an existing table are breaking', async () => {
    const ts = (body: string[]) => ["import { MigrationInterface, QueryRunner, Table, TableIndex, TableUnique } from 'typeorm';", 'export class Unique1700000000000 implements MigrationInterface {', '  public async up(queryRunner: QueryRunner): Promise<void> {', ...body.map((l) => `    ${l}`), '  }', '  public async down(queryRunner: QueryRunner): Promise<void> {}', '}'].join('\n');
    const f = await analyzeMigration(
      added('src/migrations/1700000000000-Unique.ts', ts(["await queryRunner.createIndex('users', new TableIndex({ name: 'IDX_EMAIL', columnNames: ['email'], isUnique: true }));", "await queryRunner.createUniqueConstraint('orders', new TableUnique({ name: 'UQ_REF', columnNames: ['ref'] }));", "await queryRunner.createIndex('orders', new TableIndex({ name: 'IDX_CREATED', columnNames: ['created_at'] }));"])),
    );
    assert.equal(breaking(f), 2, lines(f).join(', '));
    const fresh = await analyzeMigration(added('src/migrations/1700000000001-Tags.ts', ts(["await queryRunner.createTable(new Table({ name: 'tags', columns: [{ name: 'id', type: 'int', isPrimary: true }] }));", "await queryRunner.createIndex('tags', new TableIndex({ name: 'IDX_TAG', columnNames: ['name'], isUnique: true }));"])));
    assert.equal(breaking(fresh), 0, lines(fresh).join(', '));
  });

  it('Liquibase: addUniqueConstraint and a unique createIndex are breaking, unless the same changeSet creates the table', async () => {
    const xml = (sets: string[]) => ['<?xml version="1.0" encoding="UTF-8"?>', '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">', ...sets, '</databaseChangeLog>'].join('\n');
    const createTags = '<changeSet id="1" author="a"><createTable tableName="tags"><column name="id" type="int"/></createTable></changeSet>';
    const f = await analyzeMigration(
      added('src/main/resources/liquibase/changelog-2.xml', xml([createTags, '<changeSet id="2" author="a">', '  <addUniqueConstraint tableName="tags" columnNames="name" constraintName="uq_tag_name"/>', '  <createIndex tableName="person" indexName="idx_email" unique="true"><column name="email"/></createIndex>', '</changeSet>'])),
    );
    // A table an earlier changeSet created has been deployed: it holds rows.
    assert.equal(breaking(f), 2, lines(f).join(', '));
    const fresh = await analyzeMigration(added('src/main/resources/liquibase/changelog-3.xml', xml(['<changeSet id="3" author="a">', '  <createTable tableName="labels"><column name="id" type="int"/></createTable>', '  <addUniqueConstraint tableName="labels" columnNames="id" constraintName="uq_label"/>', '</changeSet>'])));
    assert.equal(breaking(fresh), 0, lines(fresh).join(', '));
    const yaml = await analyzeMigration(
      added('src/main/resources/db/changelog/unique.yaml', ['databaseChangeLog:', '  - changeSet:', '      id: 4', '      author: a', '      changes:', '        - addUniqueConstraint:', '            tableName: person', '            columnNames: email'].join('\n')),
    );
    assert.equal(breaking(yaml), 1, lines(yaml).join(', '));
  });

  it('Rails: t.index unique: true in change_table is breaking', async () => {
    const rb = ['class UniqueSlug < ActiveRecord::Migration[7.1]', '  def change', '    change_table :posts do |t|', '      t.index :slug, unique: true', '      t.index :created_at', '    end', '  end', 'end'].join('\n');
    const f = await analyzeMigration(added('db/migrate/20250101000000_unique_slug.rb', rb));
    assert.deepEqual(lines(f), ['4 migration-breaking', '5 migration'], lines(f).join(', '));
  });

  it('Django: AlterUniqueTogether on an existing model is breaking, clearing it is not; AlterField to unique=True is breaking', async () => {
    const dj = (ops: string[]) => ['from django.db import migrations, models', '', '', 'class Migration(migrations.Migration):', '    dependencies = [("shop", "0007_prev")]', '    operations = [', ...ops.map((o) => `        ${o},`), '    ]'].join('\n');
    const f = await analyzeMigration(added('shop/migrations/0008_together.py', dj(['migrations.AlterUniqueTogether(name="price", unique_together={("product", "currency")})'])));
    assert.equal(breaking(f), 1, lines(f).join(', '));
    const cleared = await analyzeMigration(added('shop/migrations/0009_clear.py', dj(['migrations.AlterUniqueTogether(name="price", unique_together=set())'])));
    assert.equal(breaking(cleared), 0, lines(cleared).join(', '));
    const created = await analyzeMigration(added('shop/migrations/0001_initial.py', dj(['migrations.CreateModel(name="Price", fields=[("id", models.AutoField(primary_key=True))])', 'migrations.AlterUniqueTogether(name="price", unique_together={("product", "currency")})'])));
    assert.equal(breaking(created), 0, lines(created).join(', '));
  });
});

describe('JavaScript migrations that hand SQL to a database client', () => {
  const script = (up: string) =>
    ["import { sql } from '@silverhand/slonik';", '', 'const alteration = {', '  up: async (pool) => {', '    await pool.query(sql`', `      ${up}`, '    `);', '  },', '  down: async (pool) => {', '    await pool.query(sql`alter table grants drop column note;`);', '  },', '};', '', 'export default alteration;'].join('\n');

  it('an alteration script in an alterations/ folder is a migration: its SQL is judged, its down step is not', async () => {
    const f = await analyzeMigration(added('packages/schemas/alterations/next-1786373004-note.ts', script('alter table grants add column note text;')));
    assert.deepEqual(lines(f), ['6 migration'], lines(f).join(', '));
  });

  it('a primary key put on an existing table is as strict as a unique constraint: breaking', async () => {
    const f = await analyzeMigration(added('packages/schemas/alterations/next-1786373005-pkey.ts', script('alter table grants drop constraint grants_pkey, add primary key (tenant_id, grant_id);')));
    assert.ok(f!.some((x) => x.rule === 'migration-breaking' && /adds a primary key to the existing table `grants`/.test(x.message)), lines(f).join(', '));
    const fresh = await analyzeMigration(added('db/migrations/0012_grants.sql', 'CREATE TABLE grants (tenant_id int, grant_id int);\nALTER TABLE grants ADD PRIMARY KEY (tenant_id, grant_id);'));
    assert.ok(!fresh!.some((x) => x.rule === 'migration-breaking'), lines(fresh).join(', '));
  });

  it('a module of the folder that runs no query is no migration', async () => {
    assert.equal(await analyzeMigration(added('packages/schemas/alterations/utils.ts', 'export const up = (n: number) => n + 1;')), null);
  });
});

describe('xorm migrations kept in Go source', () => {
  const migration = (fields: string[], extra: string[] = []) =>
    [
      'package migration',
      '',
      'import (',
      '\t"src.techknowlogick.com/xormigrate"',
      '\t"xorm.io/xorm"',
      ')',
      '',
      'type users20260405 struct {',
      ...fields.map((f) => `\t${f}`),
      '}',
      '',
      'func (users20260405) TableName() string {',
      '\treturn "users"',
      '}',
      ...extra,
      '',
      'func init() {',
      '\tmigrations = append(migrations, &xormigrate.Migration{',
      '\t\tID: "20260405",',
      '\t\tMigrate: func(tx *xorm.Engine) error {',
      '\t\t\treturn tx.Sync(users20260405{})',
      '\t\t},',
      '\t})',
      '}',
    ].join('\n');

  it('Sync of a struct adds its fields as columns: a nullable one is compatible, NOT NULL without a default is breaking', async () => {
    const f = await analyzeMigration(added('pkg/migration/20260405.go', migration(['BotOwnerID int64 `xorm:"bigint null index"`'])));
    assert.equal(maxTier(...f!.map((x) => x.tier)), 'MEDIUM', lines(f).join(', '));
    assert.ok(f!.some((x) => /adds column `users.bot_owner_id` \(nullable\)/.test(x.message)), f!.map((x) => x.message).join('; '));
    const g = await analyzeMigration(added('pkg/migration/20260405.go', migration(['Plan string `xorm:"varchar(20) not null"`'])));
    assert.ok(g!.some((x) => x.rule === 'migration-breaking' && /`users.plan` NOT NULL without a default/.test(x.message)), lines(g).join(', '));
    // A struct with its primary key is a new table.
    const t = await analyzeMigration(added('pkg/migration/20260405.go', migration(['ID int64 `xorm:"autoincr not null unique pk"`', 'Name string `xorm:"varchar(250) not null"`'])));
    assert.deepEqual(t!.map((x) => x.rule), ['migration'], lines(t).join(', '));
  });
});
