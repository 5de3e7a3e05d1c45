/**
 * git runs through simple-git, whose guard refuses settings that name a program. The change
 * reader opens that guard only for the kinds of setting its own constant overrides use: each
 * flag it turns on is one the overrides need (turning it off gets a call refused), and the
 * environment it allows is only what ./safety sets.
 */
import { strict as assert } from 'node:assert';
import { simpleGit } from 'simple-git';
import { allowedEnvironment, runGit, UNSAFE_FLAGS } from '../../../src/core/change/git';
import { gitEnv, overrides, type DriverNames } from '../../../src/core/change/safety';
import { makeRepo, type FixtureRepo } from '../../fixtures/repo';

/** One driver of each kind, as a repository's configuration would define them. */
const DRIVERS: DriverNames = { filter: new Set(['x=y']), diff: new Set(['d']), merge: new Set(['m']) };

describe('git through simple-git: the guard is opened only for the constant overrides', () => {
  let r: FixtureRepo;
  before(() => {
    r = makeRepo({ commits: [{ 'a.txt': 'a\n' }] });
  });
  after(() => r.cleanup());

  const env = () => gitEnv(process.env, overrides(DRIVERS, [['core.excludesFile', '/dev/null']]));
  const run = (unsafe: typeof UNSAFE_FLAGS) =>
    simpleGit({ baseDir: r.dir, unsafe, allowEnvironment: allowedEnvironment(env()) })
      .env(env())
      .raw(['rev-parse', 'HEAD']);

  it('a call carrying every override (one driver of each kind switched off) runs', async () => {
    const res = await runGit({ cwd: r.dir, drivers: DRIVERS }, ['rev-parse', 'HEAD']);
    assert.equal(res.stdout.toString('utf8').trim(), r.git('rev-parse', 'HEAD').trim());
    assert.match(await run(UNSAFE_FLAGS), /^[0-9a-f]{40}\n$/);
  });

  for (const flag of Object.keys(UNSAFE_FLAGS) as (keyof typeof UNSAFE_FLAGS)[]) {
    it(`${flag} is needed: without it simple-git refuses the overrides`, async () => {
      await assert.rejects(run({ ...UNSAFE_FLAGS, [flag]: false }), (e: Error) => e.message.includes(flag));
    });
  }

  it('allows only the variables ./safety sets, none of the caller’s GIT_ or PAGER variables', () => {
    const base = { PATH: '/usr/bin', HOME: '/home/u', GIT_EXTERNAL_DIFF: '/tmp/evil', GIT_DIR: '/tmp/other', PAGER: 'less', git_pager: 'more' };
    const allowed = allowedEnvironment(gitEnv(base, overrides()));
    const count = overrides().length;
    const pairs = Array.from({ length: count }, (_, i) => [`GIT_CONFIG_KEY_${i}`, `GIT_CONFIG_VALUE_${i}`]).flat();
    assert.deepEqual(
      [...allowed].sort(),
      ['GIT_ASKPASS', 'GIT_ATTR_NOSYSTEM', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_NOSYSTEM', 'GIT_OPTIONAL_LOCKS', 'GIT_PAGER', 'GIT_TERMINAL_PROMPT', 'PAGER', ...pairs].sort(),
    );
    assert.equal(gitEnv(base, overrides()).PAGER, 'cat');
  });
});
