import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readSql, type SqlStatement } from '../../../../src/core/risk/migrations/sql';
import type { Check } from '../../../../src/core/risk/migrations/judgement';
import type { LockHazard } from '../../../../src/core/risk/types';

/*
 * squawk (the PostgreSQL migration linter) is the peer: on the client-breaking rules both
 * tools judge, and on the lock hazards Rollout Lens names, every statement of the corpus
 * must get the same verdict from both.
 */

const CORPUS = path.resolve(__dirname, '../../../fixtures/migrations/squawk');
const SQUAWK = path.resolve(__dirname, '../../../../node_modules/.bin/squawk');

/** Our check for each of squawk's client-breaking rules. */
const SQUAWK_RULE: Partial<Record<Check, string>> = {
  'drop-column': 'ban-drop-column',
  'drop-table': 'ban-drop-table',
  'rename-column': 'renaming-column',
  'rename-table': 'renaming-table',
  'change-column-type': 'changing-column-type',
  'add-required-column': 'adding-required-field',
  'set-not-null': 'adding-not-nullable-field',
  'drop-database': 'ban-drop-database',
};
/** The lock hazards findings carry (lockHazards) that squawk has a rule for, under the same id. */
const HAZARD_RULES: LockHazard[] = [
  'adding-field-with-default',
  'adding-serial-primary-key-field',
  'disallowed-unique-constraint',
  'adding-foreign-key-constraint',
  'constraint-missing-not-valid',
  'require-concurrent-index-creation',
  'require-concurrent-index-deletion',
  'ban-concurrent-index-creation-in-transaction',
  'require-concurrent-reindex',
];
const COMPARED = new Set<string>([...Object.values(SQUAWK_RULE), ...HAZARD_RULES]);

/**
 * Where the two tools judge differently on purpose, keyed by the statement's text.
 * Each entry must still disagree, so this list cannot silently go stale.
 */
const PRINCIPLED: Record<string, string> = {
  'ALTER TABLE ledger ADD COLUMN entry_no bigserial NOT NULL':
    'a serial column takes its value from its sequence, so inserts by running code that omit it still succeed; squawk counts it as required',
  'ALTER TABLE ledger ADD COLUMN row_key integer PRIMARY KEY':
    'a primary key is NOT NULL, and with no default every insert by running code that omits it fails; squawk does not count it as required',
};

interface SquawkFinding {
  file: string;
  line: number;
  rule_name: string;
}

function runSquawk(files: string[]): SquawkFinding[] {
  const run = spawnSync(SQUAWK, ['--reporter', 'json', ...files], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `squawk failed to run: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout) as SquawkFinding[];
}

function ours(s: SqlStatement): string[] {
  // A SET NOT NULL judged compatible (proven by a validated check) is not the breaking rule.
  const breaking = s.verdicts.filter((v) => v.effect === 'breaking').flatMap((v) => SQUAWK_RULE[v.check] ?? []);
  const hazards = s.verdicts.flatMap((v) => v.hazards ?? []).filter((h) => COMPARED.has(h));
  return [...new Set([...breaking, ...hazards])].sort();
}

describe('SQL migrations beside squawk', () => {
  it('agrees with squawk on every client-breaking rule, statement by statement', async function () {
    this.timeout(60000);
    const files = readdirSync(CORPUS)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => path.join(CORPUS, f));
    const findings = runSquawk(files).filter((f) => COMPARED.has(f.rule_name));
    let statements = 0;
    let agreed = 0;
    const unexpected: string[] = [];
    const principled: string[] = [];
    for (const file of files) {
      const stmts = await readSql(readFileSync(file, 'utf8'));
      for (const s of stmts) {
        statements++;
        // squawk numbers lines from 0 and reports the line of the offending clause, inside the statement.
        const theirs = [...new Set(findings.filter((f) => f.file === file && f.line + 1 >= s.line && f.line + 1 <= s.endLine).map((f) => f.rule_name))].sort();
        const mine = ours(s);
        const same = mine.join() === theirs.join();
        if (same) agreed++;
        const reason = PRINCIPLED[s.quote];
        if (reason !== undefined) {
          assert.ok(!same, `documented disagreement no longer disagrees: ${s.quote}`);
          principled.push(s.quote);
        } else if (!same) {
          unexpected.push(`${path.basename(file)}:${s.line} ${s.quote}\n    ours: [${mine.join(', ')}] squawk: [${theirs.join(', ')}]`);
        }
      }
    }
    const judgedByBoth = statements - principled.length;
    const perRule = [...COMPARED].sort().map((r) => `${r} ${findings.filter((f) => f.rule_name === r).length}`);
    console.log(`      squawk agreement: ${agreed}/${judgedByBoth} statements (${principled.length} documented disagreements, ${findings.length} squawk findings on the ${COMPARED.size} compared rules: ${perRule.join(', ')})`);
    assert.deepEqual(unexpected, [], `disagreements with squawk:\n${unexpected.join('\n')}`);
    assert.equal(agreed, judgedByBoth);
    assert.deepEqual(principled.sort(), Object.keys(PRINCIPLED).sort(), 'every documented disagreement is in the corpus');
    assert.ok(statements >= 30, `the corpus has ${statements} statements; it should cover each rule with 30 or more`);
    // Each compared rule is exercised by the corpus, on both sides.
    for (const rule of COMPARED) assert.ok(findings.some((f) => f.rule_name === rule), `the corpus never triggers ${rule}`);
  });
});
