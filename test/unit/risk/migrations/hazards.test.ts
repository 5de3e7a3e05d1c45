import { strict as assert } from 'node:assert';
import { analyzeMigration } from '../../../../src/core/risk/migrations';
import type { Finding } from '../../../../src/core/risk/types';
import { added } from './helpers';

/* Lock and outage hazards are named in the finding, and carried as lockHazards for the plan. */

async function sql(text: string): Promise<Finding[]> {
  return (await analyzeMigration(added('db/migrations/010_hazards.sql', text)))!;
}

describe('PostgreSQL lock hazards', () => {
  it('names statements that block the table without breaking running code', async () => {
    const f = await sql('VACUUM FULL orders;\nLOCK TABLE orders;\nCLUSTER orders USING orders_pkey;\nREINDEX INDEX orders_pkey;');
    assert.deepEqual(
      f.map((x) => [x.line, x.tier, x.lockHazards]),
      [
        [1, 'MEDIUM', ['vacuum-full']],
        [2, 'MEDIUM', ['explicit-lock']],
        [3, 'MEDIUM', ['cluster']],
        [4, 'MEDIUM', ['require-concurrent-reindex']],
      ],
    );
    assert.match(f[0]!.message, /blocks reads and writes/);
  });

  it('a volatile default rewrites the table; a constant or now() does not', async () => {
    const f = await sql("ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\nALTER TABLE orders ADD COLUMN placed_at timestamptz DEFAULT now();\nALTER TABLE orders ADD COLUMN state text DEFAULT 'new';");
    assert.deepEqual(
      f.map((x) => x.lockHazards),
      [['adding-field-with-default'], undefined, undefined],
    );
  });

  it('ADD CONSTRAINT … USING INDEX is the safe pattern: no lock warning', async () => {
    const f = await sql('ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE USING INDEX orders_ref_idx;');
    assert.equal(f[0]!.lockHazards, undefined);
    assert.doesNotMatch(f[0]!.message, /holding a lock/);
  });

  it('SET NOT NULL proven by a validated CHECK (col IS NOT NULL) is not breaking', async () => {
    const f = await sql(
      'ALTER TABLE orders ADD CONSTRAINT orders_owner_nn CHECK (owner_id IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_owner_nn;\nALTER TABLE orders ALTER COLUMN owner_id SET NOT NULL;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;',
    );
    assert.equal(f.find((x) => x.line === 3)!.rule, 'migration');
    assert.equal(f.find((x) => x.line === 4)!.rule, 'migration-breaking');
  });

  it('Rails: algorithm: :concurrently without disable_ddl_transaction! fails the deploy, and is named', async () => {
    const body = (extra: string) => `class IndexOrders < ActiveRecord::Migration[7.1]\n${extra}  def change\n    add_index :orders, :state, algorithm: :concurrently\n  end\nend\n`;
    const inTx = (await analyzeMigration(added('db/migrate/20250101000000_index_orders.rb', body(''))))!;
    assert.deepEqual(inTx[0]!.lockHazards, ['ban-concurrent-index-creation-in-transaction']);
    assert.match(inTx[0]!.message, /disable_ddl_transaction!/);
    const outside = (await analyzeMigration(added('db/migrate/20250101000000_index_orders.rb', body('  disable_ddl_transaction!\n\n'))))!;
    assert.equal(outside[0]!.lockHazards, undefined);
  });
});

describe('SET NOT NULL after a check in an earlier migration of the change', () => {
  it('is compatible when the earlier migration validated CHECK (col IS NOT NULL)', async () => {
    const check = added('db/migrations/V11__owner_check.sql', 'ALTER TABLE orders ADD CONSTRAINT orders_owner_nn CHECK (owner_id IS NOT NULL) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_owner_nn;');
    const set = added('db/migrations/V12__owner_not_null.sql', 'ALTER TABLE orders ALTER COLUMN owner_id SET NOT NULL;');
    const f = (await analyzeMigration(set, { changed: [set, check] }))!;
    assert.equal(f[0]!.rule, 'migration');
    assert.match(f[0]!.message, /already enforced by the validated check constraint `orders_owner_nn`/);
    // Without the earlier migration in the change, it is the breaking SET NOT NULL.
    assert.equal((await analyzeMigration(set, { changed: [set] }))![0]!.rule, 'migration-breaking');
  });
});
