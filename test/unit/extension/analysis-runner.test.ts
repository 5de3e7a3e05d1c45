import assert from 'node:assert/strict';
import { AnalysisRunner, type AnalysisState } from '../../../src/extension/analysisRunner';
import type { Analysis as AnalyzeResult } from '../../../src/core/pipeline';
import type { Timers } from '../../../src/extension/refresh/coalescer';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';

const result: AnalyzeResult = {
  root: '/repo',
  branch: 'main',
  git: { cwd: '/repo' },
  policy: { policy: DEFAULT_POLICY },
  assessment: { tier: 'HIGH', files: [], summary: { filesChanged: 1, linesAdded: 1, linesDeleted: 0 }, flags: [] },
};

/** Timers that fire at once, so a schedule() runs on the next turn. */
const immediate: Timers = { set: (fn) => setTimeout(fn, 0), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
const tick = () => new Promise((r) => setTimeout(r, 5));

function runner(trusted: { value: boolean }, analyze: () => Promise<AnalyzeResult>) {
  const states: AnalysisState[] = [];
  let gitRuns = 0;
  const r = new AnalysisRunner({
    isTrusted: () => trusted.value,
    analyze: async () => (gitRuns++, analyze()),
    onChange: (s) => states.push(s),
    log: () => undefined,
    timers: immediate,
  });
  return { r, states, gitRuns: () => gitRuns };
}

describe('extension: analysis and workspace trust', () => {
  it('runs no git in an untrusted workspace, whatever asks for it, and says it is restricted', async () => {
    const trusted = { value: false };
    const { r, states, gitRuns } = runner(trusted, async () => result);
    assert.equal(r.state.kind, 'restricted');
    r.schedule('saved a file');
    r.schedule('HEAD');
    await r.refreshNow('command');
    await tick();
    assert.equal(gitRuns(), 0);
    assert.ok(states.every((s) => s.kind === 'restricted'));
  });

  it('analyzes once trust is granted', async () => {
    const trusted = { value: false };
    const { r, gitRuns } = runner(trusted, async () => result);
    trusted.value = true;
    const s = await r.refreshNow('trust granted');
    assert.equal(gitRuns(), 1);
    assert.equal(s.kind, 'ready');
    if (s.kind === 'ready') assert.equal(s.result.assessment.tier, 'HIGH');
  });

  it('tells "not a repository" apart from a failure', async () => {
    const notRepo = runner({ value: true }, async () => {
      throw new Error('fatal: not a git repository (or any of the parent directories): .git');
    });
    assert.equal((await notRepo.r.refreshNow('startup')).kind, 'no-repository');
    const broken = runner({ value: true }, async () => {
      throw new Error('git exited with 128');
    });
    const s = await broken.r.refreshNow('startup');
    assert.equal(s.kind, 'error');
    if (s.kind === 'error') assert.match(s.message, /git exited with 128/);
  });
});
