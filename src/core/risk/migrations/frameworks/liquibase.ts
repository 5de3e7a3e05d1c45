import { quoteOf, type Judgement, type Verdict } from '../judgement';
import { judgeSql } from '../sql';
import { verdict } from '../verdicts';

/*
 * Liquibase changelogs in XML or YAML: each change type maps to the same verdict as its SQL;
 * `<sql>` / `sql:` changes go through the PostgreSQL parser. `rollback` blocks are what a
 * rollback runs and are skipped.
 */

type Attrs = Map<string, string>;

const CHANGES = 'dropColumn|renameColumn|modifyDataType|dropTable|renameTable|addNotNullConstraint|dropNotNullConstraint|addColumn|createTable|createIndex|dropIndex|addForeignKeyConstraint|addUniqueConstraint|dropForeignKeyConstraint|dropUniqueConstraint|addDefaultValue|dropDefaultValue|update|delete|insert|loadData|loadUpdateData|sql';

function judgeChange(type: string, a: Attrs, columns: Attrs[], created: () => Set<string>): Verdict[] {
  const table = a.get('tableName') ?? '';
  const column = a.get('columnName') ?? '';
  switch (type) {
    case 'dropColumn':
      return column ? [verdict.dropColumn(table, column)] : columns.map((c) => verdict.dropColumn(table, c.get('name') ?? ''));
    case 'renameColumn':
      return [verdict.renameColumn(table, a.get('oldColumnName') ?? '', a.get('newColumnName') ?? '')];
    case 'modifyDataType':
      return [verdict.changeType(table, column, a.get('newDataType'))];
    case 'dropTable':
      return [verdict.dropTable(table)];
    case 'renameTable':
      return [verdict.renameTable(a.get('oldTableName') ?? '', a.get('newTableName') ?? '')];
    case 'addNotNullConstraint':
      return [verdict.setNotNull(table, column)];
    case 'dropNotNullConstraint':
      return [verdict.dropNotNull(table, column)];
    case 'addColumn':
      return columns.map((c) => {
        const name = c.get('name') ?? '';
        const notNull = c.get('nullable') === 'false' || c.get('primaryKey') === 'true';
        const hasDefault = [...c.keys()].some((k) => k.startsWith('defaultValue')) || c.get('autoIncrement') === 'true';
        if (notNull && !hasDefault) return verdict.addRequiredColumn(table, name, 'with nullable="false" and no default value');
        return verdict.addColumn(table, name, notNull ? 'NOT NULL with a default' : 'nullable');
      });
    case 'createTable':
      return [verdict.createTable(table)];
    case 'createIndex':
      // A unique index on a table the changelog does not create is a stricter constraint on its rows.
      if (a.get('unique') === 'true' && !created().has(table)) return [verdict.addUnique(table, 'index', a.get('indexName'))];
      // Liquibase issues a plain CREATE INDEX: PostgreSQL builds it while blocking writes.
      return [verdict.createIndex(table, a.get('indexName'), false)];
    case 'dropIndex':
      return [verdict.dropIndex(a.get('indexName') ?? '', false)];
    case 'addForeignKeyConstraint':
      return [verdict.addConstraint(a.get('baseTableName') ?? '', 'foreign key', a.get('constraintName'), a.get('validate') !== 'false')];
    case 'addUniqueConstraint':
      if (!created().has(table)) return [verdict.addUnique(table, 'constraint', a.get('constraintName'))];
      return [verdict.addConstraint(table, 'unique', a.get('constraintName'), true)];
    case 'dropForeignKeyConstraint':
      return [verdict.dropConstraint(a.get('baseTableName') ?? '', a.get('constraintName') ?? '')];
    case 'dropUniqueConstraint':
      return [verdict.dropConstraint(table, a.get('constraintName') ?? '')];
    case 'addDefaultValue':
    case 'dropDefaultValue':
      return [verdict.changeDefault(table, column, type === 'dropDefaultValue')];
    case 'update':
      return [verdict.dataWrite('updates rows of', table)];
    case 'delete':
      return [verdict.dataWrite('deletes rows from', table)];
    default:
      return [verdict.dataWrite('inserts rows into', table)];
  }
}

/**
 * The tables created in the changeSet around `index` (`<createTable tableName="…">`, or
 * `createTable:` with its `tableName:`): a unique index on one of them holds no rows yet. A table
 * an earlier changeSet of the same changelog created has been deployed and holds rows.
 */
function createdTables(code: string, index: number): Set<string> {
  const yaml = !code.includes('<changeSet');
  const opener = yaml ? 'changeSet:' : '<changeSet';
  const from = Math.max(0, code.lastIndexOf(opener, index));
  const next = yaml ? code.indexOf(opener, index) : code.indexOf('</changeSet>', index);
  const set = code.slice(from, next < 0 ? undefined : next);
  const out = new Set<string>();
  for (const m of set.matchAll(/<createTable\b[^>]*?\btableName\s*=\s*["']([^"']+)["']/g)) out.add(m[1]!);
  for (const m of set.matchAll(/-\s+createTable:[ \t]*\n(?:[ \t][^\n]*\n)*?[ \t]+tableName:\s*["']?([\w.$-]+)/g)) out.add(m[1]!);
  return out;
}

/** 1-based line of a string index. */
function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function xmlAttrs(s: string): Attrs {
  const out: Attrs = new Map();
  for (const m of s.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out.set(m[1]!, decode(m[3] ?? m[4] ?? ''));
  return out;
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export async function readLiquibaseXml(text: string): Promise<Judgement[]> {
  // Comments and rollback blocks are blanked (keeping line breaks) so nothing inside them is read.
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  const code = text.replace(/<!--[\s\S]*?-->/g, blank).replace(/<rollback\b[\s\S]*?<\/rollback>/g, blank);
  const out: Judgement[] = [];
  for (const m of code.matchAll(new RegExp(`<(${CHANGES})\\b([^>]*?)(/?)>`, 'g'))) {
    const type = m[1]!;
    const close = m[3] ? -1 : code.indexOf(`</${type}>`, m.index);
    const end = close < 0 ? m.index + m[0].length : close + type.length + 3;
    const inner = close < 0 ? '' : code.slice(m.index + m[0].length, close);
    const line = lineOf(text, m.index);
    if (type === 'sql') {
      const cdata = /<!\[CDATA\[([\s\S]*?)\]\]>/.exec(inner);
      const innerStart = m.index + m[0].length + (cdata ? cdata.index + 9 : 0);
      out.push(...(await judgeSql(cdata ? cdata[1]! : decode(inner), lineOf(text, innerStart))));
      continue;
    }
    const columns = [...inner.matchAll(/<column\b([^>]*?)(\/>|>([\s\S]*?)<\/column>)/g)].map((c) => {
      const attrs = xmlAttrs(c[1]!);
      const constraints = /<constraints\b([^>]*)\/?>/.exec(c[3] ?? '');
      if (constraints) for (const [k, v] of xmlAttrs(constraints[1]!)) attrs.set(k, v);
      return attrs;
    });
    for (const v of judgeChange(type, xmlAttrs(m[2]!), columns, () => createdTables(code, m.index))) out.push({ ...v, line, endLine: lineOf(text, end), quote: quoteOf(text.slice(m.index, m.index + m[0].length)) });
  }
  return out;
}

export async function readLiquibaseYaml(text: string): Promise<Judgement[]> {
  const lines = text.split('\n');
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) offsets.push(at);
  const indentOf = (l: string): number => l.length - l.trimStart().length;
  const out: Judgement[] = [];
  const changeLine = new RegExp(`^(\\s*)-\\s+(${CHANGES}):\\s*$`);
  let skipDeeperThan = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (skipDeeperThan >= 0 && (!l.trim() || indentOf(l) > skipDeeperThan)) continue;
    skipDeeperThan = -1;
    const rollback = /^(\s*)(?:-\s+)?rollback:/.exec(l);
    if (rollback) {
      skipDeeperThan = rollback[1]!.length;
      continue;
    }
    const m = changeLine.exec(l);
    if (!m) continue;
    const type = m[2]!;
    const indent = m[1]!.length;
    let j = i + 1;
    while (j < lines.length && (!lines[j]!.trim() || indentOf(lines[j]!) > indent)) j++;
    const body = lines.slice(i + 1, j);
    const attrs: Attrs = new Map();
    const columns: Attrs[] = [];
    let column: Attrs | undefined;
    for (let k = 0; k < body.length; k++) {
      const kv = /^\s*(?:-\s+)?([\w.]+):\s*(.*?)\s*$/.exec(body[k]!);
      if (!kv) continue;
      const [, key, raw] = kv as unknown as [string, string, string];
      if (key === 'column') {
        column = new Map();
        columns.push(column);
        continue;
      }
      if (type === 'sql' && key === 'sql') {
        const block = raw === '|' || raw === '>' || raw === '|-' || raw === '>-';
        const start = i + 1 + k + 1 + (block ? 1 : 0);
        const sql = block ? body.slice(k + 1).join('\n') : raw.replace(/^["']|["']$/g, '');
        out.push(...(await judgeSql(sql, block ? start : start - 1)));
        break;
      }
      (column ?? attrs).set(key, raw.replace(/^["']|["']$/g, ''));
    }
    if (type === 'sql') continue;
    while (j > i + 1 && !lines[j - 1]!.trim()) j--;
    for (const v of judgeChange(type, attrs, columns, () => createdTables(text, offsets[i]!))) out.push({ ...v, line: i + 1, endLine: j, quote: quoteOf(`${type}: ${[...attrs].map(([k, v2]) => `${k}: ${v2}`).join(', ')}`) });
  }
  return out;
}
