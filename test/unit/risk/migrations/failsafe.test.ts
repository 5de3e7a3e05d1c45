import { strict as assert } from 'node:assert';
import { analyzeMigration } from '../../../../src/core/risk/migrations';
import type { Finding } from '../../../../src/core/risk/types';
import { added, lines } from './helpers';

/*
 * A migration is never rated low because it was not understood: data written from inside it
 * is HIGH whatever the framework's idiom, and what cannot be read says so and is HIGH.
 */

async function judge(path: string, text: string): Promise<Finding[]> {
  const f = await analyzeMigration(added(path, text));
  assert.ok(f, `${path} is read as a migration`);
  return f;
}

function highest(findings: Finding[]): string {
  const order = ['ZERO', 'LOW', 'MEDIUM', 'HIGH'];
  return findings.reduce((t, f) => (order.indexOf(f.tier) > order.indexOf(t) ? f.tier : t), 'ZERO');
}

describe('migrations fail safe', () => {
  it('an Alembic revision whose only statement updates rows through a table object is a HIGH data write', async () => {
    const f = await judge(
      'alembic/versions/3f2a_backfill_plan.py',
      [
        'import sqlalchemy as sa',
        'from alembic import op',
        '',
        'revision = "3f2a"',
        'down_revision = "1b7c"',
        '',
        'accounts = sa.table("accounts", sa.column("plan", sa.String))',
        '',
        'def upgrade():',
        '    conn = op.get_bind()',
        '    conn.execute(accounts.update().where(accounts.c.plan == None).values(plan="free"))',
        '',
        'def downgrade():',
        '    pass',
      ].join('\n'),
    );
    assert.deepEqual(lines(f), ['11 data-write']);
    assert.equal(f[0]!.tier, 'HIGH');
  });

  it('an Alembic revision that runs a session query delete is a HIGH data write', async () => {
    const f = await judge(
      'migrations/versions/9c1d_prune.py',
      ['from alembic import op', 'from sqlalchemy.orm import Session', '', 'def upgrade():', '    session = Session(bind=op.get_bind())', '    session.query(Token).filter_by(revoked=True).delete()', '    session.commit()', ''].join('\n'),
    );
    assert.equal(highest(f), 'HIGH');
    assert.ok(f.some((x) => x.rule === 'data-write' && x.line === 6), lines(f).join(', '));
  });

  it('a Rails migration that loops over records and calls save! is a HIGH data write', async () => {
    const f = await judge(
      'db/migrate/20250102090000_fill_slugs.rb',
      [
        'class FillSlugs < ActiveRecord::Migration[7.1]',
        '  def up',
        '    Article.where(slug: nil).find_each do |article|',
        '      article.slug = article.title.parameterize',
        '      article.save!',
        '    end',
        '  end',
        '',
        '  def down',
        '  end',
        'end',
      ].join('\n'),
    );
    assert.equal(highest(f), 'HIGH');
    assert.ok(f.some((x) => x.rule === 'data-write' && x.line === 5), lines(f).join(', '));
  });

  it('a Rails migration that creates records through the model is a HIGH data write', async () => {
    const f = await judge(
      'db/migrate/20250102090001_seed_roles.rb',
      ['class SeedRoles < ActiveRecord::Migration[7.1]', '  def change', '    Role.create!(name: "auditor")', '    Setting.find_or_create_by!(key: "theme")', '  end', 'end'].join('\n'),
    );
    assert.deepEqual(lines(f), ['3 data-write', '4 data-write']);
  });

  it('an Alembic op.execute given a SQLAlchemy core update is a HIGH data write', async () => {
    const f = await judge(
      'alembic/versions/5e0b_flags.py',
      ['import sqlalchemy as sa', 'from alembic import op', '', 'flags = sa.table("flags", sa.column("on", sa.Boolean))', '', 'def upgrade():', '    op.execute(flags.update().values(on=False))', ''].join('\n'),
    );
    assert.deepEqual(lines(f), ['7 data-write']);
  });

  it('TypeORM and Sequelize migrations that save rows through the ORM are HIGH data writes', async () => {
    const typeorm = await judge(
      'src/migrations/1700000000000-SeedPlans.ts',
      [
        'import { MigrationInterface, QueryRunner } from "typeorm";',
        'export class SeedPlans1700000000000 implements MigrationInterface {',
        '  async up(queryRunner: QueryRunner): Promise<void> {',
        '    await queryRunner.manager.save(Plan, { name: "free" });',
        '  }',
        '  async down(queryRunner: QueryRunner): Promise<void> {}',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(lines(typeorm), ['4 data-write']);
    const sequelize = await judge(
      'migrations/20250101-fill-roles.js',
      ['module.exports = {', '  up: async (queryInterface, Sequelize) => {', '    await User.update({ role: "member" }, { where: { role: null } });', '  },', '  down: async () => {},', '};'].join('\n'),
    );
    assert.deepEqual(lines(sequelize), ['3 data-write']);
  });

  it('Django RunSQL with DML is a data write; RunPython is one too', async () => {
    const f = await judge(
      'shop/migrations/0007_fill.py',
      [
        'from django.db import migrations',
        '',
        'def forwards(apps, schema_editor):',
        '    pass',
        '',
        'class Migration(migrations.Migration):',
        '    operations = [',
        '        migrations.RunSQL("UPDATE shop_order SET state = \'open\' WHERE state IS NULL"),',
        '        migrations.RunPython(forwards),',
        '    ]',
      ].join('\n'),
    );
    assert.deepEqual(lines(f), ['8 data-write', '9 data-write']);
  });

  it('a new migration in which no statement is recognised asks for review by hand and is HIGH', async () => {
    const f = await judge(
      'db/migrate/20250102090002_tweak.rb',
      ['class Tweak < ActiveRecord::Migration[7.1]', '  def up', '    Tweaker.new(connection).run', '  end', 'end'].join('\n'),
    );
    assert.equal(f.length, 1);
    assert.equal(f[0]!.rule, 'migration-unparsed');
    assert.equal(f[0]!.tier, 'HIGH');
    assert.match(f[0]!.message, /review it by hand/);
  });

  it('an SQL statement that cannot be parsed is HIGH and says to review it by hand', async () => {
    const f = await judge('db/migrations/004_odd.sql', 'CREATE TABEL nonsense (;\n');
    assert.equal(f[0]!.rule, 'migration-unparsed');
    assert.equal(f[0]!.tier, 'HIGH');
    assert.match(f[0]!.message, /review it by hand/);
  });

  it('the policy can lower what could not be parsed', async () => {
    const f = await analyzeMigration(added('db/migrations/004_odd.sql', 'CREATE TABEL nonsense (;\n'), { unparsedTier: 'MEDIUM' });
    assert.equal(f![0]!.tier, 'MEDIUM');
  });

  it('an empty forward step is not a finding of its own', async () => {
    const f = await judge('alembic/versions/77aa_merge.py', ['from alembic import op', '', 'def upgrade():', '    pass', '', 'def downgrade():', '    pass'].join('\n'));
    assert.deepEqual(lines(f), []);
  });
});

describe('migrations fail safe: operations the readers do not know', () => {
  it('an unknown Alembic operation is left for review by hand; op.f is a name helper', async () => {
    const f = (await analyzeMigration(
      added('alembic/versions/aa01_ext.py', ['from alembic import op', '', 'def upgrade():', '    op.create_index(op.f("ix_a_b"), "a", ["b"])', '    op.create_exclude_constraint("no_overlap", "bookings", ("room", "="))', ''].join('\n')),
    ))!;
    assert.deepEqual(lines(f), ['4 migration', '5 migration-unparsed']);
  });

  it('Rails enable_extension is a compatible schema call, not an unrecognised migration', async () => {
    const f = (await analyzeMigration(added('db/migrate/20250101000001_pgcrypto.rb', ['class Pgcrypto < ActiveRecord::Migration[7.1]', '  def change', '    enable_extension "pgcrypto"', '  end', 'end'].join('\n'))))!;
    assert.deepEqual(lines(f), ['3 migration']);
  });
});
