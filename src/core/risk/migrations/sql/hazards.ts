import type { AlterTableCmd, ColumnDef, Constraint, Node } from 'libpg-query';
import type { LockHazard } from '../../types';
import type { Verdict } from '../judgement';
import { verdict } from '../verdicts';

/*
 * PostgreSQL lock and outage hazards, named as squawk names them. They follow the script in
 * order, because some depend on what came before: a transaction that is open, a constraint
 * added NOT VALID earlier in it, a validated `CHECK (col IS NOT NULL)` that lets
 * `SET NOT NULL` skip its scan (PostgreSQL 12+).
 */

/** Functions whose value is fixed for the statement: a default using them needs no table rewrite. */
const STABLE_DEFAULTS = new Set(['now', 'current_timestamp', 'transaction_timestamp', 'statement_timestamp', 'current_date', 'current_user', 'localtimestamp', 'current_setting']);

interface State {
  inTransaction: boolean;
  /** Constraints added NOT VALID in the open transaction. */
  notValid: Set<string>;
  /** `table.column` proven not null by a check constraint, and the constraint; validated ones only. */
  provenNotNull: Map<string, string>;
  /** Check constraints on `col IS NOT NULL` added NOT VALID, awaiting VALIDATE. */
  pendingNotNull: Map<string, string>;
  /** Tables the script creates: they hold no rows a new constraint could reject. */
  created: Set<string>;
}

export interface Reviewed {
  hazards: LockHazard[];
  /** A replacement for the statement's verdicts (SET NOT NULL proven safe by a check constraint). */
  verdicts?: Verdict[];
}

/**
 * Hazards of each parsed statement of a script, in order. `provenNotNull` carries the validated
 * not-null checks of earlier migrations in (and out) of the script: `table.column` → constraint.
 */
export function reviewScript(nodes: Array<Node | undefined>, verdicts: Verdict[][], provenNotNull = new Map<string, string>()): Reviewed[] {
  const state: State = { inTransaction: false, notValid: new Set(), provenNotNull, pendingNotNull: new Map(), created: new Set() };
  return nodes.map((n, i) => (n ? review(n, verdicts[i] ?? [], state) : { hazards: [] }));
}

function unwrap(node: Node | undefined): [string, Record<string, unknown>] {
  const [entry] = Object.entries((node ?? {}) as Record<string, unknown>);
  return entry ? [entry[0], (entry[1] ?? {}) as Record<string, unknown>] : ['', {}];
}

function review(node: Node, verdicts: Verdict[], state: State): Reviewed {
  const [kind, b] = unwrap(node);
  const hazards: LockHazard[] = [];
  switch (kind) {
    case 'TransactionStmt': {
      const k = String(b.kind ?? '');
      if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') state.inTransaction = true;
      if (k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK') {
        state.inTransaction = false;
        state.notValid.clear();
      }
      break;
    }
    case 'CreateStmt':
      state.created.add(relname(b));
      break;
    case 'IndexStmt': {
      if (!b.concurrent) hazards.push('require-concurrent-index-creation');
      else if (state.inTransaction) hazards.push('ban-concurrent-index-creation-in-transaction');
      const table = relname(b);
      if (b.unique && !state.created.has(table)) {
        const unique = verdict.addUnique(table, 'index', b.idxname as string | undefined);
        return { hazards, verdicts: verdicts.map((v) => (v.check === 'create-index' ? { ...unique, message: `${unique.message}${b.concurrent ? '' : '; blocks writes to it while the index builds'}` } : v)) };
      }
      break;
    }
    case 'DropStmt':
      if (b.removeType === 'OBJECT_INDEX' && !b.concurrent) hazards.push('require-concurrent-index-deletion');
      break;
    case 'VacuumStmt':
      if (((b.options as Node[] | undefined) ?? []).some((o) => String(unwrap(o)[1].defname ?? '') === 'full')) hazards.push('vacuum-full');
      break;
    case 'LockStmt':
      hazards.push('explicit-lock');
      break;
    case 'ClusterStmt':
      hazards.push('cluster');
      break;
    case 'ReindexStmt':
      if (!((b.params as Node[] | undefined) ?? []).some((o) => String(unwrap(o)[1].defname ?? '') === 'concurrently')) hazards.push('require-concurrent-reindex');
      break;
    case 'AlterTableStmt':
      return alterTable(b, verdicts, state);
    default:
      break;
  }
  return { hazards };
}

/** The name of the table a statement is about. */
function relname(b: Record<string, unknown>): string {
  return ((b.relation ?? {}) as { relname?: string }).relname ?? '';
}

function alterTable(b: Record<string, unknown>, verdicts: Verdict[], state: State): Reviewed {
  const table = relname(b);
  const hazards: LockHazard[] = [];
  let replaced: Verdict[] | undefined;
  let constraint = -1;
  for (const n of (b.cmds as Node[] | undefined) ?? []) {
    const cmd = unwrap(n)[1] as AlterTableCmd;
    if (cmd.subtype === 'AT_AddColumn') hazards.push(...addColumn(unwrap(cmd.def)[1] as ColumnDef));
    if (cmd.subtype === 'AT_AddConstraint') {
      constraint++;
      const c = unwrap(cmd.def)[1] as Constraint;
      const name = c.conname ?? '';
      const column = notNullCheckColumn(c);
      if (c.skip_validation) {
        state.notValid.add(name);
        if (column) state.pendingNotNull.set(name, `${table}.${column}`);
      } else if (!c.indexname) {
        hazards.push('constraint-missing-not-valid');
        if (c.contype === 'CONSTR_FOREIGN') hazards.push('adding-foreign-key-constraint');
        if (c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY') {
          if (c.contype === 'CONSTR_UNIQUE') hazards.push('disallowed-unique-constraint');
          // A primary key is a unique constraint too (and NOT NULL): on rows already there it is as strict.
          if (!state.created.has(table)) {
            const unique = verdict.addUnique(table, c.contype === 'CONSTR_PRIMARY' ? 'primary key' : 'constraint', c.conname);
            // The statement's verdicts follow its commands: this is its constraint-th added constraint.
            let k = -1;
            replaced = (replaced ?? verdicts).map((v) => (v.check === 'add-constraint' && ++k === constraint ? unique : v));
          }
        }
        if (c.contype === 'CONSTR_PRIMARY') hazards.push('adding-serial-primary-key-field');
        if (column) state.provenNotNull.set(`${table}.${column}`, name);
      }
    }
    if (cmd.subtype === 'AT_ValidateConstraint') {
      const name = cmd.name ?? '';
      if (state.inTransaction && state.notValid.has(name)) hazards.push('constraint-missing-not-valid');
      const proven = state.pendingNotNull.get(name);
      if (proven) state.provenNotNull.set(proven, name);
    }
    if (cmd.subtype === 'AT_SetNotNull') {
      const column = `${table}.${cmd.name ?? ''}`;
      const check = state.provenNotNull.get(column);
      if (check) {
        replaced = (replaced ?? verdicts).map((v) =>
          v.check === 'set-not-null' && v.column === column
            ? {
                check: 'set-not-null',
                effect: 'compatible',
                column,
                message: `makes column \`${column}\` NOT NULL, already enforced by the validated check constraint \`${check}\`: backward compatible (PostgreSQL 12+ skips the table scan)`,
              }
            : v,
        );
      }
    }
  }
  return { hazards, ...(replaced ? { verdicts: replaced } : {}) };
}

function addColumn(def: ColumnDef): LockHazard[] {
  const out: LockHazard[] = [];
  for (const n of def.constraints ?? []) {
    const c = unwrap(n)[1] as Constraint;
    if (c.contype === 'CONSTR_DEFAULT' && isVolatile(c.raw_expr)) out.push('adding-field-with-default');
    // Stored generated and identity columns fill every existing row: a rewrite like a volatile default.
    if (c.contype === 'CONSTR_GENERATED' || c.contype === 'CONSTR_IDENTITY') out.push('adding-field-with-default');
    if (c.contype === 'CONSTR_PRIMARY') out.push('adding-serial-primary-key-field');
    if (c.contype === 'CONSTR_UNIQUE') out.push('disallowed-unique-constraint');
    if (c.contype === 'CONSTR_FOREIGN') out.push('adding-foreign-key-constraint');
  }
  return out;
}

/** A default that calls a function not known to be stable rewrites the whole table. */
function isVolatile(expr: Node | undefined): boolean {
  const [kind, b] = unwrap(expr);
  if (kind === 'FuncCall') {
    const names = ((b.funcname as Node[] | undefined) ?? []).map((x) => String(unwrap(x)[1].sval ?? ''));
    return !STABLE_DEFAULTS.has(names[names.length - 1] ?? '');
  }
  if (kind === 'TypeCast') return isVolatile(b.arg as Node | undefined);
  return false;
}

/** The column of `CHECK (col IS NOT NULL)`, if that is the whole check. */
function notNullCheckColumn(c: Constraint): string | undefined {
  if (c.contype !== 'CONSTR_CHECK') return undefined;
  const [kind, b] = unwrap(c.raw_expr);
  if (kind !== 'NullTest' || b.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const [argKind, arg] = unwrap(b.arg as Node | undefined);
  if (argKind !== 'ColumnRef') return undefined;
  const fields = ((arg.fields as Node[] | undefined) ?? []).map((f) => String(unwrap(f)[1].sval ?? ''));
  return fields[fields.length - 1];
}
