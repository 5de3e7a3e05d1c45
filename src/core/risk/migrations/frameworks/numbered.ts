import type { ChangedFile } from '../../../change/types';
import type { Judgement } from '../judgement';
import { judgeEmbeddedSql } from './embedded';
import { pythonFunctions } from './python';
import { Source } from './source';

/*
 * Migrations kept as numbered functions of one Python module, `migrations.py`
 * (`async def m001_initial(db)`, `async def m039_index_payments(db)`), as lnbits and its
 * extensions keep them: each function is one migration, run once, in the order of its number.
 * The SQL string given to each `execute` call inside a step is parsed. The module also holds the
 * steps already run, so a new step is a new migration and an edit inside an older one edits a
 * migration the base already has.
 */

/** The name of a numbered step: `m` + its number + `_` + what it does. */
const STEP_NAME = String.raw`m\d+_\w*`;
/** A numbered step defined at the top of the module. */
const STEP = new RegExp(String.raw`^(?:async[ \t]+)?def[ \t]+${STEP_NAME}[ \t]*\(`, 'm');

/** Whether a module's content holds numbered migration steps. */
export function hasNumberedSteps(content: string): boolean {
  return STEP.test(content);
}

/** The spans of the module's top-level numbered steps. */
export function numberedSteps(src: Source): Array<[number, number]> {
  return pythonFunctions(src, STEP_NAME).filter(([s]) => src.code[s] !== ' ' && src.code[s] !== '\t');
}

export async function readNumbered(text: string): Promise<Judgement[]> {
  const src = new Source(text, 'python');
  const steps = numberedSteps(src);
  const out: Judgement[] = [];
  for (const call of src.calls(/\.(execute)\s*(?=\()/g)) {
    if (!Source.within(call.start, steps)) continue;
    const sql = src.positional(call)[0];
    out.push(...(await judgeEmbeddedSql(src, call, sql?.start ?? call.end, sql?.end ?? call.end)));
  }
  return out;
}

/**
 * Whether a change to the module edits a step the base already has: a line removed, or a line
 * added inside a step whose `def` line was not added with it. Steps appended whole are new migrations.
 */
export function editsExistingStep(file: ChangedFile): boolean {
  const text = file.content ?? '';
  if (file.removedLines.some((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'))) return true;
  const src = new Source(text, 'python');
  const added = new Set(file.addedLines.map((l) => l.line));
  return numberedSteps(src).some(([s, e]) => {
    const first = src.lineAt(s);
    const last = src.lineAt(Math.max(s, e - 1));
    if (added.has(first)) return false;
    return file.addedLines.some((l) => l.line > first && l.line <= last && l.text.trim() !== '');
  });
}
