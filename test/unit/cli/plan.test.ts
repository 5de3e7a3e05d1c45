/** `rollout-lens plan` as a user runs it: the bundled CLI in a child process, exit codes and output. */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RolloutPlanSchema } from '../../../src/core/plan';
import { analyzeRepo } from '../../../src/core/pipeline';
import { planFromArgs } from '../../../src/cli/commands/plan';
import { buildCli, type CliUnderTest } from '../../fixtures/cli';
import { makeRepo } from '../../fixtures/repo';

describe('plan: the CLI command', function () {
  let cli: CliUnderTest;
  let dir: string;
  const run = (...args: string[]) => cli.run(...args);
  const expectBadInput = (args: string[], mentions: RegExp) => cli.expectBadInput(args, mentions);

  before(async () => {
    cli = await buildCli('plan', 'America/New_York');
    dir = cli.dir;
  });
  after(() => cli.cleanup());

  it('prints exactly one JSON document that validates against RolloutPlanSchema', () => {
    const r = run('--tier', 'HIGH', '--start', '2026-03-13T13:00:00-04:00', '--json');
    assert.equal(r.code, 0, r.stderr);
    const plan = RolloutPlanSchema.parse(JSON.parse(r.stdout));
    assert.equal(plan.tier, 'HIGH');
    assert.equal(plan.strategy, 'extended-canary');
    assert.equal(plan.schedule.timezone, 'America/New_York', 'the machine\'s zone by default');
    assert.equal(plan.stages[0].steps[0].start, '2026-03-16T11:00:00-04:00');
    assert.equal(plan.stages[0].steps[0].moved[0].rule, 'friday-afternoon');
  });

  it('reads the start as wall time in the policy\'s zone, and --hotfix skips the windows', () => {
    writeFileSync(path.join(dir, 'berlin.json'), JSON.stringify({ timezone: 'Europe/Berlin' }));
    const r = run('--tier', 'LOW', '--start', '2026-03-14T09:00', '--config', path.join(dir, 'berlin.json'), '--hotfix', '--json');
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout);
    assert.equal(plan.schedule.start, '2026-03-14T09:00:00+01:00');
    assert.equal(plan.schedule.securityHotfix, true);
  });

  it('prints Markdown with --markdown and a timeline by default', () => {
    const md = run('--tier', 'MEDIUM', '--start', '2026-03-10T10:00', '--markdown');
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^## Rollout plan: MEDIUM risk, canary/);
    assert.match(md.stdout, /\| 3 \| Canary \| 10% \| 2–4 h \| Tue 2026-03-10 11:00 \| Tue 2026-03-10 13:00 \|/);
    const text = run('--tier', 'MEDIUM', '--start', '2026-03-10T10:00');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /3 Canary +Tue 2026-03-10 11:00 +10% +2–4 h/);
  });

  it('exits 2 with one line for each kind of bad input', () => {
    expectBadInput(['--tier', 'EXTREME'], /--tier: expected one of ZERO, LOW, MEDIUM, HIGH, got "EXTREME"/);
    expectBadInput(['--tier', 'LOW', '--start', 'next tuesday'], /--start: expected an ISO-8601 time/);
    expectBadInput(['--tier', 'LOW', '--start', '2026-02-30T10:00'], /--start: expected an ISO-8601 time.*"2026-02-30T10:00"/);
    expectBadInput(['--repo', '.', '--tier', 'LOW'], /--repo and --tier cannot be used together/);
    expectBadInput(['--tier', 'LOW', '--json', '--markdown'], /--json and --markdown cannot be used together/);
    expectBadInput(['--tier', 'LOW', '--colour'], /plan: Unknown option '--colour'/);
    expectBadInput(['--tier', 'LOW', '--config', path.join(dir, 'missing.json')], /missing\.json: cannot read the policy file/);
  });

  it('exits 2 naming the policy file and field for a bad time zone, custom gate or rollout step', () => {
    const cases: [object, RegExp][] = [
      [{ timezone: 'Mars/Olympus' }, /bad\.json: field "timezone": expected an IANA time zone.*"Mars\/Olympus"/],
      [{ gates: { cache_hit_rate: { warning: 90, critical: 80 } } }, /bad\.json: field "gates\.cache_hit_rate\.direction": a custom metric needs warning, critical and direction/],
      [{ holidays: ['2026-02-30'] }, /bad\.json: field "holidays\.0": expected a real calendar date/],
      [{ rollout: { LOW: { steps: [{ trafficPercent: 50, waitHours: { min: 1, max: 1 } }, { trafficPercent: 10, waitHours: { min: 1, max: 1 } }] } } }, /field "rollout\.LOW\.steps\.1\.trafficPercent"/],
      [{ holiday: ['2026-12-25'] }, /bad\.json: unknown field "holiday"/],
    ];
    for (const [config, mentions] of cases) {
      const file = path.join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify(config));
      expectBadInput(['--tier', 'LOW', '--config', file], mentions);
    }
  });

  it('plans the change in a repository (--repo) once the change reader and risk engine work', async function () {
    const repo = makeRepo({ commits: [{ 'README.md': '# app\n' }], unstaged: { 'README.md': '# app\n\nMore docs.\n' } });
    try {
      try {
        await analyzeRepo({ repo: repo.dir });
      } catch (e) {
        if (/not built yet/.test((e as Error).message)) this.skip();
        throw e;
      }
      const { plan } = await planFromArgs({ repo: repo.dir, start: '2026-03-10T10:00:00-04:00' });
      const { assessment: assessed } = await analyzeRepo({ repo: repo.dir });
      assert.equal(plan.tier, assessed.tier);
      assert.ok(RolloutPlanSchema.safeParse(plan).success);
      assert.equal(plan.stages.length, 5);
    } finally {
      repo.cleanup();
    }
  });
});
