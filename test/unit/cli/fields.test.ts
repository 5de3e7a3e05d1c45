/**
 * Core names the inputs it was given by field, never by a CLI flag; the CLI says the flag and the
 * editor its setting or control, from the same error.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeForCli } from '../../../src/cli/fields';
import { InputError } from '../../../src/core/errors';
import { describeForEditor } from '../../../src/extension/fields';

const CORE = path.resolve(__dirname, '..', '..', '..', 'src', 'core');

describe('errors in domain terms', () => {
  const unknownBase = new InputError('unknown revision "main" (expected a branch, tag or commit of this repository)', { field: 'base' });

  it('the CLI names the flag, the editor the setting, for the same error', () => {
    assert.equal(describeForCli(unknownBase), '--base: unknown revision "main" (expected a branch, tag or commit of this repository)');
    assert.equal(describeForEditor(unknownBase), 'the Base branch setting (rolloutLens.baseRef): unknown revision "main" (expected a branch, tag or commit of this repository)');
  });

  it('a field of a file, or a policy field, reads the same on both surfaces', () => {
    const inFile = new InputError('trace.csv:3: not a number (expected a value)', { file: 'trace.csv', line: 3 });
    assert.equal(describeForCli(inFile), inFile.message);
    assert.equal(describeForEditor(inFile), inFile.message);
    const policyField = new InputError('expected a real calendar date as YYYY-MM-DD, got "2026-02-30"', { field: 'holidays.0' });
    assert.equal(describeForCli(policyField), 'holidays.0: expected a real calendar date as YYYY-MM-DD, got "2026-02-30"');
    assert.equal(describeForEditor(policyField), describeForCli(policyField));
  });

  it('no error message under src/core names a CLI flag', () => {
    const files = (readdirSync(CORE, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const flags: string[] = [];
    for (const f of files) {
      const text = readFileSync(path.join(CORE, f), 'utf8');
      // Every InputError's arguments, up to the end of its statement.
      for (const m of text.matchAll(/new InputError\(([\s\S]*?)\);/g)) {
        for (const flag of m[1].matchAll(/(?<![\w-])--[a-z][a-z-]+/g)) flags.push(`${f}: ${flag[0]}`);
      }
    }
    assert.deepEqual(flags, []);
  });
});
