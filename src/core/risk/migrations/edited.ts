import type { ChangedFile } from '../../change/types';
import type { Finding } from '../types';
import type { MigrationFormat } from './detect';
import { editsExistingStep } from './frameworks/numbered';

/*
 * A migration the base commit already has may have run in some environments: they never run
 * it again, so an edit reaches only fresh databases (and Flyway or Liquibase refuse to start on
 * the changed checksum). Only an edit that leaves every token in place — whitespace, comments —
 * is harmless. Any other edit is HIGH whatever its statements do: the databases that ran the old
 * version and the ones that will run the new one no longer have the same schema, and the next
 * migration or the code that expects the edit fails on one of them. A tool that checksums what it
 * ran (a Flyway versioned script, a Liquibase changelog) stops the deploy on every database that ran
 * the old version, and a deleted migration takes all its statements away from the environments that
 * have not run it yet, as a reverting migration would; the finding says which.
 */

/** Flyway's versioned scripts: `V<version>__<description>.sql`. Repeatable ones (`R__`) are meant to be edited. */
const FLYWAY_VERSIONED = /(?:^|\/)V\d+(?:[._]\d+)*__[^/]+\.sql$/;
const FLYWAY_REPEATABLE = /(?:^|\/)R__[^/]+\.sql$/;

/** The tool that runs the migration validates a checksum of each one it ran. */
function checksummed(path: string, format: MigrationFormat | undefined): 'Flyway' | 'Liquibase' | undefined {
  if (format === 'sql' && FLYWAY_VERSIONED.test(path)) return 'Flyway';
  if (format === 'liquibase-xml' || format === 'liquibase-yaml') return 'Liquibase';
  return undefined;
}

/** Line comments by migration language; SQL also has block comments. */
const LINE_COMMENT: Record<string, RegExp> = {
  sql: /--.*$/,
  hash: /#.*$/,
  slash: /\/\/.*$/,
};

function commentOf(format: MigrationFormat | undefined): RegExp[] {
  switch (format) {
    case 'rails':
    case 'django':
    case 'alembic':
    case 'python-numbered':
    case 'liquibase-yaml':
      return [LINE_COMMENT.hash!];
    case 'knex':
    case 'sequelize':
    case 'typeorm':
    case 'js-sql':
    case 'go':
      return [LINE_COMMENT.slash!];
    case 'sql':
      return [LINE_COMMENT.sql!];
    default:
      return [];
  }
}

/** The lines' tokens with whitespace and comments left out (a quote or `#` inside a string may over-strip: then an edit can pass as cosmetic only when its strings also match). */
function tokens(lines: string[], format: MigrationFormat | undefined): string {
  const joined = lines.map((l) => commentOf(format).reduce((t, re) => t.replace(re, ''), l)).join('\n');
  const noBlocks = format === 'sql' || format === 'knex' || format === 'sequelize' || format === 'typeorm' || format === 'js-sql' || format === 'go' ? joined.replace(/\/\*[\s\S]*?\*\//g, '') : joined;
  const noXml = format === 'liquibase-xml' ? noBlocks.replace(/<!--[\s\S]*?-->/g, '') : noBlocks;
  return noXml.replace(/\s+/g, '');
}

/** Whether an edit changes only whitespace and comments. */
export function isCosmeticEdit(file: ChangedFile, format: MigrationFormat | undefined): boolean {
  return (
    tokens(
      file.removedLines.map((l) => l.text),
      format,
    ) ===
    tokens(
      file.addedLines.map((l) => l.text),
      format,
    )
  );
}

/** The `migration-edited` finding for a migration the base already has, or none. */
export function editOf(file: ChangedFile, format: MigrationFormat | undefined): Finding[] {
  // A Go migrations package also holds its registry and helpers, edited with every new migration.
  if (format === 'go') return [];
  // A module of numbered steps gains a new step with every migration: only an edit inside an older step edits one.
  if (format === 'python-numbered' && file.status !== 'deleted' && !editsExistingStep(file)) return [];
  if (file.status === 'deleted') {
    return [
      {
        rule: 'migration-edited',
        tier: 'HIGH',
        line: 0,
        message: 'deletes a migration the base commit already has: environments that already ran it keep its schema, while new ones never get it',
        short: 'existing migration deleted',
      },
    ];
  }
  if (file.status !== 'modified' && file.status !== 'renamed') return [];
  if (!file.addedLines.length && !file.removedLines.length) return [];
  if (isCosmeticEdit(file, format)) return [];
  // Liquibase checksums each changeSet, not the file: changeSets added to a changelog are new migrations.
  if ((format === 'liquibase-xml' || format === 'liquibase-yaml') && onlyNewChangeSets(file, format)) return [];
  const line = file.ranges[0]?.start ?? file.removedLines[0]?.line ?? 0;
  const quote = file.addedLines[0]?.text.trim() ?? file.removedLines[0]?.text.trim();
  // Flyway runs a repeatable script again whenever its checksum changes: every environment runs the edit.
  if (format === 'sql' && FLYWAY_REPEATABLE.test(file.path)) {
    return [{ rule: 'migration-edited', tier: 'MEDIUM', line, message: 'edits a repeatable Flyway script: Flyway runs it again on every database, so its statements are judged as a new migration', short: 'repeatable migration edited', quote }];
  }
  const tool = checksummed(file.path, format);
  return [
    {
      rule: 'migration-edited',
      tier: 'HIGH',
      line,
      message: tool
        ? `edits a migration the base commit already has: ${tool} refuses to migrate a database that already ran it (its checksum no longer matches), so the deploy stops there; add a new migration instead`
        : 'edits a migration the base commit already has: environments that already ran it never see this edit, so their schema and that of new environments part ways; add a new migration instead',
      short: 'existing migration edited',
      quote,
    },
  ];
}

/** Lines that only frame a changelog: blank, a comment, the changelog's own tags. */
const FRAME = /^\s*(?:$|<!--.*-->\s*$|<\/?databaseChangeLog\b[^>]*>\s*$|#.*$|databaseChangeLog\s*:\s*$)/;

/** A master changelog's reference to another (`<include file=…/>`, `- include:`): adding one adds migrations. */
const INCLUDE = /^\s*(?:<include(?:All)?\b[^>]*\/>\s*$|-\s*include(?:All)?\s*:|(?:file|path|relativeToChangelogFile)\s*:)/;

/**
 * Whether a changelog edit only adds whole changeSets (or includes of other changelogs): every
 * added line belongs to a changeSet whose opening line is added too, includes another changelog or
 * only frames the file, and no removed line is more than frame.
 */
function onlyNewChangeSets(file: ChangedFile, format: 'liquibase-xml' | 'liquibase-yaml'): boolean {
  if (file.content === undefined) return false;
  if (file.removedLines.some((l) => !FRAME.test(l.text))) return false;
  const lines = file.content.split('\n');
  const opens = format === 'liquibase-xml' ? /^\s*<changeSet\b/ : /^\s*-\s*changeSet\s*:/;
  const closes = format === 'liquibase-xml' ? /<\/changeSet\s*>|<changeSet\b[^>]*\/>/ : undefined;
  const added = new Set(file.addedLines.map((l) => l.line));
  // For each line, the line its changeSet opens on (0: outside any).
  let open = 0;
  for (let n = 1; n <= lines.length; n++) {
    const text = lines[n - 1];
    if (opens.test(text)) open = n;
    if (added.has(n) && !FRAME.test(text) && !INCLUDE.test(text) && (open === 0 || !added.has(open))) return false;
    if (closes?.test(text)) open = 0;
  }
  return true;
}
