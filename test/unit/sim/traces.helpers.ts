import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../src/core/errors';

export const FIXTURES = path.join(__dirname, '../../fixtures/traces');
export const NAB = '/work/shared/data/nab';

/** A temp directory for trace files written by a test; removed by `cleanup`. */
export function scratch(): { write: (name: string, content: string | Uint8Array) => string; cleanup: () => void; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-traces-'));
  return {
    dir,
    write: (name, content) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Awaits a rejection and returns it as an InputError, failing the test on any other outcome. */
export async function inputError(run: () => Promise<unknown> | unknown): Promise<InputError> {
  let result: unknown;
  try {
    result = await run();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${String(e)}`);
  }
  throw new Error(`expected an InputError, but it parsed: ${String(result)}`);
}

/** Is `times` strictly ascending (the shape every MetricSeries promises)? */
export function strictlyAscending(times: Float64Array): boolean {
  for (let i = 1; i < times.length; i++) if (!(times[i] > times[i - 1])) return false;
  return true;
}
