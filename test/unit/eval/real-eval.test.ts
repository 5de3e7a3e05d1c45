import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isInputError } from '../../../src/core/errors';
import { loadLabelDir, parseLabels } from '../../../eval/real/labels';
import { formatConfusion, score, type Outcome } from '../../../eval/real/score';

const HEADER = 'repo\tcommit\tlanguage\ttier\treason';
const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);

function rejects(text: string, message: RegExp) {
  assert.throws(
    () => parseLabels(text, 'labels/python.tsv'),
    (e: unknown) => isInputError(e) && message.test(e.message),
  );
}

describe('real-world evaluation: label files', () => {
  it('reads every row after the header, with where each came from', () => {
    const labels = parseLabels(`${HEADER}\nacme/shop\t${C1}\tpython\tHIGH\tcharges the card twice\n\nacme/shop\t${C2}\tpython\tZERO\tdocs only\n`, 'labels/python.tsv');
    assert.deepEqual(
      labels.map((l) => [l.repo, l.commit, l.language, l.tier, l.reason, l.source]),
      [
        ['acme/shop', C1, 'python', 'HIGH', 'charges the card twice', 'labels/python.tsv:2'],
        ['acme/shop', C2, 'python', 'ZERO', 'docs only', 'labels/python.tsv:4'],
      ],
    );
  });

  it('names the file and line of a row with a bad tier', () => {
    rejects(`${HEADER}\nacme/shop\t${C1}\tpython\tCRITICAL\tx\n`, /^labels\/python\.tsv:2: tier: expected one of ZERO, LOW, MEDIUM, HIGH, found "CRITICAL"$/);
  });

  it('names the line of a short commit id, a missing field, an unknown language and an empty reason', () => {
    rejects(`${HEADER}\nacme/shop\t${C1}\tpython\tLOW\tok\nacme/shop\tabc123\tpython\tLOW\tx\n`, /^labels\/python\.tsv:3: commit: expected a full 40-character/);
    rejects(`${HEADER}\nacme/shop\t${C1}\tpython\tLOW\n`, /^labels\/python\.tsv:2: expected 5 tab-separated fields .* found 4$/);
    rejects(`${HEADER}\nacme/shop\t${C1}\tcobol\tLOW\tx\n`, /^labels\/python\.tsv:2: language: expected one of/);
    rejects(`${HEADER}\nacme/shop\t${C1}\tpython\tLOW\t \n`, /^labels\/python\.tsv:2: reason: expected a one-line reason/);
    rejects(`${HEADER}\nshop\t${C1}\tpython\tLOW\tx\n`, /^labels\/python\.tsv:2: repo: expected owner\/name/);
  });

  it('refuses a file without the header and a commit labelled twice', () => {
    rejects(`acme/shop\t${C1}\tpython\tLOW\tx\n`, /^labels\/python\.tsv:1: expected the header/);
    rejects(`${HEADER}\nacme/shop\t${C1}\tpython\tLOW\tx\nacme/shop\t${C1}\tpython\tHIGH\ty\n`, /^labels\/python\.tsv:3: .* already labelled on line 2$/);
  });

  it('refuses the same commit in two label files of one folder, naming both places', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rollout-lens-labels-'));
    try {
      writeFileSync(path.join(dir, 'go.tsv'), `${HEADER}\nacme/shop\t${C1}\tgo\tLOW\tx\n`);
      writeFileSync(path.join(dir, 'python.tsv'), `${HEADER}\nacme/shop\t${C2}\tpython\tLOW\tx\nacme/shop\t${C1}\tpython\tLOW\tx\n`);
      assert.throws(
        () => loadLabelDir(dir),
        (e: unknown) => isInputError(e) && e.message === `${path.join(dir, 'python.tsv')}:3: commit ${C1} of acme/shop is already labelled at ${path.join(dir, 'go.tsv')}:2`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('real-world evaluation: the committed label sets', () => {
  it('every set loads, no two share a repository, and each later set covers each language with 8 commits', () => {
    const root = path.join(__dirname, '../../../eval/real');
    const sets = ['labels', 'fresh', 'third', 'fourth'].map((dir) => ({ dir, labels: loadLabelDir(path.join(root, dir)) }));
    assert.ok(sets[0].labels.length >= 120, `${sets[0].labels.length} labels in the first set`);
    const owner = new Map<string, string>();
    for (const { dir, labels } of sets) {
      for (const l of labels) {
        const seen = owner.get(l.repo);
        assert.ok(seen === undefined || seen === dir, `${l.repo} is in ${seen} and ${dir}`);
        owner.set(l.repo, dir);
      }
    }
    for (const { dir, labels } of sets.slice(1)) {
      const perLanguage = new Map<string, number>();
      for (const l of labels) perLanguage.set(l.language, (perLanguage.get(l.language) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries([...perLanguage].sort()), { go: 8, java: 8, python: 8, ruby: 8, typescript: 8 }, dir);
    }
  });
});

describe('real-world evaluation: scoring', () => {
  const o = (label: Outcome['label'], tool: Outcome['tool'], language: Outcome['language'] = 'python'): Outcome => ({
    repo: 'acme/shop',
    commit: C1,
    language,
    label,
    tool,
    reason: tool ? `rated ${tool}` : 'analyze exited 1',
  });

  it('counts each outcome in the row of its label and the column of the tool', () => {
    const s = score([o('ZERO', 'ZERO'), o('HIGH', 'MEDIUM'), o('HIGH', 'HIGH'), o('HIGH', 'MEDIUM'), o('LOW', 'HIGH'), o('MEDIUM', 'LOW', 'typescript')]);
    assert.deepEqual(s.confusion, [
      [1, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 1, 0, 0],
      [0, 0, 2, 1],
    ]);
    assert.equal(s.correct, 2);
    assert.equal(s.scored, 6);
    assert.equal(s.accuracy, 2 / 6);
    assert.equal(s.highUnder.length, 2);
    assert.equal(s.disagreements.length, 4);
    assert.deepEqual(s.perLanguage, {
      python: { scored: 5, correct: 2, accuracy: 2 / 5 },
      typescript: { scored: 1, correct: 0, accuracy: 0 },
    });
  });

  it('a HIGH rated higher is a disagreement but not under-classified', () => {
    const s = score([o('MEDIUM', 'HIGH')]);
    assert.equal(s.highUnder.length, 0);
    assert.equal(s.disagreements.length, 1);
  });

  it('a failed analyze is wrong, kept out of the matrix and, on a HIGH label, under-classified', () => {
    const s = score([o('HIGH', undefined), o('ZERO', 'ZERO')]);
    assert.equal(s.accuracy, 0.5);
    assert.equal(s.failures.length, 1);
    assert.equal(s.highUnder.length, 1);
    assert.equal(s.confusion.flat().reduce((a, b) => a + b, 0), 1);
  });

  it('no outcomes: accuracy 0, never a pass', () => {
    assert.equal(score([]).accuracy, 0);
  });

  it('prints the matrix with a header row and one row a label tier', () => {
    const lines = formatConfusion(score([o('HIGH', 'LOW')]).confusion);
    assert.equal(lines.length, 5);
    assert.match(lines[0], /ZERO\s+LOW\s+MEDIUM\s+HIGH$/);
    assert.match(lines[4], /^HIGH\s+0\s+1\s+0\s+0$/);
  });
});
