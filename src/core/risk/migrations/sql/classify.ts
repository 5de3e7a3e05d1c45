import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from 'libpg-query';
import type { Verdict } from '../judgement';
import { verdict } from '../verdicts';

/*
 * Judges one parsed PostgreSQL statement. The client-breaking judgements follow the same
 * lines as squawk's rules ban-drop-column, ban-drop-table, renaming-column, renaming-table,
 * changing-column-type, adding-required-field and adding-not-nullable-field; the test
 * suite runs squawk beside this classifier to keep it so.
 */

/** Statements that change nothing running code sees: they produce no finding. */
const SILENT = new Set(['TransactionStmt', 'VariableSetStmt', 'VariableShowStmt', 'SelectStmt', 'CommentStmt', 'ExplainStmt', 'LockStmt', 'VacuumStmt', 'AnalyzeStmt', 'ClusterStmt']);

/** Base type names PostgreSQL stores, in the spelling people write. */
const TYPE_ALIASES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
};

/** Serial columns take their value from a sequence, so inserts that omit them still work. */
const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

export function classifyStatement(stmt: Node): Verdict[] {
  const [kind, body] = unwrap(stmt);
  if (SILENT.has(kind)) return [];
  const b = body as Record<string, unknown>;
  switch (kind) {
    case 'AlterTableStmt':
      return alterTable(b.relation as RangeVar, (b.cmds as Node[] | undefined) ?? [], b.objtype as string | undefined);
    case 'RenameStmt':
      return [rename(b)];
    case 'DropStmt':
      return drop(b);
    case 'TruncateStmt':
      return ((b.relations as Node[] | undefined) ?? []).map((r) => verdict.truncate(relName(unwrap(r)[1] as RangeVar)));
    case 'UpdateStmt':
      return [verdict.dataWrite('updates rows of', relName(b.relation as RangeVar))];
    case 'DeleteStmt':
      return [verdict.dataWrite('deletes rows from', relName(b.relation as RangeVar))];
    case 'InsertStmt':
      return [verdict.dataWrite('inserts rows into', relName(b.relation as RangeVar))];
    case 'MergeStmt':
      return [verdict.dataWrite('merges rows into', relName(b.relation as RangeVar))];
    case 'CopyStmt':
      return b.is_from ? [verdict.dataWrite('loads rows into', relName(b.relation as RangeVar))] : [];
    case 'IndexStmt':
      return [verdict.createIndex(relName(b.relation as RangeVar), b.idxname as string | undefined, Boolean(b.concurrent))];
    case 'CreateStmt':
      return [verdict.createTable(relName(b.relation as RangeVar))];
    case 'CreateTableAsStmt': {
      const into = b.into as { rel?: RangeVar } | undefined;
      return [verdict.createTable(into?.rel ? relName(into.rel) : 'table')];
    }
    case 'GrantStmt':
      return b.is_grant ? [] : [verdict.revoke(grantTarget(b))];
    case 'DropdbStmt':
      return [{ ...verdict.dropObject('database', (b.dbname as string) ?? ''), check: 'drop-database' }];
    case 'DoStmt':
      return [verdict.other('runs a DO block whose statements are not inspected')];
    default:
      return [verdict.other(`runs ${describe(kind)}`)];
  }
}

function alterTable(relation: RangeVar, cmds: Node[], objtype: string | undefined): Verdict[] {
  const table = relName(relation);
  if (objtype && objtype !== 'OBJECT_TABLE') return [verdict.other(`alters ${objectWord(objtype)} \`${table}\``)];
  const out: Verdict[] = [];
  for (const node of cmds) {
    const cmd = unwrap(node)[1] as AlterTableCmd;
    const column = cmd.name ?? '';
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        out.push(addColumn(table, unwrap(cmd.def!)[1] as ColumnDef));
        break;
      case 'AT_DropColumn':
        out.push(verdict.dropColumn(table, column));
        break;
      case 'AT_AlterColumnType':
        out.push(verdict.changeType(table, column, typeName((unwrap(cmd.def!)[1] as ColumnDef).typeName)));
        break;
      case 'AT_SetNotNull':
        out.push(verdict.setNotNull(table, column));
        break;
      case 'AT_DropNotNull':
        out.push(verdict.dropNotNull(table, column));
        break;
      case 'AT_ColumnDefault':
        out.push(verdict.changeDefault(table, column, cmd.def === undefined));
        break;
      case 'AT_AddConstraint': {
        const c = unwrap(cmd.def!)[1] as Constraint;
        // `USING INDEX` attaches an index built beforehand (concurrently): no scan under a lock.
        out.push(c.indexname ? verdict.attachIndex(table, constraintWord(c.contype), c.conname, c.indexname) : verdict.addConstraint(table, constraintWord(c.contype), c.conname, !c.skip_validation));
        break;
      }
      case 'AT_DropConstraint':
        out.push(verdict.dropConstraint(table, column));
        break;
      default:
        out.push(verdict.other(`alters table \`${table}\` (${(cmd.subtype ?? 'change').replace(/^AT_/, '')})`));
    }
  }
  return out;
}

function addColumn(table: string, def: ColumnDef): Verdict {
  const column = def.colname ?? '';
  const constraints = (def.constraints ?? []).map((n) => (unwrap(n)[1] as Constraint).contype);
  const type = typeName(def.typeName);
  const hasValue =
    constraints.includes('CONSTR_DEFAULT') ||
    constraints.includes('CONSTR_GENERATED') ||
    constraints.includes('CONSTR_IDENTITY') ||
    SERIAL_TYPES.has(type);
  // A primary key is NOT NULL too: without a value every insert that omits it fails.
  const notNull = constraints.includes('CONSTR_NOTNULL') || constraints.includes('CONSTR_PRIMARY');
  if (notNull && !hasValue) return verdict.addRequiredColumn(table, column);
  return verdict.addColumn(table, column, notNull ? 'NOT NULL with a default' : hasValue ? 'nullable, with a default' : 'nullable');
}

function rename(b: Record<string, unknown>): Verdict {
  const kind = b.renameType as string;
  const relation = b.relation as RangeVar | undefined;
  const from = relation ? relName(relation) : objectName(b.object as Node | undefined);
  const to = (b.newname as string) ?? '';
  if (kind === 'OBJECT_COLUMN') return verdict.renameColumn(from, (b.subname as string) ?? '', to);
  if (kind === 'OBJECT_TABLE') return verdict.renameTable(from, to);
  if (kind === 'OBJECT_INDEX' || kind === 'OBJECT_TABCONSTRAINT' || kind === 'OBJECT_TRIGGER' || kind === 'OBJECT_SEQUENCE')
    return verdict.other(`renames ${objectWord(kind)} \`${(b.subname as string) ?? from}\` to \`${to}\``);
  return verdict.renameObject(objectWord(kind), from, to);
}

function drop(b: Record<string, unknown>): Verdict[] {
  const type = b.removeType as string;
  const names = ((b.objects as Node[] | undefined) ?? []).map(objectName);
  if (type === 'OBJECT_TABLE') return names.map((n) => verdict.dropTable(n));
  if (type === 'OBJECT_INDEX') return names.map((n) => verdict.dropIndex(n, Boolean(b.concurrent)));
  return names.map((n) => verdict.dropObject(objectWord(type), n));
}

function unwrap(node: Node): [string, unknown] {
  const [entry] = Object.entries(node as Record<string, unknown>);
  return entry ? [entry[0], entry[1]] : ['', {}];
}

function relName(r: RangeVar | undefined): string {
  if (!r) return '';
  return r.schemaname ? `${r.schemaname}.${r.relname ?? ''}` : (r.relname ?? '');
}

/** Dotted name of a dropped or renamed object, whatever node the parser used for it. */
function objectName(node: Node | undefined): string {
  if (!node) return '';
  const [kind, body] = unwrap(node);
  const b = body as Record<string, unknown>;
  if (kind === 'String') return (b.sval as string) ?? '';
  if (kind === 'List') return ((b.items as Node[] | undefined) ?? []).map(objectName).join('.');
  if (kind === 'TypeName') return typeName(b as TypeName);
  if (kind === 'ObjectWithArgs') return ((b.objname as Node[] | undefined) ?? []).map(objectName).join('.');
  if (kind === 'RangeVar') return relName(b as RangeVar);
  return kind;
}

function typeName(t: TypeName | undefined): string {
  if (!t) return '';
  const names = (t.names ?? []).map(objectName).filter((n) => n !== 'pg_catalog');
  const base = names.map((n) => TYPE_ALIASES[n] ?? n).join('.');
  const mods = (t.typmods ?? []).map((m) => {
    const c = unwrap(m)[1] as { ival?: { ival?: number } };
    return String(c.ival?.ival ?? 0);
  });
  const array = t.arrayBounds?.length ? '[]' : '';
  return `${base}${mods.length ? `(${mods.join(',')})` : ''}${array}`;
}

function grantTarget(b: Record<string, unknown>): string {
  const names = ((b.objects as Node[] | undefined) ?? []).map(objectName).filter(Boolean);
  return names.length ? names.map((n) => `\`${n}\``).join(', ') : objectWord(b.objtype as string);
}

function constraintWord(contype: string | undefined): string {
  const words: Record<string, string> = {
    CONSTR_FOREIGN: 'foreign key',
    CONSTR_CHECK: 'check',
    CONSTR_UNIQUE: 'unique',
    CONSTR_PRIMARY: 'primary key',
    CONSTR_EXCLUSION: 'exclusion',
    CONSTR_NOTNULL: 'not-null',
  };
  return words[contype ?? ''] ?? 'a';
}

/** `OBJECT_MATVIEW` → `materialized view`. */
function objectWord(objtype: string | undefined): string {
  const words: Record<string, string> = { OBJECT_MATVIEW: 'materialized view', OBJECT_TABCONSTRAINT: 'constraint', OBJECT_FOREIGN_TABLE: 'foreign table' };
  return words[objtype ?? ''] ?? (objtype ?? 'object').replace(/^OBJECT_/, '').replace(/_/g, ' ').toLowerCase();
}

/** `CreateFunctionStmt` → `CREATE FUNCTION`. */
function describe(kind: string): string {
  return kind
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}
