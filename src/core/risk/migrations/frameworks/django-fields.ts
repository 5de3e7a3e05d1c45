import type { ChangedFile } from '../../../change/types';
import type { Verdict } from '../judgement';
import { oldText } from '../../syntax/old';
import { verdict } from '../verdicts';
import { Source } from './source';

/*
 * A Django `AlterField` carries only the new definition. The old one is read from the model
 * file the same change edits (the field's removed line), or else from the earlier migrations of
 * the same app (the last AddField, AlterField or CreateModel of that field before this one), and
 * only the options that reach the database count: `choices`, `help_text`, `verbose_name`,
 * `validators`, `blank`, `default` live in Python and emit no SQL.
 */

export interface FieldDef {
  type: string;
  options: Map<string, string>;
}

/** `models.CharField(max_length=20, null=True)` → type `CharField` and its keyword options. */
export function parseField(text: string): FieldDef | undefined {
  const src = new Source(text, 'python');
  const call = src.calls(/(?<![\w])(?:[\w.]*\.)?(\w+Field|ForeignKey|OneToOneField)\s*(?=\()/g)[0];
  if (!call) return undefined;
  const options = new Map<string, string>();
  call.args.forEach((a, i) => {
    if (a.key) options.set(a.key, src.raw(a));
    else if (i === 0 && /ForeignKey|OneToOneField/.test(call.name)) options.set('to', src.raw(a));
  });
  return { type: call.name, options };
}

const ALTER_FIELD_NAME = /\bmigrations\.AlterField\s*\(\s*(?:model_name\s*=\s*)?["']\w+["']\s*,\s*(?:name\s*=\s*)?["'](\w+)["']/g;

/** The fields a migration's AlterFields name: what the repository search looks for in the app's earlier migrations. */
export function alteredFieldNames(text: string): string[] {
  return [...new Set([...text.matchAll(ALTER_FIELD_NAME)].map((m) => m[1]!))];
}

const FIELD_OPERATIONS = /\bmigrations\.(AddField|AlterField|CreateModel|RemoveField|RenameField|DeleteModel)\s*(?=\()/g;

/**
 * The definition of `model.field` as the migrations of `path`'s folder named before it leave it:
 * the last AddField, AlterField or CreateModel entry of the field, read from `history` (path →
 * text). Undefined when none defines it, or when the last operation on it removes or renames it.
 */
export function earlierFieldDef(path: string, model: string, field: string, history: ReadonlyMap<string, string>): FieldDef | undefined {
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const earlier = [...history.keys()]
    .filter((p) => p !== path && p.startsWith(dir) && !p.slice(dir.length).includes('/') && p.endsWith('.py') && p.localeCompare(path, undefined, { numeric: true }) < 0)
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  for (const p of earlier) {
    const src = new Source(history.get(p)!, 'python');
    let found: FieldDef | null | undefined;
    for (const call of src.calls(FIELD_OPERATIONS)) {
      const arg = (i: number, key: string) => src.kw(call, key) ?? src.positional(call)[i];
      if (call.name === 'CreateModel' || call.name === 'DeleteModel') {
        if (src.name(arg(0, 'name')).toLowerCase() !== model) continue;
        if (call.name === 'DeleteModel') {
          found = null;
          continue;
        }
        const fields = src.raw(arg(1, 'fields'));
        const entry = new RegExp(`\\(\\s*["']${field}["']\\s*,`).exec(fields);
        found = entry ? (parseField(fields.slice(entry.index + entry[0].length)) ?? null) : null;
        continue;
      }
      if (src.name(arg(0, 'model_name')).toLowerCase() !== model) continue;
      if (call.name === 'RenameField') {
        if (src.name(arg(2, 'new_name')) === field || src.name(arg(1, 'old_name')) === field) found = null;
        continue;
      }
      if (src.name(arg(1, 'name')) !== field) continue;
      found = call.name === 'RemoveField' ? null : (parseField(src.raw(arg(2, 'field'))) ?? null);
    }
    if (found !== undefined) return found ?? undefined;
  }
  return undefined;
}

/** Whether a definition's brackets are all closed. */
function complete(text: string): boolean {
  const src = new Source(text, 'python');
  const open = src.code.indexOf('(');
  return open < 0 || src.closing(open) < src.code.length;
}

/**
 * Old definitions of fields, by name, from the model files in the change: each definition of the
 * old version that the change touches, read from the old text where it can be rebuilt — a removed
 * line inside it (a `max_length=3,` line of a definition over several lines), or an added line
 * inside the new definition of the same field of the same class (`db_index=True,` added). Where
 * the old text cannot be rebuilt, from the removed lines alone.
 */
export function oldFieldDefs(files: ChangedFile[]): Map<string, FieldDef[]> {
  const out = new Map<string, FieldDef[]>();
  for (const f of files) {
    if (!/(^|\/)models(\/[^/]+)?\.py$/.test(f.path)) continue;
    const old = oldText(f);
    if (old !== undefined) {
      const spans = (lines: string[], changed: readonly { line: number }[]) => {
        const at = new Set(changed.map((l) => l.line));
        return definitions(lines).filter((d) => [...range(d.start, d.end)].some((l) => at.has(l)));
      };
      const touched = new Set([...spans(old.split('\n'), f.removedLines), ...spans((f.content ?? '').split('\n'), f.addedLines)].map((d) => `${d.cls}.${d.name}`));
      for (const d of definitions(old.split('\n'))) {
        const def = touched.has(`${d.cls}.${d.name}`) ? parseField(d.text) : undefined;
        if (def) out.set(d.name, [...(out.get(d.name) ?? []), def]);
      }
      continue;
    }
    const removed = f.removedLines;
    for (let i = 0; i < removed.length; i++) {
      const m = /^\s*(\w+)\s*=\s*(.*)$/.exec(removed[i]!.text);
      if (!m) continue;
      // A definition over several lines: join the removed lines that follow while its brackets are open.
      let text = m[2]!;
      for (let j = i + 1; j < removed.length && !complete(text) && removed[j]!.line === removed[j - 1]!.line + 1; j++) text += ` ${removed[j]!.text.trim()}`;
      const def = parseField(text);
      if (def) out.set(m[1]!, [...(out.get(m[1]!) ?? []), def]);
    }
  }
  return out;
}

function* range(from: number, to: number): Generator<number> {
  for (let n = from; n <= to; n++) yield n;
}

/** The field definitions of a model file: the class they are in, their name, their 1-based lines and their text joined. */
function definitions(lines: string[]): { cls: string; name: string; start: number; end: number; text: string }[] {
  const out: { cls: string; name: string; start: number; end: number; text: string }[] = [];
  let cls = '';
  for (let i = 0; i < lines.length; i++) {
    const c = /^class\s+(\w+)/.exec(lines[i]!);
    if (c) cls = c[1]!;
    const m = /^\s+(\w+)\s*=\s*(.*)$/.exec(lines[i]!);
    if (!m || !/Field|ForeignKey/.test(m[2]!)) continue;
    let text = m[2]!;
    let j = i;
    while (j + 1 < lines.length && !complete(text) && j - i < 40) text += ` ${lines[++j]!.trim()}`;
    out.push({ cls, name: m[1]!, start: i + 1, end: j + 1, text });
  }
  return out;
}

// Column types by family: varchar types with Django's default max_length, and integers by size in bytes.
const VARCHAR: Record<string, number | undefined> = { CharField: undefined, URLField: 200, EmailField: 254, SlugField: 50, FilePathField: 100, FileField: 100, ImageField: 100, MultiSelectField: undefined };
const INTEGER: Record<string, number> = { SmallIntegerField: 2, PositiveSmallIntegerField: 2, IntegerField: 4, PositiveIntegerField: 4, BigIntegerField: 8, PositiveBigIntegerField: 8 };

/** A varchar field's length: its max_length, or its type's default. */
function length(f: FieldDef): number | undefined {
  const v = f.options.get('max_length');
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : Object.hasOwn(VARCHAR, f.type) ? VARCHAR[f.type] : undefined;
}

/**
 * How a change of field type widens the column, or undefined when it may reject or alter what old
 * code writes: varchar to text, a varchar to one at least as long, an integer to a wider one
 * (never to a positive one, whose CHECK rejects what old code may write).
 */
function widening(old: FieldDef, next: FieldDef): string | undefined {
  if (Object.hasOwn(VARCHAR, old.type) && next.type === 'TextField') return 'varchar to text';
  if (Object.hasOwn(VARCHAR, old.type) && Object.hasOwn(VARCHAR, next.type)) {
    const [a, b] = [length(old), length(next)];
    return a !== undefined && b !== undefined && b >= a ? `varchar(${a}) to varchar(${b})` : undefined;
  }
  if (Object.hasOwn(INTEGER, old.type) && Object.hasOwn(INTEGER, next.type)) {
    const toPositive = next.type.startsWith('Positive') && !old.type.startsWith('Positive');
    return INTEGER[next.type]! >= INTEGER[old.type]! && !toPositive ? `${INTEGER[old.type]}-byte to ${INTEGER[next.type]}-byte integer` : undefined;
  }
  return undefined;
}

const NUMBER = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
const isTrue = (v: string | undefined): boolean => v === 'True';

/** What an AlterField does to the database, given the old definition when it was found. */
export function alterField(table: string, column: string, next: FieldDef | undefined, old: FieldDef | undefined): Verdict[] {
  if (!next) return [verdict.alterColumn(table, column, 'type or constraints (its new definition could not be read)', true)];
  if (!old) return [verdict.alterUnknown(table, column, 'its earlier definition is neither in this change nor in an earlier migration of the app')];
  const out: Verdict[] = [];
  const was = (k: string): string | undefined => old.options.get(k);
  const now = (k: string): string | undefined => next.options.get(k);
  const widens = old.type !== next.type ? widening(old, next) : undefined;
  if (old.type !== next.type) out.push(verdict.alterColumn(table, column, `type ${old.type} → ${next.type}${widens ? ` (widens ${widens})` : ''}`, !widens));
  if (isTrue(was('null')) && !isTrue(now('null'))) out.push(verdict.setNotNull(table, column));
  if (!isTrue(was('null')) && isTrue(now('null'))) out.push(verdict.dropNotNull(table, column));
  const [from, to] = [NUMBER(was('max_length')), NUMBER(now('max_length'))];
  // A type change that widens has judged the length with it.
  if (was('max_length') !== now('max_length') && !widens) {
    const widens = from !== undefined && (to === undefined ? next.type === 'TextField' : to > from);
    out.push(verdict.alterColumn(table, column, `max_length ${was('max_length') ?? 'none'} → ${now('max_length') ?? 'none'}`, !widens));
  }
  for (const k of ['max_digits', 'decimal_places', 'db_collation', 'primary_key', 'to']) {
    if (was(k) !== now(k)) out.push(verdict.alterColumn(table, column, `${k} ${was(k) ?? 'unset'} → ${now(k) ?? 'unset'}`, true));
  }
  if (was('db_column') !== now('db_column')) out.push(verdict.renameColumn(table, unquote(was('db_column')) ?? column, unquote(now('db_column')) ?? column));
  if (isTrue(now('unique')) && !isTrue(was('unique'))) out.push(verdict.addUnique(table, 'constraint', `${column} unique`));
  if (isTrue(was('unique')) && !isTrue(now('unique'))) out.push(verdict.dropConstraint(table, `${column} unique`));
  if (isTrue(now('db_index')) && !isTrue(was('db_index'))) out.push(verdict.createIndex(table, undefined, false));
  if (isTrue(was('db_index')) && !isTrue(now('db_index'))) out.push(verdict.dropIndex(`${table}.${column} index`, false));
  if (was('db_default') !== now('db_default')) out.push(verdict.changeDefault(table, column, now('db_default') === undefined));
  if (out.length) return out;
  const changed = [...new Set([...old.options.keys(), ...next.options.keys()])].filter((k) => was(k) !== now(k));
  return [verdict.noSql(table, column, changed.length ? changed : ['its Python-side options'])];
}

function unquote(v: string | undefined): string | undefined {
  return v?.replace(/^['"]|['"]$/g, '');
}
