import { strict as assert } from 'node:assert';
import { PolicySchema } from '../../../../src/core/policy/schema';
import { assess } from '../../../../src/core/risk';
import { analyzeMigration } from '../../../../src/core/risk/migrations';
import { sqlWidening } from '../../../../src/core/risk/migrations/widening';
import { changeSetOf, memorySearch, treeAfter } from '../helpers';
import { added, lines } from './helpers';

/* A column type change names only the new type: the column's definition in an earlier migration says whether it widens. */

const changelog = (...changes: string[]) =>
  ['<?xml version="1.0" encoding="UTF-8"?>', '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">', '  <changeSet author="a" id="x">', ...changes.map((c) => `    ${c}`), '  </changeSet>', '</databaseChangeLog>'].join('\n');

const FIRST = changelog('<createTable tableName="devices">', '  <column name="id" type="INT" autoIncrement="true"/>', '  <column name="positionid" type="INT"/>', '  <column name="name" type="VARCHAR(128)"/>', '</createTable>');
const WIDEN = changelog('<modifyDataType tableName="devices" columnName="positionid" newDataType="BIGINT" />');

describe('column type changes against the earlier definition of the column', () => {
  const judge = (path: string, text: string, history: Record<string, string>) => analyzeMigration(added(path, text), { history: new Map(Object.entries(history)) });

  it('Liquibase: INT to BIGINT, with the INT in an earlier changelog of the folder, widens: backward compatible', async () => {
    const f = await judge('schema/changelog-6.15.0.xml', WIDEN, { 'schema/changelog-4.0.xml': FIRST });
    assert.deepEqual(lines(f), ['4 migration'], lines(f).join(', '));
    assert.match(f![0]!.message, /type INT → BIGINT \(widens 4-byte to 8-byte integer; the old type is in changelog-4\.0\.xml\): backward compatible/);
  });

  it('without the earlier definition, or when the type narrows, it stays breaking', async () => {
    assert.deepEqual(lines(await judge('schema/changelog-6.15.0.xml', WIDEN, {})), ['4 migration-breaking']);
    const narrow = changelog('<modifyDataType tableName="devices" columnName="name" newDataType="VARCHAR(64)" />');
    assert.deepEqual(lines(await judge('schema/changelog-6.15.0.xml', narrow, { 'schema/changelog-4.0.xml': FIRST })), ['4 migration-breaking']);
    // A later changelog, or one of another folder, is no history of this one.
    assert.deepEqual(lines(await judge('schema/changelog-6.15.0.xml', WIDEN, { 'schema/changelog-7.0.xml': FIRST, 'other/changelog-1.0.xml': FIRST })), ['4 migration-breaking']);
  });

  it('the last earlier definition wins: a column a later changelog narrowed to VARCHAR(32) is judged from there', async () => {
    const history = { 'schema/changelog-4.0.xml': FIRST, 'schema/changelog-5.0.xml': changelog('<modifyDataType tableName="devices" columnName="name" newDataType="VARCHAR(32)" />') };
    const f = await judge('schema/changelog-6.0.xml', changelog('<modifyDataType tableName="devices" columnName="name" newDataType="VARCHAR(64)" />'), history);
    assert.match(f![0]!.message, /VARCHAR\(32\) → VARCHAR\(64\)/);
  });

  it('SQL: ALTER COLUMN … TYPE text after a varchar in an earlier script widens; to integer it does not', async () => {
    const history = { 'db/postgresql/V1_0__init.sql': 'CREATE TABLE oauth_clients (\n  id varchar(255) NOT NULL PRIMARY KEY,\n  redirect_uri VARCHAR(1024),\n  secret varchar(256)\n);' };
    const f = await judge('db/postgresql/V4_102__wider_redirect.sql', 'ALTER TABLE oauth_clients ALTER COLUMN redirect_uri TYPE TEXT;', history);
    assert.deepEqual(lines(f), ['1 migration'], lines(f).join(', '));
    const g = await judge('db/postgresql/V4_103__secret.sql', 'ALTER TABLE oauth_clients ALTER COLUMN secret TYPE integer USING secret::integer;', history);
    assert.deepEqual(lines(g), ['1 migration-breaking']);
  });

  it('reads widenings of integers, strings and decimals, and nothing else', () => {
    assert.ok(sqlWidening('INT', 'BIGINT'));
    assert.ok(sqlWidening('int(11)', 'bigint(20)'));
    assert.ok(sqlWidening('smallint', 'int4'));
    assert.ok(sqlWidening('varchar(64)', 'varchar(255)'));
    assert.ok(sqlWidening('character varying(64)', 'text'));
    assert.ok(sqlWidening('TEXT', 'LONGTEXT'));
    assert.ok(sqlWidening('decimal(10,2)', 'numeric(12,2)'));
    assert.equal(sqlWidening('BIGINT', 'INT'), undefined);
    assert.equal(sqlWidening('varchar(255)', 'varchar(64)'), undefined);
    assert.equal(sqlWidening('decimal(10,2)', 'decimal(10,4)'), undefined);
    assert.equal(sqlWidening('varchar(64)', 'integer'), undefined);
    assert.equal(sqlWidening('LONGTEXT', 'TEXT'), undefined);
    assert.equal(sqlWidening('timestamp', 'timestamptz'), undefined);
  });

  it('the analysis finds the earlier changelogs through the repository search', async () => {
    const before = { 'schema/changelog-4.0.xml': FIRST, 'schema/changelog-master.xml': '<databaseChangeLog>\n  <include file="changelog-4.0.xml"/>\n</databaseChangeLog>\n' };
    const after = { 'schema/changelog-6.15.0.xml': WIDEN };
    const search = memorySearch(treeAfter(before, after));
    const a = await assess(changeSetOf(before, after), PolicySchema.parse({}), search);
    assert.equal(a.tier, 'MEDIUM', JSON.stringify(a.files.map((f) => f.findings)));
    assert.ok(search.calls.some((terms) => terms.includes('positionid')));
  });
});
