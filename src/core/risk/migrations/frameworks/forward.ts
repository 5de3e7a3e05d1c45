import type { MigrationFormat } from '../detect';
import { numberedSteps } from './numbered';
import { pythonFunctions } from './python';
import { blocks } from './rails';
import { Source } from './source';

/*
 * Whether a migration's forward step holds any code at all. A forward step with code in which
 * no statement was recognised is not "no schema change": it is a migration that was not
 * understood, and is left for review by hand.
 */

/** Lines that carry no statement: a step's own `def`/`end`, `pass`, a masked docstring. */
const FILLER = /^(?:def\s+\w+.*|end|pass|"+\s*"+|'+\s*'+|)$/;

export function hasForwardCode(format: MigrationFormat, text: string): boolean {
  if (format === 'rails') return bodiesHaveCode(new Source(text, 'ruby'), (src) => blocks(src, /^([ \t]*)def\s+(?:up|change)\b.*$/gm));
  // A new Go migration whose SQL calls were not found is still code that runs against the database.
  if (format === 'go') return /\bfunc\b/.test(new Source(text, 'js').code);
  if (format === 'python-numbered') return bodiesHaveCode(new Source(text, 'python'), numberedSteps);
  if (format === 'alembic') return bodiesHaveCode(new Source(text, 'python'), (src) => pythonFunctions(src, 'upgrade'));
  return false;
}

function bodiesHaveCode(src: Source, spans: (src: Source) => Array<[number, number]>): boolean {
  return spans(src).some(([s, e]) =>
    src.code
      .slice(s, e)
      .split('\n')
      .some((l) => !FILLER.test(l.trim())),
  );
}
