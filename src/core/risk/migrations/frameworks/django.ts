import type { Judgement, Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { alterField, earlierFieldDef, parseField, type FieldDef } from './django-fields';
import { judgeEmbeddedSql } from './embedded';
import { Source, type Arg, type Call } from './source';

/*
 * Django migrations (app/migrations/0001_*.py): the operations list. Django adds a NOT NULL
 * column with its `default` only to fill existing rows and then drops the database default,
 * so an AddField that is not `null=True` is required for running code unless it sets
 * `db_default` (Django 5+).
 */

const OPERATION_NAMES = [
  'RemoveField', 'RenameField', 'AlterField', 'AddField', 'DeleteModel', 'RenameModel', 'CreateModel', 'AlterModelTable', 'AddIndex',
  'AddIndexConcurrently', 'RemoveIndex', 'RemoveIndexConcurrently', 'AddConstraint', 'AddConstraintNotValid', 'RemoveConstraint',
  'AlterUniqueTogether', 'RunSQL', 'RunPython',
];
const OPERATIONS = new RegExp(`\\bmigrations\\.(${OPERATION_NAMES.join('|')})\\s*(?=\\()`, 'g');

/** `history`: the text of the app's earlier migrations by path, where an AlterField's old field is looked up when the change lacks it. */
export async function readDjango(text: string, oldFields: Map<string, FieldDef[]> = new Map(), path = '', history: ReadonlyMap<string, string> = new Map()): Promise<Judgement[]> {
  const src = new Source(text, 'python');
  // SeparateDatabaseAndState: only database_operations touch the database.
  const stateOnly = src.calls(/\bmigrations\.SeparateDatabaseAndState\s*(?=\()/g).flatMap((c) => {
    const a = src.kw(c, 'state_operations');
    return a ? [[a.start, a.end] as [number, number]] : [];
  });
  const out: Judgement[] = [];
  for (const call of src.calls(OPERATIONS)) {
    if (Source.within(call.start, stateOnly)) continue;
    if (call.name === 'RunSQL') {
      const sql = src.kw(call, 'sql') ?? src.positional(call)[0];
      if (sql) out.push(...(await judgeEmbeddedSql(src, call, sql.start, sql.end)));
      continue;
    }
    for (const v of judge(src, call, oldFields, (model, field) => earlierFieldDef(path, model, field, history))) {
      out.push(src.judge(call, v));
      // The function a RunPython names is the data migration itself: an edit inside it is one too.
      const fn = call.name === 'RunPython' ? functionSpan(text, src.name(arg(src, call, 0, 'code'))) : undefined;
      if (fn) out.push({ ...v, line: fn.line, endLine: fn.endLine, quote: fn.quote, body: true });
    }
  }
  // An operation this reader does not know could emit any SQL: it is left for review by hand.
  for (const call of src.calls(/\bmigrations\.(\w+)\s*(?=\()/g)) {
    if (Source.within(call.start, stateOnly) || KNOWN.has(call.name) || NO_SQL.has(call.name)) continue;
    out.push(src.judge(call, verdict.unparsed(`operation \`${call.name}\` is not one this reader knows`)));
  }
  return out.sort((a, b) => a.line - b.line);
}

/** The lines of a top-level `def name(…)` of the migration, by indentation (1-based), or undefined. */
function functionSpan(text: string, name: string): { line: number; endLine: number; quote: string } | undefined {
  if (!/^\w+$/.test(name)) return undefined;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^(?:async\\s+)?def\\s+${name}\\s*\\(`).test(l));
  if (start < 0) return undefined;
  let end = start;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^\S/.test(lines[i]) && !/^[)\]]/.test(lines[i])) break;
    if (lines[i].trim() !== '') end = i;
  }
  return { line: start + 1, endLine: end + 1, quote: lines[start].trim() };
}

const KNOWN = new Set(OPERATION_NAMES);
/** Operations that change only Django's own state, never the database; `swappable_dependency` names a dependency, it is no operation. */
const NO_SQL = new Set(['Migration', 'SeparateDatabaseAndState', 'AlterModelOptions', 'AlterModelManagers', 'swappable_dependency']);

function arg(src: Source, call: Call, index: number, key: string): Arg | undefined {
  return src.kw(call, key) ?? src.positional(call)[index];
}

/** The models the migration creates (`migrations.CreateModel(name='Tag', …)`), lower-cased as model_name is. */
function createdModels(src: Source): Set<string> {
  return src.namesOf(/\bmigrations\.(CreateModel)\s*(?=\()/g, (c) => src.name(arg(src, c, 0, 'name')).toLowerCase());
}

function judge(src: Source, call: Call, oldFields: Map<string, FieldDef[]>, earlier: (model: string, field: string) => FieldDef | undefined): Verdict[] {
  const model = (i: number, key = 'model_name'): string => src.name(arg(src, call, i, key)).toLowerCase();
  switch (call.name) {
    case 'RemoveField':
      return [verdict.dropColumn(model(0), src.name(arg(src, call, 1, 'name')))];
    case 'RenameField':
      return [verdict.renameColumn(model(0), src.name(arg(src, call, 1, 'old_name')), src.name(arg(src, call, 2, 'new_name')))];
    case 'AlterField': {
      const name = src.name(arg(src, call, 1, 'name'));
      const next = parseField(src.raw(arg(src, call, 2, 'field')));
      const candidates = oldFields.get(name) ?? [];
      const old = candidates.find((c) => c.type === next?.type) ?? candidates[0] ?? earlier(model(0), name);
      return alterField(model(0), name, next, old);
    }
    case 'AddField':
      return [addField(model(0), src.name(arg(src, call, 1, 'name')), src.raw(arg(src, call, 2, 'field')))];
    case 'DeleteModel':
      return [verdict.dropTable(model(0, 'name'))];
    case 'RenameModel':
      return [verdict.renameTable(model(0, 'old_name'), model(1, 'new_name'))];
    case 'AlterModelTable':
      return [verdict.renameTable(model(0, 'name'), src.name(arg(src, call, 1, 'table')))];
    case 'CreateModel':
      return [verdict.createTable(model(0, 'name'))];
    case 'AddIndex':
    case 'AddIndexConcurrently':
      return [verdict.createIndex(model(0), /name\s*=\s*['"]([^'"]+)/.exec(src.raw(arg(src, call, 1, 'index')))?.[1], call.name === 'AddIndexConcurrently')];
    case 'RemoveIndex':
    case 'RemoveIndexConcurrently':
      return [verdict.dropIndex(src.name(arg(src, call, 1, 'name')), call.name === 'RemoveIndexConcurrently')];
    case 'AddConstraint':
    case 'AddConstraintNotValid': {
      const constraint = src.raw(arg(src, call, 1, 'constraint'));
      const name = /name\s*=\s*['"]([^'"]+)/.exec(constraint)?.[1];
      // A UniqueConstraint on a model the migration does not create: a stricter constraint on existing rows.
      if (/\bUniqueConstraint\s*\(/.test(constraint) && !createdModels(src).has(model(0))) return [verdict.addUnique(model(0), 'constraint', name)];
      return [verdict.addConstraint(model(0), 'a', name, call.name === 'AddConstraint')];
    }
    case 'RemoveConstraint':
      return [verdict.dropConstraint(model(0), src.name(arg(src, call, 1, 'name')))];
    case 'AlterUniqueTogether': {
      // The new set replaces the old one: an empty set only drops constraints; any other set may add
      // a combination the table's rows already repeat, unless the migration creates the model.
      const together = src.raw(arg(src, call, 1, 'unique_together')).replace(/\s/g, '');
      if (/^(set\(\)|\{\}|\(\)|\[\]|None)$/.test(together)) return [verdict.dropConstraint(model(0, 'name'), 'unique_together')];
      if (!createdModels(src).has(model(0, 'name'))) return [verdict.addUnique(model(0, 'name'), 'constraint', 'unique_together')];
      return [verdict.addConstraint(model(0, 'name'), 'unique', undefined, true)];
    }
    default:
      // RunPython: code that reads and writes rows while the migration runs.
      return [verdict.dataWrite(`runs Python code \`${src.raw(arg(src, call, 0, 'code'))}\``)];
  }
}

function addField(model: string, name: string, field: string): Verdict {
  if (/\bManyToManyField\s*\(/.test(field)) return verdict.createTable(`${model}_${name}`);
  const nullable = /\bnull\s*=\s*True\b/.test(field);
  const dbDefault = /\bdb_default\s*=/.test(field);
  const hasDefault = /\bdefault\s*=/.test(field.replace(/\bdb_default\s*=/g, ''));
  if (!nullable && !dbDefault) {
    return verdict.addRequiredColumn(model, name, hasDefault ? 'NOT NULL whose default Django drops after filling existing rows' : 'NOT NULL without a default');
  }
  return verdict.addColumn(model, name, nullable ? 'nullable' : 'NOT NULL with a database default');
}
