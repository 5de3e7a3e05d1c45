import * as assert from 'node:assert/strict';
import { readChange } from '../../../src/core/change';
import type { ChangeSet, RepoSearch } from '../../../src/core/change/types';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { makeRepo } from '../../fixtures/repo';
import { CORPUS, type CorpusCase } from './corpus';
import { changeSetOf, memorySearch, treeAfter } from './helpers';

/** What a reviewer compares: the tier, each file's findings as "rule TIER line [flag]", the flags. */
function summarise(a: Assessment) {
  const files: Record<string, string[]> = {};
  for (const f of a.files) files[f.path] = f.findings.map((x) => `${x.rule} ${x.tier} ${x.line}${x.flag ? ` ${x.flag}` : ''}`).sort();
  return { tier: a.tier, files, flags: a.flags, securityHotfix: a.securityHotfix };
}

function expected(c: CorpusCase) {
  const files: Record<string, string[]> = {};
  for (const [p, f] of Object.entries(c.expect.files)) files[p] = [...f].sort();
  return { tier: c.expect.tier, files, flags: c.expect.flags ?? [], securityHotfix: c.expect.securityHotfix ?? false };
}

async function check(c: CorpusCase, change: ChangeSet, search: RepoSearch): Promise<Assessment> {
  const a = await assess(change, PolicySchema.parse(c.policy ?? {}), search);
  assert.deepEqual(summarise(a), expected(c));
  // Each file's tier is its highest deploy finding; the change's tier its highest file tier.
  for (const f of a.files) {
    const order = ['ZERO', 'LOW', 'MEDIUM', 'HIGH'];
    const top = Math.max(0, ...f.findings.filter((x) => !x.flag).map((x) => order.indexOf(x.tier)));
    assert.equal(f.tier, order[top], `${f.path}: tier is the highest deploy finding`);
    for (const x of f.findings) assert.ok(x.message.length > 10 && x.short, `${f.path}: finding ${x.rule} has a message and a short label`);
  }
  return a;
}

describe('risk corpus: in-memory change sets', () => {
  it('has at least 40 labelled changes covering every tier', () => {
    assert.ok(CORPUS.length >= 40);
    for (const tier of ['ZERO', 'LOW', 'MEDIUM', 'HIGH']) assert.ok(CORPUS.some((c) => c.expect.tier === tier), tier);
  });
  for (const c of CORPUS) {
    it(c.name, async () => {
      const before = c.before ?? {};
      const after = c.after ?? {};
      const search = memorySearch(treeAfter(before, after, c.renames));
      await check(c, changeSetOf(before, after, c.renames), search);
      assert.ok(search.calls.length <= 1, 'one batched reference lookup');
    });
  }
});

describe('risk corpus: end to end through git and the change reader', function () {
  this.timeout(30000);
  for (const c of CORPUS) {
    it(c.name, async () => {
      const repo = makeRepo({ commits: [c.before ?? {}], renames: c.renames, unstaged: c.after });
      try {
        const { change, search } = await readChange({ repo: repo.dir });
        await check(c, change, search);
      } finally {
        repo.cleanup();
      }
    });
  }
});
