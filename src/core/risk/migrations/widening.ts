import type { ChangedFile } from '../../change/types';
import type { Judgement } from './judgement';
import { verdict } from './verdicts';

/*
 * A column's type change is breaking unless it widens: INT → BIGINT, VARCHAR(64) → VARCHAR(255) or
 * TEXT keep every value old code writes and reads. A SQL script or a Liquibase `modifyDataType`
 * names only the new type; the old one is where the column was last defined, in an earlier
 * migration of the same folder (`CREATE TABLE`, `ADD COLUMN`, an earlier type change, a Liquibase
 * `createTable`/`addColumn` column or `modifyDataType`). When no earlier migration defines it, the
 * change stays breaking.
 */

const ID = String.raw`[\x60"\[]?(\w+)[\x60"\]]?`;
const SQL_TYPE_CHANGES = [
  new RegExp(String.raw`\bALTER\s+COLUMN\s+${ID}\s+(?:SET\s+DATA\s+)?TYPE\b`, 'gi'),
  new RegExp(String.raw`\bMODIFY\s+(?:COLUMN\s+)?${ID}\s+\w`, 'gi'),
];
const LIQUIBASE_TYPE_CHANGE = /<modifyDataType\b[^>]*?\bcolumnName\s*=\s*["']([^"']+)["']/g;

/** The columns whose type the migration changes: what the repository search looks for in earlier migrations. */
export function typeChangeColumns(file: ChangedFile): string[] {
  const text = file.content ?? '';
  const out = new Set<string>();
  for (const re of [...SQL_TYPE_CHANGES, LIQUIBASE_TYPE_CHANGE]) for (const m of text.matchAll(re)) out.add(m[1]!);
  return [...out];
}

/** Where `table.column` was last defined before `path`: its type and the migration that says so. */
export function earlierColumnType(path: string, table: string, column: string, history: ReadonlyMap<string, string>): { type: string; path: string } | undefined {
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const earlier = [...history.keys()]
    .filter((p) => p !== path && p.startsWith(dir) && !p.slice(dir.length).includes('/') && p.localeCompare(path, undefined, { numeric: true }) < 0)
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  for (const p of earlier) {
    const type = lastDefinition(history.get(p)!, table, column);
    if (type) return { type, path: p };
  }
  return undefined;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The type the text gives `table.column` last, in SQL or a Liquibase XML changelog. */
function lastDefinition(text: string, table: string, column: string): string | undefined {
  const t = String.raw`[\x60"\[]?${esc(table)}[\x60"\]]?`;
  const c = String.raw`[\x60"\[]?${esc(column)}[\x60"\]]?`;
  const TYPE = String.raw`(\w+(?:\s+(?:varying|precision))?(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?)`;
  const found: Array<{ at: number; type: string }> = [];
  const add = (at: number, type: string | undefined): void => void (type && found.push({ at, type }));
  // CREATE TABLE t (… c TYPE …)
  for (const m of text.matchAll(new RegExp(String.raw`\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\.)?${t}\s*\(`, 'gi'))) {
    const body = text.slice(m.index + m[0].length, closingParen(text, m.index + m[0].length - 1));
    const def = new RegExp(String.raw`(?:^|[(,]|\n)\s*${c}\s+${TYPE}`, 'i').exec(body);
    add(m.index, def?.[1]);
  }
  // ALTER TABLE t ADD [COLUMN] c TYPE; ALTER TABLE t ALTER COLUMN c [SET DATA] TYPE x; ALTER TABLE t MODIFY [COLUMN] c x
  for (const m of text.matchAll(new RegExp(String.raw`\bALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?(?:\w+\.)?${t}\s+([^;]*)`, 'gi'))) {
    const rest = m[1]!;
    const def =
      new RegExp(String.raw`\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?${c}\s+${TYPE}`, 'i').exec(rest) ??
      new RegExp(String.raw`\bALTER\s+COLUMN\s+${c}\s+(?:SET\s+DATA\s+)?TYPE\s+${TYPE}`, 'i').exec(rest) ??
      new RegExp(String.raw`\bMODIFY\s+(?:COLUMN\s+)?${c}\s+${TYPE}`, 'i').exec(rest);
    add(m.index, def?.[1]);
  }
  // Liquibase: <createTable tableName="t"> / <addColumn tableName="t"> … <column name="c" type="…">, <modifyDataType …>
  for (const m of text.matchAll(/<(createTable|addColumn)\b([^>]*)>([\s\S]*?)<\/\1>/g)) {
    if (attr(m[2]!, 'tableName') !== table) continue;
    for (const col of m[3]!.matchAll(/<column\b([^>]*?)\/?>/g)) if (attr(col[1]!, 'name') === column) add(m.index, attr(col[1]!, 'type'));
  }
  for (const m of text.matchAll(/<modifyDataType\b([^>]*?)\/?>/g)) {
    if (attr(m[1]!, 'tableName') === table && attr(m[1]!, 'columnName') === column) add(m.index, attr(m[1]!, 'newDataType'));
  }
  return found.sort((a, b) => a.at - b.at).pop()?.type;
}

function attr(attrs: string, name: string): string | undefined {
  return new RegExp(String.raw`\b${name}\s*=\s*["']([^"']*)["']`).exec(attrs)?.[1];
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

type SqlType = { kind: 'int'; bytes: number } | { kind: 'varchar'; length: number | undefined } | { kind: 'text'; rank: number } | { kind: 'decimal'; precision: number; scale: number } | { kind: 'other'; name: string };

const INT_BYTES: Record<string, number> = { tinyint: 1, smallint: 2, int2: 2, mediumint: 3, int: 4, integer: 4, int4: 4, serial: 4, bigint: 8, int8: 8, bigserial: 8 };
const TEXT_RANK: Record<string, number> = { tinytext: 1, text: 2, mediumtext: 3, longtext: 4, clob: 4, ntext: 4 };

function parseType(raw: string): SqlType {
  const s = raw.toLowerCase().replace(/\s+/g, ' ').trim();
  const m = /^([a-z0-9_ ]+?)\s*(?:\(\s*(\d+)(?:\s*,\s*(\d+))?\s*\))?(?: unsigned)?$/.exec(s);
  if (!m) return { kind: 'other', name: s };
  const name = m[1]!.trim();
  const [a, b] = [m[2] === undefined ? undefined : Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  if (Object.hasOwn(INT_BYTES, name)) return { kind: 'int', bytes: INT_BYTES[name]! };
  if (/^(varchar|character varying|nvarchar|varchar2|nvarchar2)$/.test(name)) return { kind: 'varchar', length: a };
  if (Object.hasOwn(TEXT_RANK, name)) return { kind: 'text', rank: TEXT_RANK[name]! };
  if (/^(decimal|numeric)$/.test(name) && a !== undefined) return { kind: 'decimal', precision: a, scale: b ?? 0 };
  return { kind: 'other', name: s };
}

/** How the change widens the column (`4-byte to 8-byte integer`), or undefined when it may lose or reject a value. */
export function sqlWidening(from: string, to: string): string | undefined {
  const [a, b] = [parseType(from), parseType(to)];
  if (a.kind === 'int' && b.kind === 'int') return b.bytes >= a.bytes ? `${a.bytes}-byte to ${b.bytes}-byte integer` : undefined;
  if (a.kind === 'varchar' && b.kind === 'varchar') return a.length !== undefined && (b.length === undefined || b.length >= a.length) ? `varchar(${a.length}) to varchar${b.length === undefined ? '' : `(${b.length})`}` : undefined;
  if (a.kind === 'varchar' && b.kind === 'text') return `varchar to ${to.toLowerCase()}`;
  if (a.kind === 'text' && b.kind === 'text') return b.rank >= a.rank ? `${from.toLowerCase()} to ${to.toLowerCase()}` : undefined;
  if (a.kind === 'decimal' && b.kind === 'decimal') {
    return b.scale >= a.scale && b.precision - b.scale >= a.precision - a.scale ? `decimal(${a.precision},${a.scale}) to decimal(${b.precision},${b.scale})` : undefined;
  }
  return undefined;
}

/**
 * The judgements with each breaking type change that an earlier migration shows to widen the
 * column made backward compatible, saying from what and where that was found.
 */
export function withWidenings(judgements: Judgement[], path: string, history: ReadonlyMap<string, string> | undefined): Judgement[] {
  if (!history?.size) return judgements;
  return judgements.map((j) => {
    if (j.check !== 'change-column-type' || j.effect !== 'breaking' || !j.toType || !j.column) return j;
    const dot = j.column.lastIndexOf('.');
    const [table, column] = [j.column.slice(0, dot), j.column.slice(dot + 1)];
    const earlier = earlierColumnType(path, table, column, history);
    const widens = earlier && sqlWidening(earlier.type, j.toType);
    if (!earlier || !widens) return j;
    const v = verdict.alterColumn(table, column, `type ${earlier.type} → ${j.toType} (widens ${widens}; the old type is in ${earlier.path.slice(earlier.path.lastIndexOf('/') + 1)})`, false);
    return { ...j, ...v, column: j.column, toType: j.toType };
  });
}
