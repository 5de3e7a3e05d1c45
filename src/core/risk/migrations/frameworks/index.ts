import type { ChangedFile } from '../../../change/types';
import type { MigrationFormat } from '../detect';
import type { Judgement } from '../judgement';
import { readAlembic } from './alembic';
import { readDjango } from './django';
import { oldFieldDefs } from './django-fields';
import { readGo } from './go';
import { readJsMigration } from './javascript';
import { readKnex } from './knex';
import { readNumbered } from './numbered';
import { readLiquibaseXml, readLiquibaseYaml } from './liquibase';
import { readPrisma } from './prisma';
import { readRails } from './rails';
import { readSequelize } from './sequelize';
import { readTypeorm } from './typeorm';

/** Reads a framework's migration file into judgements. */
/**
 * `related`: the other files of the change (a Django AlterField reads the old field from the model
 * file's removed lines); `history`: earlier migrations of the repository by path (or else from them).
 */
export async function readFramework(format: Exclude<MigrationFormat, 'sql'>, file: ChangedFile, related: ChangedFile[] = [], history: ReadonlyMap<string, string> = new Map()): Promise<Judgement[]> {
  const text = file.content ?? '';
  switch (format) {
    case 'rails':
      return readRails(text);
    case 'django':
      return readDjango(text, oldFieldDefs(related), file.path, history);
    case 'alembic':
      return readAlembic(text);
    case 'knex':
      return readKnex(text);
    case 'sequelize':
      return readSequelize(text);
    case 'typeorm':
      return readTypeorm(text);
    case 'js-sql':
      return readJsMigration(text, /\.(query|execute|exec)\s*(?=\()/g, () => []);
    case 'prisma':
      return readPrisma(file);
    case 'liquibase-xml':
      return readLiquibaseXml(text);
    case 'go':
      return readGo(text);
    case 'python-numbered':
      return readNumbered(text);
    case 'liquibase-yaml':
      return readLiquibaseYaml(text);
  }
}
