import type { ChangedFile } from '../../../change/types';
import type { Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { Source } from './source';

/*
 * A Django `AlterField` carries only the new definition. The old one is read from the model
 * file the same change edits (the field's removed line), and only the options that reach the
 * database count: `choices`, `help_text`, `verbose_name`, `validators`, `blank`, `default`
 * live in Python and emit no SQL.
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

/** Whether a definition's brackets are all closed. */
function complete(text: string): boolean {
  const src = new Source(text, 'python');
  const open = src.code.indexOf('(');
  return open < 0 || src.closing(open) < src.code.length;
}

/** Old definitions of fields, by name, from the removed lines of the model files in the change. */
export function oldFieldDefs(files: ChangedFile[]): Map<string, FieldDef[]> {
  const out = new Map<string, FieldDef[]>();
  for (const f of files) {
    if (!/(^|\/)models(\/[^/]+)?\.py$/.test(f.path)) continue;
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

const NUMBER = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
const isTrue = (v: string | undefined): boolean => v === 'True';

/** What an AlterField does to the database, given the old definition when the change has it. */
export function alterField(table: string, column: string, next: FieldDef | undefined, old: FieldDef | undefined): Verdict[] {
  if (!next || !old) return [verdict.alterColumn(table, column, 'type or constraints (the old definition is not in this change)', true)];
  const out: Verdict[] = [];
  const was = (k: string): string | undefined => old.options.get(k);
  const now = (k: string): string | undefined => next.options.get(k);
  if (old.type !== next.type) out.push(verdict.alterColumn(table, column, `type ${old.type} → ${next.type}`, true));
  if (isTrue(was('null')) && !isTrue(now('null'))) out.push(verdict.setNotNull(table, column));
  if (!isTrue(was('null')) && isTrue(now('null'))) out.push(verdict.dropNotNull(table, column));
  const [from, to] = [NUMBER(was('max_length')), NUMBER(now('max_length'))];
  if (was('max_length') !== now('max_length')) {
    const widens = from !== undefined && (to === undefined ? next.type === 'TextField' : to > from);
    out.push(verdict.alterColumn(table, column, `max_length ${was('max_length') ?? 'none'} → ${now('max_length') ?? 'none'}`, !widens));
  }
  for (const k of ['max_digits', 'decimal_places', 'db_collation', 'primary_key', 'to']) {
    if (was(k) !== now(k)) out.push(verdict.alterColumn(table, column, `${k} ${was(k) ?? 'unset'} → ${now(k) ?? 'unset'}`, true));
  }
  if (was('db_column') !== now('db_column')) out.push(verdict.renameColumn(table, unquote(was('db_column')) ?? column, unquote(now('db_column')) ?? column));
  if (isTrue(now('unique')) && !isTrue(was('unique'))) out.push(verdict.addConstraint(table, 'unique', undefined, true));
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
