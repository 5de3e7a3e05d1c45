import type { ChangedFile } from '../../../change/types';
import type { MigrationFormat } from '../detect';
import type { Judgement } from '../judgement';

/** Reads a framework's migration file into judgements. */
export async function readFramework(_format: Exclude<MigrationFormat, 'sql'>, _file: ChangedFile): Promise<Judgement[]> {
  return [];
}
