import type { Verdict } from './judgement';

/*
 * The wording of every verdict, shared by the SQL classifier and the framework readers
 * so that `remove_column :users, :email` and `ALTER TABLE users DROP COLUMN email`
 * read the same in the editor.
 */

const BREAKS = 'breaking for running code';

const q = (name: string): string => `\`${name}\``;
const col = (table: string, column: string): string => q(table ? `${table}.${column}` : column);

export const verdict = {
  dropColumn: (table: string, column: string): Verdict => ({
    check: 'drop-column',
    effect: 'breaking',
    message: `drops column ${col(table, column)}: ${BREAKS}`,
  }),
  dropTable: (table: string): Verdict => ({ check: 'drop-table', effect: 'breaking', message: `drops table ${q(table)}: ${BREAKS}` }),
  dropObject: (kind: string, name: string): Verdict => ({
    check: 'drop-object',
    effect: 'breaking',
    message: `drops ${kind} ${q(name)}: ${BREAKS} that uses it`,
  }),
  renameColumn: (table: string, from: string, to: string): Verdict => ({
    check: 'rename-column',
    effect: 'breaking',
    message: `renames column ${col(table, from)} to ${q(to)}: ${BREAKS}`,
  }),
  renameTable: (from: string, to: string): Verdict => ({
    check: 'rename-table',
    effect: 'breaking',
    message: `renames table ${q(from)} to ${q(to)}: ${BREAKS}`,
  }),
  renameObject: (kind: string, from: string, to: string): Verdict => ({
    check: 'rename-object',
    effect: 'breaking',
    message: `renames ${kind} ${q(from)} to ${q(to)}: ${BREAKS}`,
  }),
  changeType: (table: string, column: string, type?: string): Verdict => ({
    check: 'change-column-type',
    effect: 'breaking',
    message: `changes column ${col(table, column)}${type ? ` to type ${q(type)}` : ' (type or constraints)'}: ${BREAKS}`,
    ...(table && column ? { column: `${table}.${column}` } : {}),
    ...(type ? { toType: type } : {}),
  }),
  alterColumn: (table: string, column: string, what: string, breaking: boolean): Verdict => ({
    check: 'change-column-type',
    effect: breaking ? 'breaking' : 'compatible',
    message: `changes column ${col(table, column)}: ${what}: ${breaking ? BREAKS : 'backward compatible'}`,
  }),
  alterUnknown: (table: string, column: string, why: string): Verdict => ({
    check: 'change-column-type',
    effect: 'compatible',
    message: `changes column ${col(table, column)}, but ${why}: whether it emits SQL is unknown, review it by hand`,
  }),
  noSql: (table: string, column: string, keys: string[]): Verdict => ({
    check: 'other',
    effect: 'no-sql',
    message: `alters field ${col(table, column)} only in ${keys.join(', ')}: Django emits no SQL for ${keys.length > 1 ? 'these' : 'it'}, the migration is backward compatible`,
  }),
  addRequiredColumn: (table: string, column: string, why = 'NOT NULL without a default'): Verdict => ({
    check: 'add-required-column',
    effect: 'breaking',
    message: `adds column ${col(table, column)} ${why}: ${BREAKS} that inserts rows without it`,
  }),
  setNotNull: (table: string, column: string): Verdict => ({
    check: 'set-not-null',
    effect: 'breaking',
    column: `${table}.${column}`,
    message: `makes column ${col(table, column)} NOT NULL: ${BREAKS} that writes NULL to it`,
  }),
  truncate: (table: string): Verdict => ({
    check: 'truncate',
    effect: 'data-write',
    message: `empties table ${q(table)} (TRUNCATE): deletes every row, not undone by a code rollback`,
  }),
  dataWrite: (what: string, table?: string): Verdict => ({
    check: 'data-write',
    effect: 'data-write',
    message: `${what}${table ? ` ${q(table)}` : ''} inside the migration: a data write, not undone by a code rollback`,
  }),
  addColumn: (table: string, column: string, how: string): Verdict => ({
    check: 'add-column',
    effect: 'compatible',
    message: `adds column ${col(table, column)} (${how}): backward compatible`,
  }),
  createTable: (table: string): Verdict => ({ check: 'create-table', effect: 'compatible', message: `creates table ${q(table)}: backward compatible` }),
  createIndex: (table: string, name: string | undefined, concurrently: boolean): Verdict =>
    concurrently
      ? { check: 'create-index', effect: 'compatible', message: `creates index${name ? ` ${q(name)}` : ''} on ${q(table)} concurrently: backward compatible` }
      : {
          check: 'create-index',
          effect: 'locking',
          message: `creates index${name ? ` ${q(name)}` : ''} on ${q(table)} without CONCURRENTLY: blocks writes to ${q(table)} while it builds (not breaking for running code)`,
        },
  /** A unique index or constraint on a table that already holds rows: a stricter constraint on existing data. */
  addUnique: (table: string, what: 'index' | 'constraint' | 'primary key', name: string | undefined): Verdict => ({
    check: what === 'index' ? 'create-index' : 'add-constraint',
    effect: 'breaking',
    message: `adds a ${what === 'primary key' ? what : `unique ${what}`}${name ? ` ${q(name)}` : ''} to the existing table ${q(table)}: the migration fails if its rows already repeat a value, and writes of running code that repeat one are rejected`,
  }),
  dropIndex: (name: string, concurrently: boolean): Verdict => ({
    check: 'drop-index',
    effect: concurrently ? 'compatible' : 'locking',
    message: `drops index ${q(name)}${concurrently ? ' concurrently' : ''}: queries that used it may slow down${concurrently ? '' : '; blocks access to its table while it runs'}`,
  }),
  addConstraint: (table: string, kind: string, name: string | undefined, validated: boolean): Verdict => ({
    check: 'add-constraint',
    effect: validated ? 'locking' : 'compatible',
    message: validated
      ? `adds ${kind} constraint${name ? ` ${q(name)}` : ''} to ${q(table)}: checks every existing row while holding a lock, and rejects writes that violate it`
      : `adds ${kind} constraint${name ? ` ${q(name)}` : ''} to ${q(table)} without validating existing rows: backward compatible; new writes that violate it are rejected`,
  }),
  attachIndex: (table: string, kind: string, name: string | undefined, index: string): Verdict => ({
    check: 'add-constraint',
    effect: 'compatible',
    message: `adds ${kind} constraint${name ? ` ${q(name)}` : ''} to ${q(table)} using the existing index ${q(index)}: no scan under a lock; backward compatible, new writes that violate it are rejected`,
  }),
  dropConstraint: (table: string, name: string): Verdict => ({
    check: 'drop-constraint',
    effect: 'compatible',
    message: `drops constraint ${q(name)} from ${q(table)}: backward compatible`,
  }),
  dropNotNull: (table: string, column: string): Verdict => ({
    check: 'drop-not-null',
    effect: 'compatible',
    message: `allows NULL in column ${col(table, column)}: backward compatible`,
  }),
  changeDefault: (table: string, column: string, dropped: boolean): Verdict => ({
    check: 'change-default',
    effect: 'compatible',
    message: dropped
      ? `drops the default of column ${col(table, column)}: backward compatible unless running code relies on it`
      : `sets the default of column ${col(table, column)}: backward compatible`,
  }),
  revoke: (what: string): Verdict => ({ check: 'revoke', effect: 'breaking', message: `revokes privileges on ${what}: ${BREAKS} that relies on them` }),
  other: (what: string): Verdict => ({ check: 'other', effect: 'compatible', message: `${what}: not a breaking schema change` }),
  unparsed: (why: string): Verdict => ({ check: 'unparsed', effect: 'unparsed', message: `could not parse the migration (${why}): review it by hand` }),
};
