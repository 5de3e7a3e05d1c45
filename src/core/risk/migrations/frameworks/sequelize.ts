import type { Judgement, Verdict } from '../judgement';
import { verdict } from '../verdicts';
import { createdTables, readJsMigration } from './javascript';
import type { Call, Source } from './source';

/* Sequelize migrations: `queryInterface` calls in `up`, and raw SQL through `sequelize.query`. */

const METHODS =
  /\.(removeColumn|renameColumn|changeColumn|addColumn|dropTable|renameTable|createTable|addIndex|removeIndex|addConstraint|removeConstraint|bulkInsert|bulkUpdate|bulkDelete|query)\s*(?=\()/g;

export async function readSequelize(text: string): Promise<Judgement[]> {
  return readJsMigration(text, METHODS, judge);
}

function judge(src: Source, call: Call): Verdict[] {
  const pos = src.positional(call);
  const table = src.name(pos[0]);
  const column = src.name(pos[1]);
  switch (call.name) {
    case 'removeColumn':
      return [verdict.dropColumn(table, column)];
    case 'renameColumn':
      return [verdict.renameColumn(table, column, src.name(pos[2]))];
    case 'changeColumn': {
      const def = src.props(pos[2]);
      const out = [verdict.changeType(table, column, src.raw(def.get('type')).replace(/^(Sequelize|DataTypes)\./, '') || undefined)];
      if (src.raw(def.get('allowNull')) === 'false') out.push(verdict.setNotNull(table, column));
      return out;
    }
    case 'addColumn': {
      const def = src.props(pos[2]);
      const notNull = src.raw(def.get('allowNull')) === 'false' || src.raw(def.get('primaryKey')) === 'true';
      const hasDefault = def.has('defaultValue') || src.raw(def.get('autoIncrement')) === 'true';
      if (notNull && !hasDefault) return [verdict.addRequiredColumn(table, column, 'with allowNull: false and no defaultValue')];
      return [verdict.addColumn(table, column, notNull ? 'NOT NULL with a default' : 'nullable')];
    }
    case 'dropTable':
      return [verdict.dropTable(table)];
    case 'renameTable':
      return [verdict.renameTable(table, column)];
    case 'createTable':
      return [verdict.createTable(table)];
    case 'addIndex': {
      const opts = src.props(pos[2] ?? pos[1]);
      if (src.raw(opts.get('unique')) === 'true' && !createdTables(src).has(table)) return [verdict.addUnique(table, 'index', src.name(opts.get('name')) || undefined)];
      return [verdict.createIndex(table, src.name(opts.get('name')) || undefined, src.raw(opts.get('concurrently')) === 'true')];
    }
    case 'removeIndex':
      return [verdict.dropIndex(column || `${table} index`, src.raw(src.props(pos[2]).get('concurrently')) === 'true')];
    case 'addConstraint': {
      const opts = src.props(pos[1]);
      if (/^unique$/i.test(src.name(opts.get('type'))) && !createdTables(src).has(table)) return [verdict.addUnique(table, 'constraint', src.name(opts.get('name')) || undefined)];
      return [verdict.addConstraint(table, src.name(opts.get('type')).replace(/ key$/i, ' key') || 'a', src.name(opts.get('name')) || undefined, true)];
    }
    case 'removeConstraint':
      return [verdict.dropConstraint(table, column)];
    case 'bulkInsert':
      return [verdict.dataWrite('inserts rows into', table)];
    case 'bulkUpdate':
      return [verdict.dataWrite('updates rows of', table)];
    default:
      return [verdict.dataWrite('deletes rows from', table)];
  }
}
