/**
 * A workspace of several repositories: which repository a file's lenses come from, how folders
 * share an analysis, the tier the status bar names as the highest, and the order of the
 * "which repository?" prompt.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Assessment } from '../../../src/core/risk/types';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { acrossRepositories, stateStatus, statusFor } from '../../../src/extension/status/model';
import { repositoryNodes } from '../../../src/extension/tree/model';
import { activeFirst, groupFolders, highestTier, repositoryChoices, repositoryOf, splitRef, withRoot } from '../../../src/extension/workspace/model';

const at = (...parts: string[]) => path.join(path.sep, ...parts);
const api = { name: 'api', root: at('work', 'api') };
const apiNested = { name: 'vendor-lib', root: at('work', 'api', 'vendor', 'lib') };
const web = { name: 'web', root: at('work', 'web') };

const high: Assessment = {
  tier: 'HIGH',
  base: 'HEAD',
  summary: { filesChanged: 1, linesAdded: 2, linesDeleted: 0 },
  flags: [],
  files: [{ path: 'src/pay.ts', kind: 'code', status: 'modified', tier: 'HIGH', ranges: [{ start: 1, end: 2 }], linesAdded: 2, linesDeleted: 0, findings: [{ rule: 'payment', tier: 'HIGH', line: 1, message: 'touches payment processing' }] }],
};

describe('a workspace of several repositories', () => {
  it("gives a file to the repository that holds it, the nested one's files to the nested one, and none outside", () => {
    const all = [api, apiNested, web];
    assert.equal(repositoryOf(at('work', 'api', 'src', 'pay.ts'), all), api);
    assert.equal(repositoryOf(at('work', 'api', 'vendor', 'lib', 'index.ts'), all), apiNested);
    assert.equal(repositoryOf(at('work', 'web', 'README.md'), all), web);
    assert.equal(repositoryOf(at('work', 'webapp', 'x.ts'), all), undefined, 'a sibling whose name starts the same is not inside');
    assert.equal(repositoryOf(at('work', 'notes', 'todo.md'), all), undefined);
    assert.equal(repositoryOf(api.root, all), api, 'the root itself');
  });

  it('lets two folders of one repository share its analysis, and lists folders of no repository apart', () => {
    const g = groupFolders([
      { folder: 'api/server', root: api.root },
      { folder: 'notes', root: undefined },
      { folder: 'web', root: web.root },
      { folder: 'api/client', root: api.root },
    ]);
    assert.deepEqual(g.repositories, [
      { root: api.root, folders: ['api/server', 'api/client'] },
      { root: web.root, folders: ['web'] },
    ]);
    assert.deepEqual(g.outside, ['notes']);
  });

  it('names the highest tier across repositories (the first of equals), and none while none is analyzed', () => {
    assert.equal(highestTier([{ ...web, tier: 'LOW' }, { ...api, tier: 'HIGH' }, { ...apiNested, tier: 'HIGH' }])?.name, 'api');
    assert.equal(highestTier([{ ...web, tier: 'ZERO' }, { ...api, note: 'analyzing' }])?.name, 'web');
    assert.equal(highestTier([{ ...web, note: 'restricted' }]), undefined);
  });

  it("offers the active editor's repository first, then the rest in workspace order, each with its tier", () => {
    assert.deepEqual(
      activeFirst([api, apiNested, web], web.root).map((r) => r.name),
      ['web', 'api', 'vendor-lib'],
    );
    assert.deepEqual(
      activeFirst([api, web], undefined).map((r) => r.name),
      ['api', 'web'],
    );
    const choices = repositoryChoices([{ ...api, tier: 'HIGH' }, { ...web, note: 'analyzing' }], web.root);
    assert.deepEqual(
      choices.map((c) => [c.label, c.description, c.detail]),
      [
        ['web', 'analyzing · active editor', web.root],
        ['api', 'HIGH', api.root],
      ],
    );
  });

  it('carries the repository with a finding only when there are several, and takes it off for the plan view', () => {
    assert.deepEqual(withRoot({ file: 'a.ts', line: 3 }, undefined), { file: 'a.ts', line: 3 });
    assert.deepEqual(withRoot({ file: 'a.ts', line: 3 }, api.root), { file: 'a.ts', line: 3, root: api.root });
    assert.deepEqual(splitRef({ file: 'a.ts', line: 3, root: api.root }), { place: { file: 'a.ts', line: 3 }, root: api.root });
    assert.deepEqual(splitRef({ file: 'a.ts', line: 3 }), { place: { file: 'a.ts', line: 3 } });
  });
});

describe('the status item across repositories', () => {
  const shown = statusFor({ ...high, tier: 'LOW', files: [{ ...high.files[0], tier: 'LOW', findings: [] }] });

  it('is unchanged with one repository', () => {
    assert.deepEqual(acrossRepositories(shown, [{ ...web, tier: 'LOW' }], web.root), shown);
  });

  it("shows the active editor's repository and tier, and names the highest and every repository in the hover and the label", () => {
    const s = acrossRepositories(shown, [{ ...api, tier: 'HIGH' }, { ...web, tier: 'LOW' }, { name: 'docs', root: at('work', 'docs'), note: 'analyzing' }], web.root);
    assert.equal(s.text, 'Risk: LOW · web');
    assert.match(s.hover, /\*\*Highest across 3 repositories\*\* · \*\*HIGH\*\* in api/);
    assert.match(s.hover, /- \*\*api\*\*: \*\*HIGH\*\*\n- \*\*web\*\*: \*\*LOW\*\* \(this editor\)\n- \*\*docs\*\*: analyzing/);
    const paragraphs = s.hover.split('\n\n');
    assert.equal(paragraphs[0], shown.hover.split('\n\n')[0], "the active repository's own hover comes first");
    assert.match(paragraphs.at(-1)!, /^\[Open plan\]\(command:rolloutLens\.generatePlan\) · \[Copy Markdown\]/, 'the actions stay last');
    assert.equal(paragraphs.filter((p) => p.includes('Open plan')).length, 1);
    assert.match(s.label, /^Rollout Lens: deployment risk LOW.* in web; highest across 3 repositories: HIGH in api$/);
  });

  it('turns a plain hover (restricted, analyzing) into Markdown with the repositories under it', () => {
    const restricted = stateStatus({ kind: 'restricted' }, 'breakingMigration');
    assert.equal(restricted.plain, true);
    const s = acrossRepositories(restricted, [{ ...api, note: 'restricted' }, { ...web, note: 'restricted' }], api.root);
    assert.equal(s.plain, false);
    assert.match(s.hover, /\*\*2 repositories\*\*: none analyzed yet/);
    assert.match(s.label, /2 repositories, none analyzed yet$/);
  });

  it('links each finding of the hover to its repository when there are several', () => {
    const s = statusFor(high, 'breakingMigration', api.root);
    const link = /command:rolloutLens\.openPlanAt\?([^)]+)\)/.exec(s.hover);
    assert.ok(link, s.hover);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [{ file: 'src/pay.ts', line: 1, root: api.root }]);
  });
});

describe('the Rollout Risk view across repositories', () => {
  it('has one node per repository with its tier, its tree under it, and why there is none for the others', () => {
    const nodes = repositoryNodes([
      { name: 'api', root: api.root, state: { kind: 'ready', at: 0, result: { root: api.root, branch: 'main', git: { cwd: api.root }, assessment: high, policy: { policy: DEFAULT_POLICY } } } },
      { name: 'web', root: web.root, state: { kind: 'idle' } },
    ]);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.description, n.tiers.length]),
      [
        ['api', 'HIGH · 1 file', 1],
        ['web', 'Analyzing the change…', 0],
      ],
    );
    const file = nodes[0].tiers[0].files[0];
    assert.equal(file.root, api.root);
    assert.deepEqual(file.findings[0].target, { file: 'src/pay.ts', line: 1, root: api.root });
  });
});
