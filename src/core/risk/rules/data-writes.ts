/**
 * Data writes by ecosystem: one table a contributor extends in one place. Each row says how a file
 * shows that it uses an ORM or driver (its imports, a model base class, a struct tag), which calls
 * write through it, and which declarations change what its writes do (a GORM column, an
 * ActiveRecord `dependent:`, a JPA `@Transactional`). A row applies only to files that use its
 * ecosystem, so a `.delete(` on a Map is not a write in a file that imports no ORM.
 *
 * A changed line is a write when the statement it belongs to reaches a write call (a `where:` line
 * of a Prisma `deleteMany({ … })`, an `INSERT … SELECT` whose `SELECT` line changed), read from the
 * syntax of the line where it was parsed and from the line alone where it was not. SQL is read from
 * the statement's string literals joined (`"UPDATE t " + "SET …"`), and in `.sql` query files from
 * the statement between semicolons or `-- name:` markers.
 */
import type { LanguageId } from '../languages';
import type { ScannedLine } from '../scan';
import type { LineSyntax } from '../syntax';
import type { RuleId } from '../../catalog';

export type DataWriteRuleId = Extract<RuleId, `data-write-${string}`>;

export interface Ecosystem {
  id: DataWriteRuleId;
  name: string;
  languages: readonly LanguageId[];
  /** Whether a file uses the ecosystem: read on its path and its whole text (imports, base classes, tags). */
  uses(path: string, content: string): boolean;
  /** Write calls, read on a statement's code with string contents blanked. */
  writes?: RegExp;
  /** A changed line that is itself a declaration changing what writes do. `before`: the other side's changed line declaring the same field, if any. */
  declares?(code: string, before: (name: string) => string | undefined): string | undefined;
}

/**
 * A use read from the file's imports. `hints`: words every match contains, looked for first, so the
 * pattern runs only on the files that may match (most files mention no ORM at all).
 */
const importsFrom = (modules: RegExp, hints: readonly string[]) => (_path: string, content: string) => hints.some((h) => content.includes(h)) && modules.test(content);

// JS modules: `from 'x'`, `require('x')`, `import('x')`.
const jsModule = (name: string) => new RegExp(String.raw`(?:from\s+|require\(\s*|import\(\s*)['"]${name}['"]`);

/** Receivers whose `.delete(`/`.update(`/`.save(` keep data in memory or on the page, never in a database. */
const IN_MEMORY_NAMES = 'map|Map|set|Set|cache|headers|params|searchParams|formData|url|storage|localStorage|sessionStorage|Object|Reflect|dict|kwargs|options|opts|context|ctx|state|hash|hasher|digest|cipher|canvas|editor|form|store';
const IN_MEMORY = String.raw`(?<!\b(?:${IN_MEMORY_NAMES})\s*)`;
// Of those, the ones no Prisma model is named after (a model may well be a `Form` or a `Store`).
const NEVER_A_MODEL = 'map|Map|set|Set|cache|headers|params|searchParams|formData|localStorage|sessionStorage|Object|Reflect|options|opts';

export const ECOSYSTEMS: readonly Ecosystem[] = [
  {
    id: 'data-write-prisma',
    name: 'Prisma',
    languages: ['js'],
    // `@prisma/client`, or a workspace's own client module (`@acme/prisma`, `~/lib/prisma`).
    uses: importsFrom(jsModule(String.raw`[^'"]*prisma[^'"]*`), ['prisma']),
    // `prisma.user.update(`, `tx.team.deleteMany(`: a client (or transaction) and a model, then the write.
    // The model is no in-memory collection: `url.searchParams.delete(` edits a URL, `this.cache.delete(` a map.
    writes: new RegExp(String.raw`[\w$]+\s*\.\s*(?!(?:${NEVER_A_MODEL})\s*\.)[\w$]+\s*\.\s*(?:create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\s*\(|\$executeRaw(?:Unsafe)?\b`),
  },
  {
    id: 'data-write-typeorm',
    name: 'TypeORM',
    languages: ['js'],
    uses: importsFrom(new RegExp(`${jsModule('typeorm').source}|${jsModule('@nestjs/typeorm').source}`), ['typeorm']),
    writes: new RegExp(IN_MEMORY + String.raw`\.\s*(?:save|insert|update|upsert|delete|remove|softDelete|softRemove|restore|increment|decrement)\s*\(`),
  },
  {
    id: 'data-write-sequelize',
    name: 'Sequelize',
    languages: ['js'],
    uses: importsFrom(new RegExp(`${jsModule('sequelize').source}|${jsModule('sequelize-typescript').source}`), ['sequelize']),
    writes: new RegExp(IN_MEMORY + String.raw`\.\s*(?:create|bulkCreate|update|upsert|destroy|increment|decrement|save|restore|truncate|findOrCreate)\s*\(`),
  },
  {
    id: 'data-write-drizzle',
    name: 'Drizzle',
    languages: ['js'],
    uses: importsFrom(jsModule(String.raw`drizzle-orm(?:\/[^'"]*)?`), ['drizzle-orm']),
    writes: /\.\s*(?:insert|update|delete)\s*\(\s*[\w$.]+\s*\)|\.\s*onConflictDo(?:Update|Nothing)\s*\(/,
  },
  {
    id: 'data-write-sqlalchemy',
    name: 'SQLAlchemy',
    languages: ['python'],
    uses: importsFrom(/^\s*(?:from|import)\s+(?:sqlalchemy|sqlmodel|flask_sqlalchemy)\b/m, ['sqlalchemy', 'sqlmodel']),
    // Core statements (`update(table)`, `table.delete()`, `insert(T).values(…)`), query writes
    // (`query.filter_by(…).delete()`), and the session's own writes.
    writes: /(?<![\w.])(?:insert|update|delete)\s*\(\s*[\w.]+\s*\)|(?:\)|\b\w*table\w*|\bquery|\bstmt)\s*\.\s*(?:delete|update|insert|values)\s*\(|\bsession\s*\.\s*(?:add|add_all|merge|delete|bulk_save_objects|bulk_insert_mappings|bulk_update_mappings)\s*\(/i,
  },
  {
    id: 'data-write-django',
    name: 'Django ORM',
    languages: ['python'],
    uses: importsFrom(/^\s*(?:from|import)\s+django\b/m, ['django']),
    // Manager and queryset writes (`X.objects.filter(…).update(…)`), and an instance's save or delete.
    writes: /\.objects\b[^;]*?\.\s*(?:create|update|delete|bulk_create|bulk_update|get_or_create|update_or_create)\s*\(|\.\s*(?:save|delete)\s*\(\s*(?:\)|update_fields\b|using\b|force_\w+\b)/,
  },
  {
    id: 'data-write-gorm',
    name: 'GORM',
    languages: ['go'],
    // A model file need not import gorm: its struct tags are the use.
    uses: importsFrom(/"gorm\.io\/gorm"|"github\.com\/jinzhu\/gorm"|\bgorm:"/, ['gorm']),
    writes: /\.\s*(?:Create|CreateInBatches|Save|Update|Updates|UpdateColumn|UpdateColumns|Delete|FirstOrCreate|Exec)\s*\(/,
    // A column an existing field already had, now with another type or constraints: AutoMigrate alters
    // it at start-up. Index options (`index`, `uniqueIndex`, their length) only rebuild an index.
    declares(code, before) {
      const m = GORM_FIELD.exec(code);
      const was = m ? before(m[1]) : undefined;
      const old = was ? GORM_FIELD.exec(was) : null;
      if (!m || !old) return undefined;
      const now = columnOptions(m[2]);
      const then = columnOptions(old[2]);
      const changed = [...new Set([...now.keys(), ...then.keys()])].filter((k) => now.get(k) !== then.get(k));
      return changed.length ? `${m[1]} gorm:"${m[2]}" (${changed.join(', ')} changed)` : undefined;
    },
  },
  {
    id: 'data-write-sql',
    name: 'SQL',
    languages: ['js', 'python', 'go', 'java', 'kotlin', 'ruby', 'c', 'text'],
    // SQL is syntax of its own wherever it is written: the statement's text decides (see sqlWrite).
    uses: () => true,
  },
  {
    id: 'data-write-jpa',
    name: 'JPA / Spring Data',
    languages: ['java', 'kotlin'],
    uses: importsFrom(/^\s*import\s+(?:javax\.persistence|jakarta\.persistence|org\.springframework\.data|org\.springframework\.transaction|org\.hibernate)\./m, ['persistence', 'org.springframework', 'org.hibernate']),
    writes: /\.\s*(?:save|saveAll|saveAndFlush|saveAllAndFlush|delete|deleteAll|deleteById|deleteAllById|deleteInBatch|deleteAllInBatch|persist|merge|remove|executeUpdate)\s*\(/,
    // The transaction around writes (its isolation, propagation, read-only), and a modifying query.
    declares(code) {
      const m = /@(?:org\.springframework\.transaction\.annotation\.)?(Transactional|Modifying)\b(?:\([^)]*\))?/.exec(code);
      return m ? m[0] : undefined;
    },
  },
  {
    id: 'data-write-activerecord',
    name: 'ActiveRecord',
    languages: ['ruby'],
    uses: (path, content) => /(?:^|\/)app\/models\//.test(path) || /<\s*(?:ApplicationRecord|ActiveRecord::Base)\b|\bActiveRecord::/.test(content),
    writes: /\.\s*(?:save|create|update|destroy|update_all|delete_all|destroy_all|insert_all|upsert_all|update_column|update_columns|touch|increment!|decrement!|toggle!)(?![\w?])/,
    // An association that deletes or rewrites other records when this one is destroyed.
    declares(code) {
      const m = /^\s*(?:has_many|has_one|belongs_to|has_and_belongs_to_many)\b.*\bdependent:\s*:(?:destroy|delete_all|delete|nullify|destroy_async|restrict_with_exception|restrict_with_error)\b/.exec(code);
      return m ? m[0].trim() : undefined;
    },
  },
];

const GORM_FIELD = /^\s*([A-Z]\w*)\s+[\w.*[\]]+\s+`[^`]*\bgorm:"([^"]*)"/;
// GORM tag options that define the column itself, as opposed to an index on it.
const GORM_COLUMN_OPTIONS = new Set(['type', 'size', 'not null', 'notnull', 'default', 'precision', 'scale', 'primarykey', 'column', 'autoincrement', 'serializer', 'unique', 'foreignkey', 'references', 'constraint', 'embedded', 'embeddedprefix']);

/** A GORM tag's column options, by lower-cased key: `type:bytes;not null` → type → bytes, not null → ''. */
function columnOptions(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of tag.split(';')) {
    const at = part.indexOf(':');
    const key = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
    if (GORM_COLUMN_OPTIONS.has(key)) out.set(key, at < 0 ? '' : part.slice(at + 1).trim());
  }
  return out;
}

// SQL that writes: `INSERT INTO`, `UPDATE t [AS a] SET`, `DELETE FROM`, `MERGE INTO`, upserts, `TRUNCATE`.
const SQL_WRITE = /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+(?:ONLY\s+)?[\w."`[\]]+(?:\s+(?:AS\s+)?\w+)?\s+SET|DELETE\s+FROM|MERGE\s+INTO|REPLACE\s+INTO|UPSERT\s+INTO|TRUNCATE(?:\s+TABLE)?\s+[\w."`]+|ON\s+CONFLICT|ON\s+DUPLICATE\s+KEY\s+UPDATE)\b/i;
const STRING_LITERAL = /(["'`])((?:\\.|(?!\1)[^\\])*)\1/g;

/** The SQL a statement writes, if any: its string literals joined, so `"UPDATE t " + "SET x = 1"` reads as one. */
export function sqlWrite(code: string): string | undefined {
  let text = '';
  for (const m of code.matchAll(STRING_LITERAL)) text += `${m[2]} `;
  const m = SQL_WRITE.exec(text);
  return m ? m[0].replace(/\s+/g, ' ') : undefined;
}

const AFTER_WRITE = new Set(['catch', 'then', 'finally']);
const CLOSERS = /^[\s)\]};,]*$/;

/** A statement longer than this is a whole class or module: its lines are judged one by one instead. */
const MAX_STATEMENT_LINES = 80;

export interface WriteHit {
  /** The ecosystem's rule, or `data-write` for a write through a helper of the repository. */
  rule: DataWriteRuleId | 'data-write';
  term: string;
}

export interface SideText {
  lines: readonly string[];
  scanned: readonly ScannedLine[];
}

export interface DataWriteReader {
  /** The write a changed line belongs to, if any. `syntax`: the line's facts, when it was parsed. */
  at(line: number, side: 'added' | 'removed', code: string, syntax?: LineSyntax): WriteHit | undefined;
}

/** Files whose ecosystems are remembered at most: several rules ask about the same file. */
const REMEMBERED_FILES = 4096;
const remembered = new Map<string, { lang: LanguageId; content: string; ecosystems: Ecosystem[] }>();

/** Forgets the files asked about: called once an assessment is done, so no file's text outlives it. */
export function forgetEcosystems(): void {
  remembered.clear();
}

/** The ecosystems a file uses, by its path and text (remembered until forgetEcosystems). */
export function ecosystemsOf(path: string, lang: LanguageId, content: string): readonly Ecosystem[] {
  const known = remembered.get(path);
  if (known && known.lang === lang && known.content === content) return known.ecosystems;
  const ecosystems = ECOSYSTEMS.filter((e) => e.languages.includes(lang) && e.uses(path, content));
  if (remembered.size >= REMEMBERED_FILES) remembered.clear();
  remembered.set(path, { lang, content, ecosystems });
  return ecosystems;
}

// SQL keywords as written in code, before a statement's literals are joined: whether a file may hold SQL writes.
const MAY_HOLD_SQL_WRITE = /\b(?:INSERT|UPDATE|DELETE|MERGE|UPSERT|REPLACE|TRUNCATE|ON CONFLICT)\b/;

/** Whether a file uses an ORM or driver whose writes its statements may reach, or may hold SQL that writes. */
export function usesDataEcosystem(path: string, lang: LanguageId, content: string): boolean {
  return MAY_HOLD_SQL_WRITE.test(content) || ecosystemsOf(path, lang, content).some((e) => e.id !== 'data-write-sql');
}

const FIELD_NAME = /^\s*([A-Z]\w*)\s/;

/**
 * The reader of one file's writes. `sides` gives each side's text, the old one only when it can be
 * rebuilt; `other` the code of the other side's changed lines, for "is this field modified?".
 */
export function dataWriteReader(o: {
  path: string;
  lang: LanguageId;
  content: string;
  side: (s: 'added' | 'removed') => SideText | undefined;
  changed: (s: 'added' | 'removed') => readonly string[];
  /** The write through a helper of the repository that a line of the new side reaches, given its statement (see ./write-through). */
  through?: (line: number, statement: { start: number; end: number } | undefined) => WriteHit | undefined;
}): DataWriteReader | undefined {
  const ecosystems = ecosystemsOf(o.path, o.lang, o.content);
  const orm = ecosystems.filter((e) => e.id !== 'data-write-sql');
  const sqlFile = o.lang === 'text' && /\.sql$/i.test(o.path);
  if (!orm.length && !o.through && !MAY_HOLD_SQL_WRITE.test(o.content) && !SQL_WRITE.test(o.content)) return undefined;
  const fields = new Map<string, Map<string, string>>();
  const fieldsOn = (s: 'added' | 'removed') => {
    let byName = fields.get(s);
    if (!byName) {
      byName = new Map();
      for (const c of o.changed(s)) {
        const name = FIELD_NAME.exec(c)?.[1];
        if (name && !byName.has(name)) byName.set(name, c);
      }
      fields.set(s, byName);
    }
    return byName;
  };
  return {
    at(line, side, code, syntax) {
      const other = side === 'added' ? 'removed' : 'added';
      for (const e of orm) {
        const d = e.declares?.(code, (name) => fieldsOn(other).get(name));
        if (d) return { rule: e.id, term: d };
      }
      const text = o.side(side);
      // A closing bracket, or the error handler chained after a write (`.catch((e) => {`), changes no write.
      const handler = syntax?.call !== undefined && AFTER_WRITE.has(syntax.call.callee);
      const span = sqlFile && text ? sqlStatement(text.lines, line) : handler || CLOSERS.test(code) ? undefined : syntax?.statement;
      let bare = code;
      let full = code;
      if (text && span && span.end - span.start < MAX_STATEMENT_LINES) {
        bare = text.scanned.slice(span.start - 1, span.end).map((l) => l.bare).join('\n');
        full = text.scanned.slice(span.start - 1, span.end).map((l) => l.code).join('\n');
      }
      for (const e of orm) {
        const m = e.writes?.exec(bare);
        if (m) return { rule: e.id, term: m[0].replace(/\s+/g, ' ').trim() };
      }
      const sql = sqlFile ? SQL_WRITE.exec(full)?.[0].replace(/\s+/g, ' ') : sqlWrite(full);
      if (sql) return { rule: 'data-write-sql', term: sql };
      return side === 'added' ? o.through?.(line, handler || CLOSERS.test(code) ? undefined : syntax?.statement) : undefined;
    },
  };
}

/** The statement of a `.sql` query file a line sits in: from after the previous `;` or `-- name:` marker to the next `;`. */
function sqlStatement(lines: readonly string[], line: number): { start: number; end: number } {
  let start = line;
  while (start > 1 && !/;\s*(?:--.*)?$/.test(lines[start - 2]) && !/^\s*--\s*name:/.test(lines[start - 1])) start--;
  let end = line;
  while (end < lines.length && !/;\s*(?:--.*)?$/.test(lines[end - 1]) && !/^\s*--\s*name:/.test(lines[end])) end++;
  return { start, end };
}
