import assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import type { Assessment } from '../../../src/core/risk/types';
import { riskTree, treeMessage } from '../../../src/extension/tree/model';
import { headingLine } from '../../../src/extension/markdownAnchor';

const assessment: Assessment = {
  tier: 'HIGH',
  summary: { filesChanged: 3, linesAdded: 9, linesDeleted: 2 },
  flags: [],
  base: 'HEAD',
  files: [
    { path: 'src/payments/charge.ts', status: 'modified', kind: 'code', tier: 'HIGH', ranges: [{ start: 10, end: 11 }], linesAdded: 2, linesDeleted: 1, findings: [{ rule: 'payment', tier: 'HIGH', line: 10, message: 'changes payment processing code (`charge`): a mistake charges customers wrongly', short: 'payments' }] },
    {
      path: 'db/migrations/002_drop_email.sql', status: 'untracked', kind: 'code', tier: 'HIGH', ranges: [{ start: 1, end: 3 }], linesAdded: 3, linesDeleted: 0,
      findings: [
        { rule: 'migration', tier: 'MEDIUM', line: 0, message: 'adds a database migration' },
        { rule: 'migration-breaking', tier: 'HIGH', line: 3, message: 'drops column `users.email`: breaking for running code', short: 'breaking migration' },
      ],
    },
    { path: 'README.md', status: 'modified', kind: 'docs', tier: 'ZERO', ranges: [{ start: 1, end: 4 }], linesAdded: 4, linesDeleted: 1, findings: [{ rule: 'docs', tier: 'ZERO', line: 0, message: 'documentation: not deployed as code', short: 'docs' }] },
    { path: 'app/models/user.rb', status: 'modified', kind: 'code', tier: 'HIGH', ranges: [], linesAdded: 0, linesDeleted: 2, findings: [{ rule: 'data-write', tier: 'HIGH', line: 8, side: 'removed', after: 6, message: 'stops a database write (`save!`): check nothing still reads what it wrote', short: 'data write' }] },
  ],
};

describe('extension: the Rollout Risk view', () => {
  it('groups the changed files by tier, strongest first, each with its findings, irreversible first', () => {
    const tree = riskTree(assessment);
    assert.deepEqual(tree.map((t) => [t.tier, t.description, t.files.map((f) => f.path)]), [
      ['HIGH', '3 files', ['app/models/user.rb', 'db/migrations/002_drop_email.sql', 'src/payments/charge.ts']],
      ['ZERO', '1 file', ['README.md']],
    ]);
    const migration = tree[0].files[1];
    assert.equal(migration.description, '2 findings · +3 −0');
    assert.deepEqual(migration.findings.map((f) => [f.label, f.description, f.irreversible]), [
      ['drops column users.email — breaking migration', 'line 3', true],
      ['adds a database migration', '', false],
    ]);
    assert.deepEqual(migration.findings[0].target, { file: 'db/migrations/002_drop_email.sql', line: 3 });
  });

  it('places a finding about removed lines at the deletion point', () => {
    const [user] = riskTree(assessment)[0].files;
    assert.equal(user.findings[0].label, 'stops a database write (save!) — data write');
    assert.equal(user.findings[0].description, 'removed after line 6');
    assert.deepEqual(user.findings[0].target, { file: 'app/models/user.rb', line: 7 });
  });

  it('says why there is no tree', () => {
    assert.equal(treeMessage({ kind: 'ready', at: 0, result: { root: '/r', branch: 'main', git: { cwd: '/r' }, assessment, policy: { policy: DEFAULT_POLICY } } }), undefined);
    assert.match(treeMessage({ kind: 'ready', at: 0, result: { root: '/r', branch: 'main', git: { cwd: '/r' }, assessment: { ...assessment, files: [] }, policy: { policy: DEFAULT_POLICY } } })!, /^No changes/);
    assert.match(treeMessage({ kind: 'no-repository', message: 'fatal' })!, /not a git repository/);
    assert.match(treeMessage({ kind: 'restricted' })!, /not trusted/);
  });
});

describe('extension: rule sections of docs/rules.md', () => {
  it('finds the heading whose anchor is the rule id', () => {
    const md = '# Rules\n\nIntro.\n\n## `data-write`\n\ntext\n\n## migration-breaking\n\nSplit it.\n';
    assert.equal(headingLine(md, 'migration-breaking'), 8);
    assert.equal(headingLine(md, 'data-write'), 4);
    assert.equal(headingLine(md, 'nope'), 0);
  });
});
