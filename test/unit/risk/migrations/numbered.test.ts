/** Migrations kept as numbered functions of one `migrations.py` module (`async def m001_initial(db)`). */
import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../../src/core/policy/schema';
import { assess } from '../../../../src/core/risk';
import { analyzeMigration } from '../../../../src/core/risk/migrations';
import { L } from '../corpus';
import { changedFile, changeSetOf, memorySearch, treeAfter } from '../helpers';
import { lines } from './helpers';

const BASE = L(
  'from lnbits.db import Connection',
  '',
  '',
  'async def m001_initial(db: Connection):',
  '    await db.execute(',
  '        """',
  '        CREATE TABLE apipayments (id TEXT PRIMARY KEY, amount INT NOT NULL, memo TEXT)',
  '        """',
  '    )',
  '',
  '',
  'async def m002_index_payments(db: Connection):',
  '    indexes = [',
  '        "amount",',
  '    ]',
  '    for index in indexes:',
  '        await db.execute(',
  '            f"CREATE INDEX IF NOT EXISTS idx_payments_{index} ON apipayments ({index});"',
  '        )',
);

describe('migrations kept as numbered steps of migrations.py', () => {
  it('a step appended to the module is a new migration: its SQL is judged, a data write is HIGH', async () => {
    const after = L(BASE.replace(/\n$/, ''), '', '', 'async def m003_fill_memo(db: Connection):', '    await db.execute("UPDATE apipayments SET memo = \'\' WHERE memo IS NULL")');
    const f = await analyzeMigration(changedFile('lnbits/core/migrations.py', 'modified', BASE, after));
    assert.deepEqual(lines(f), ['23 data-write']);
    assert.equal(f![0]!.tier, 'HIGH');
  });

  it('a new index step is a compatible migration, MEDIUM, and not an edit of an older step', async () => {
    const after = L(BASE.replace(/\n$/, ''), '', '', 'async def m003_index_memo(db: Connection):', '    await db.execute("CREATE INDEX IF NOT EXISTS idx_memo ON apipayments (memo)")');
    const f = await analyzeMigration(changedFile('lnbits/extensions/lnurlp/migrations.py', 'modified', BASE, after));
    assert.deepEqual(lines(f), ['23 migration']);
    assert.equal(f![0]!.tier, 'MEDIUM');
  });

  it('a column added to the index list of an older step edits a migration the base has: HIGH', async () => {
    const after = BASE.replace('        "amount",\n', '        "amount",\n        "memo",\n');
    const f = await analyzeMigration(changedFile('lnbits/core/migrations.py', 'modified', BASE, after));
    assert.deepEqual(lines(f), ['15 migration-edited']);
    assert.equal(f![0]!.tier, 'HIGH');
  });

  it("the step's name is no context: a step named for payments that adds an index is no payment code", async () => {
    const before = { 'lnbits/core/migrations.py': BASE };
    const after = { 'lnbits/core/migrations.py': BASE.replace('        "amount",\n', '        "amount",\n        "memo",\n') };
    const a = await assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
    assert.deepEqual(a.files[0]!.findings.map((x) => `${x.rule} ${x.tier}`), ['migration-edited HIGH']);
  });

  it('a migrations.py without numbered steps is not a migration', async () => {
    assert.equal(await analyzeMigration(changedFile('app/migrations.py', 'added', undefined, L('def run_all(db):', '    pass'))), null);
  });
});
