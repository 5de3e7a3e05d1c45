/**
 * The kind of schema change a migration statement makes, named the same whichever framework
 * wrote it (`remove_column :users, :email` and `ALTER TABLE users DROP COLUMN email` are both
 * `drop-column`). A migration finding carries it as `schemaChange`, so that the plan's advice,
 * the checklist and the webview choose by it, never by the words of the message.
 */
export const SCHEMA_CHANGES = [
  'drop-column',
  'drop-table',
  'drop-object',
  'drop-database',
  'rename-column',
  'rename-table',
  'rename-object',
  'change-column-type',
  'add-required-column',
  'set-not-null',
  'truncate',
  'data-write',
  'add-column',
  'create-table',
  'create-index',
  'drop-index',
  'add-constraint',
  'drop-constraint',
  'drop-not-null',
  'change-default',
  'revoke',
  'other',
  'unparsed',
] as const;

export type SchemaChange = (typeof SCHEMA_CHANGES)[number];
