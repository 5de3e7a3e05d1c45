import { strict as assert } from 'node:assert';
import type { ChangedFile } from '../../../../src/core/change/types';
import { analyzeMigration } from '../../../../src/core/risk/migrations';
import { PolicySchema } from '../../../../src/core/policy/schema';
import { assess } from '../../../../src/core/risk';
import { changedFile, changeSetOf, memorySearch, treeAfter } from '../helpers';
import { added, lines } from './helpers';

/* Django AlterField: the old field comes from the model file the change edits; only options that emit SQL count. */

const migration = (field: string): string =>
  [
    'from django.db import migrations, models',
    '',
    'class Migration(migrations.Migration):',
    '    dependencies = [("shop", "0006_prev")]',
    '    operations = [',
    '        migrations.AlterField(',
    '            model_name="order",',
    '            name="state",',
    `            field=${field},`,
    '        ),',
    '    ]',
  ].join('\n');

function modelEdit(oldLine: string, newLine: string): ChangedFile {
  return {
    ...added('shop/models.py', `class Order(models.Model):\n${newLine}\n`),
    status: 'modified',
    ranges: [{ start: 2, end: 2 }],
    addedLines: [{ line: 2, text: newLine }],
    removedLines: [{ line: 2, text: oldLine }],
  };
}

async function judge(oldLine: string, newLine: string, field: string) {
  return (await analyzeMigration(added('shop/migrations/0007_order_state.py', migration(field)), { changed: [modelEdit(oldLine, newLine)] }))!;
}

describe('Django AlterField', () => {
  it('unique=True added to a field is a stricter constraint on the rows the table holds: breaking', async () => {
    const f = await judge('    state = models.CharField(max_length=20)', '    state = models.CharField(max_length=20, unique=True)', 'models.CharField(max_length=20, unique=True)');
    assert.deepEqual(lines(f), ['6 migration-breaking']);
    assert.match(f[0]!.message, /unique constraint `state unique` to the existing table `order`/);
  });

  it('choices and help_text emit no SQL: a backward-compatible migration, and the message names them', async () => {
    const f = await judge(
      '    state = models.CharField(max_length=20, choices=OLD_STATES)',
      '    state = models.CharField(max_length=20, choices=STATES, help_text="where the order is")',
      'models.CharField(max_length=20, choices=STATES, help_text="where the order is")',
    );
    assert.deepEqual(lines(f), ['6 migration']);
    assert.equal(f[0]!.tier, 'MEDIUM');
    assert.match(f[0]!.message, /only in choices, help_text: Django emits no SQL/);
  });

  it('dropping null=True is NOT NULL, and the message says so', async () => {
    const f = await judge('    state = models.CharField(max_length=20, null=True)', '    state = models.CharField(max_length=20)', 'models.CharField(max_length=20)');
    assert.deepEqual(lines(f), ['6 migration-breaking']);
    assert.match(f[0]!.message, /makes column `order.state` NOT NULL/);
  });

  it('a shorter max_length is breaking, a longer one is not; a type change names both types', async () => {
    const shorter = await judge('    state = models.CharField(max_length=40)', '    state = models.CharField(max_length=20)', 'models.CharField(max_length=20)');
    assert.match(shorter[0]!.message, /max_length 40 → 20: breaking/);
    const longer = await judge('    state = models.CharField(max_length=20)', '    state = models.CharField(max_length=40)', 'models.CharField(max_length=40)');
    assert.deepEqual(lines(longer), ['6 migration']);
    const type = await judge('    state = models.CharField(max_length=20)', '    state = models.IntegerField()', 'models.IntegerField()');
    assert.match(type[0]!.message, /type CharField → IntegerField/);
  });

  it('reads an old definition written over several lines', async () => {
    const model: ChangedFile = {
      ...added('shop/models.py', 'class Order(models.Model):\n    state = models.CharField(max_length=20)\n'),
      status: 'modified',
      ranges: [{ start: 2, end: 2 }],
      addedLines: [{ line: 2, text: '    state = models.CharField(max_length=20)' }],
      removedLines: [
        { line: 2, text: '    state = models.CharField(' },
        { line: 3, text: '        max_length=20,' },
        { line: 4, text: '        help_text="where the order is",' },
        { line: 5, text: '    )' },
      ],
    };
    const f = (await analyzeMigration(added('shop/migrations/0007_order_state.py', migration('models.CharField(max_length=20)')), { changed: [model] }))!;
    assert.deepEqual(lines(f), ['6 migration']);
    assert.match(f[0]!.message, /help_text/);
  });

  it('a type that widens the column is not breaking, and says how it widens; one that narrows is', async () => {
    const toText = await judge('    state = models.CharField(max_length=20)', '    state = models.TextField()', 'models.TextField()');
    assert.deepEqual(lines(toText), ['6 migration']);
    assert.match(toText[0]!.message, /type CharField → TextField \(widens varchar to text\): backward compatible/);
    const url = await judge('    state = models.URLField()', '    state = models.CharField(max_length=256)', 'models.CharField(max_length=256)');
    assert.match(url[0]!.message, /widens varchar\(200\) to varchar\(256\)/);
    const shorter = await judge('    state = models.URLField()', '    state = models.CharField(max_length=100)', 'models.CharField(max_length=100)');
    assert.deepEqual([...new Set(lines(shorter))], ['6 migration-breaking']);
    const fromText = await judge('    state = models.TextField()', '    state = models.CharField(max_length=20)', 'models.CharField(max_length=20)');
    assert.deepEqual([...new Set(lines(fromText))], ['6 migration-breaking']);
    const bigger = await judge('    state = models.IntegerField()', '    state = models.BigIntegerField()', 'models.BigIntegerField()');
    assert.deepEqual(lines(bigger), ['6 migration']);
    const positive = await judge('    state = models.IntegerField()', '    state = models.PositiveBigIntegerField()', 'models.PositiveBigIntegerField()');
    assert.deepEqual(lines(positive), ['6 migration-breaking'], 'a positive field adds a CHECK old code may violate');
  });

  it('reads the old definition from the old model file when only an inner line of it changed', async () => {
    const before = 'class Order(models.Model):\n    state = models.CharField(\n        max_length=3,\n        default="new",\n    )\n';
    const model = changedFile('shop/models.py', 'modified', before, before.replace('max_length=3', 'max_length=5'));
    const f = (await analyzeMigration(added('shop/migrations/0007_order_state.py', migration('models.CharField(default="new", max_length=5)')), { changed: [model] }))!;
    assert.deepEqual(lines(f), ['6 migration']);
    assert.match(f[0]!.message, /max_length 3 → 5/);
  });

  it("reads the old definition when a line was only added inside it, from the same field of the same class", async () => {
    const before = 'class Note(models.Model):\n    state = models.TextField()\n\nclass Order(models.Model):\n    state = models.CharField(\n        max_length=20,\n    )\n';
    const model = changedFile('shop/models.py', 'modified', before, before.replace('        max_length=20,\n', '        max_length=20,\n        db_index=True,\n'));
    const f = (await analyzeMigration(added('shop/migrations/0007_order_state.py', migration('models.CharField(db_index=True, max_length=20)')), { changed: [model] }))!;
    assert.ok(!f.some((x) => x.rule === 'migration-breaking'), JSON.stringify(f.map((x) => x.message)));
    assert.match(f[0]!.message, /index/);
  });

  it('a swappable_dependency among the dependencies is no operation to review', async () => {
    const text = migration('models.CharField(max_length=20)').replace('dependencies = [("shop", "0006_prev")]', 'dependencies = [("shop", "0006_prev"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]');
    const f = (await analyzeMigration(added('shop/migrations/0007_order_state.py', text), { changed: [modelEdit('    state = models.CharField(max_length=20, help_text="x")', '    state = models.CharField(max_length=20)')] }))!;
    assert.deepEqual(lines(f), ['6 migration']);
    assert.match(f[0]!.message, /only in help_text: Django emits no SQL/);
  });

  it('without an earlier definition anywhere it is a migration to review by hand, never ZERO', async () => {
    const f = (await analyzeMigration(added('shop/migrations/0007_order_state.py', migration('models.CharField(max_length=20)'))))!;
    assert.deepEqual(lines(f), ['6 migration']);
    assert.equal(f[0]!.tier, 'MEDIUM');
    assert.match(f[0]!.message, /earlier definition is neither in this change nor in an earlier migration.*review it by hand/);
  });

  const ops = (...operations: string[]) => ['from django.db import migrations, models', '', 'class Migration(migrations.Migration):', '    operations = [', ...operations, '    ]'].join('\n');
  const create = ops(
    '        migrations.CreateModel(',
    '            name="Order",',
    '            fields=[',
    '                ("id", models.AutoField(primary_key=True)),',
    '                ("state", models.CharField(max_length=20, help_text="old")),',
    '            ],',
    '        ),',
  );
  const alter = (field: string) => ops('        migrations.AlterField(', '            model_name="order",', '            name="state",', `            field=${field},`, '        ),');
  const fromHistory = async (history: Record<string, string>, field: string) =>
    (await analyzeMigration(added('shop/migrations/0007_order_state.py', migration(field)), { history: new Map(Object.entries(history)) }))!;

  it('reads the old definition from the CreateModel of an earlier migration of the same app', async () => {
    const f = await fromHistory({ 'shop/migrations/0001_initial.py': create }, 'models.CharField(max_length=20, help_text="new", choices=STATES)');
    assert.deepEqual(lines(f), ['6 migration']);
    assert.match(f[0]!.message, /help_text, choices/);
  });

  it('the last earlier AlterField wins over the CreateModel, by migration number; later and other apps\' migrations are ignored', async () => {
    const history = {
      'shop/migrations/0001_initial.py': create,
      'shop/migrations/0004_order_state.py': alter('models.CharField(max_length=40)'),
      'shop/migrations/0010_order_state.py': alter('models.CharField(max_length=80)'),
      'billing/migrations/0006_order_state.py': alter('models.CharField(max_length=5)'),
    };
    const f = await fromHistory(history, 'models.CharField(max_length=20)');
    assert.deepEqual(lines(f), ['6 migration-breaking']);
    assert.match(f[0]!.message, /max_length 40 → 20/);
  });

  it('an earlier null=True dropped is NOT NULL; one kept with only choices changed emits no SQL', async () => {
    const history = { 'shop/migrations/0003_order_state.py': ops('        migrations.AddField(', '            model_name="order",', '            name="state",', '            field=models.CharField(max_length=20, null=True, choices=OLD),', '        ),') };
    assert.match((await fromHistory(history, 'models.CharField(max_length=20)'))[0]!.message, /NOT NULL/);
    const choices = await fromHistory(history, 'models.CharField(max_length=20, null=True, choices=NEW)');
    assert.deepEqual(lines(choices), ['6 migration']);
    assert.match(choices[0]!.message, /only in choices: Django emits no SQL/);
  });

  it('a field renamed or removed since its definition has no earlier definition to compare with', async () => {
    const renamed = { 'shop/migrations/0001_initial.py': create, 'shop/migrations/0002_rename.py': ops('        migrations.RenameField(model_name="order", old_name="state", new_name="status"),') };
    const f = await fromHistory(renamed, 'models.CharField(max_length=20, help_text="old")');
    assert.deepEqual(lines(f), ['6 migration']);
    assert.match(f[0]!.message, /earlier definition is neither/);
  });

  it('the analysis finds the earlier migrations of the app through the repository search and reads them', async () => {
    const before = { 'shop/migrations/0001_initial.py': create, 'shop/models.py': 'class Order(models.Model):\n    pass\n' };
    const after = { 'shop/migrations/0007_order_state.py': migration('models.CharField(max_length=20, help_text="new")') };
    const search = memorySearch(treeAfter(before, after));
    const a = await assess(changeSetOf(before, after), PolicySchema.parse({}), search);
    assert.equal(a.tier, 'MEDIUM', JSON.stringify(a.files[0]!.findings));
    assert.match(a.files[0]!.findings[0]!.message, /only in help_text: Django emits no SQL/);
    assert.ok(search.calls.some((terms) => terms.includes('state')));
  });
});
