/**
 * "Show removed lines": the left side of the diff is the file at the analysis's base, read with the
 * git context the analysis of that repository used (its top level and overrides), from inside a
 * subfolder as from the top, and never from another repository of the workspace.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeRepo, baseText } from '../../../src/core/pipeline';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

describe('the base text of a changed file', function () {
  this.timeout(60_000);
  let api: FixtureRepo;
  let web: FixtureRepo;

  before(() => {
    api = makeRepo({ commits: [{ 'app/user.rb': 'class User\n  def save\n    save!\n  end\nend\n' }], unstaged: { 'app/user.rb': 'class User\nend\n' } });
    web = makeRepo({ commits: [{ 'app/user.rb': 'web: another file of the same name\n' }], unstaged: { 'app/user.rb': 'web: edited\n' } });
    mkdirSync(path.join(api.dir, 'app', 'deep'), { recursive: true });
  });

  after(() => {
    api.cleanup();
    web.cleanup();
  });

  it("reads the committed version through the analysis's own context, for the repository it analysed", async () => {
    // Analysed from a subfolder, as a workspace folder inside the repository would be.
    const a = await analyzeRepo({ repo: path.join(api.dir, 'app', 'deep') });
    const b = await analyzeRepo({ repo: web.dir });
    assert.equal(a.git.cwd, a.root, 'the context runs at the top level git reports');
    const runs: string[][] = [];
    const text = await baseText({ ...a.git, onGit: (args) => runs.push(args) }, a.assessment.base!, 'app/user.rb');
    assert.equal(text, 'class User\n  def save\n    save!\n  end\nend\n');
    assert.deepEqual(runs, [['cat-file', 'blob', 'HEAD:app/user.rb']], 'one read, reported to the log as every other git run');
    assert.equal(await baseText(b.git, 'HEAD', 'app/user.rb'), 'web: another file of the same name\n');
  });
});
