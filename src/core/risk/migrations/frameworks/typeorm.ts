import type { Judgement, Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { createdTables, readJsMigration } from './javascript';
import type { Call, Source } from './source';

/*
 * TypeORM migrations (`implements MigrationInterface`): the SQL of `queryRunner.query(…)` in
 * `up`, and the schema-builder API. A TableColumn is NOT NULL unless `isNullable: true`.
 */

const METHODS =
  /\bqueryRunner\.(query|dropColumns?|renameColumn|changeColumns?|addColumns?|dropTable|renameTable|createTable|createIndex|dropIndex|createForeignKeys?|createUniqueConstraint|createCheckConstraint|dropForeignKey|dropUniqueConstraint|dropCheckConstraint)\s*(?=\()/g;

export async function readTypeorm(text: string): Promise<Judgement[]> {
  return readJsMigration(text, METHODS, judge);
}

/** `'users'` or `new Table({ name: 'users' })` or a table variable. */
function tableName(src: Source, call: Call, index: number): string {
  const a = src.positional(call)[index];
  const name = src.props(a).get('name');
  return name ? src.name(name) : src.name(a);
}

function columnName(src: Source, call: Call, index: number): string {
  return tableName(src, call, index);
}

function judge(src: Source, call: Call): Verdict[] {
  const table = tableName(src, call, 0);
  const pos = src.positional(call);
  switch (call.name) {
    case 'dropColumn':
      return [verdict.dropColumn(table, columnName(src, call, 1))];
    case 'dropColumns':
      return [verdict.dropColumn(table, src.raw(pos[1]))];
    case 'changeColumns':
      return [verdict.changeType(table, src.raw(pos[1]))];
    case 'addColumns':
      return [verdict.other(`adds several columns to \`${table}\``)];
    case 'renameColumn':
      return [verdict.renameColumn(table, columnName(src, call, 1), columnName(src, call, 2))];
    case 'changeColumn': {
      const def = src.props(pos[2]);
      return [verdict.changeType(table, columnName(src, call, 1), src.name(def.get('type')) || undefined)];
    }
    case 'addColumn': {
      const def = src.props(pos[1]);
      const column = src.name(def.get('name'));
      const nullable = src.raw(def.get('isNullable')) === 'true';
      const hasValue = def.has('default') || def.has('generatedType') || src.raw(def.get('isGenerated')) === 'true';
      if (!nullable && !hasValue) return [verdict.addRequiredColumn(table, column, 'NOT NULL (isNullable is false by default) without a default')];
      return [verdict.addColumn(table, column, nullable ? 'nullable' : 'NOT NULL with a default')];
    }
    case 'dropTable':
      return [verdict.dropTable(table)];
    case 'renameTable':
      return [verdict.renameTable(table, tableName(src, call, 1))];
    case 'createTable':
      return [verdict.createTable(table)];
    case 'createIndex': {
      const index = src.props(pos[1]);
      const name = src.name(index.get('name')) || undefined;
      if (src.raw(index.get('isUnique')) === 'true' && !createdTables(src).has(table)) return [verdict.addUnique(table, 'index', name)];
      return [verdict.createIndex(table, name, false)];
    }
    case 'createUniqueConstraint':
      if (!createdTables(src).has(table)) return [verdict.addUnique(table, 'constraint', src.name(src.props(pos[1]).get('name')) || undefined)];
      return [verdict.addConstraint(table, 'unique', undefined, true)];
    case 'dropIndex':
      return [verdict.dropIndex(tableName(src, call, 1), false)];
    case 'dropForeignKey':
    case 'dropUniqueConstraint':
    case 'dropCheckConstraint':
      return [verdict.dropConstraint(table, tableName(src, call, 1))];
    default:
      return [verdict.addConstraint(table, /Unique/.test(call.name) ? 'unique' : /Check/.test(call.name) ? 'check' : 'foreign key', undefined, true)];
  }
}
