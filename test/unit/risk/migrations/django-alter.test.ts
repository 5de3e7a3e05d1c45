import { strict as assert } from 'node:assert';
import type { ChangedFile } from '../../../../src/core/change/types';
import { analyzeMigration } from '../../../../src/core/risk/migrations';
import { changedFile } from '../helpers';
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
  it('choices and help_text emit no SQL: not breaking', async () => {
    const f = await judge(
      '    state = models.CharField(max_length=20, choices=OLD_STATES)',
      '    state = models.CharField(max_length=20, choices=STATES, help_text="where the order is")',
      'models.CharField(max_length=20, choices=STATES, help_text="where the order is")',
    );
    assert.deepEqual(lines(f), ['6 cosmetic']);
    assert.equal(f[0]!.tier, 'ZERO');
    assert.match(f[0]!.message, /choices, help_text/);
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
    assert.deepEqual(lines(f), ['6 cosmetic']);
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
    assert.deepEqual(lines(f), ['6 cosmetic']);
  });

  it('without the old definition in the change it stays breaking, and says why', async () => {
    const f = (await analyzeMigration(added('shop/migrations/0007_order_state.py', migration('models.CharField(max_length=20)'))))!;
    assert.deepEqual(lines(f), ['6 migration-breaking']);
    assert.match(f[0]!.message, /old definition is not in this change/);
  });
});
