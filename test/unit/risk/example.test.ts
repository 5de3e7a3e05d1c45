import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { createExampleRepo } from '../../../src/cli/example';
import { readChange } from '../../../src/core/change';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const ORDER = ['ZERO', 'LOW', 'MEDIUM', 'HIGH'];

/** The 1-based lines of the bundled example's `if (flags.isEnabled('new-receipts')) { … }` block. */
function flagBlock(content: string): { start: number; end: number } {
  const lines = content.split('\n');
  const start = lines.findIndex((l) => l.includes("flags.isEnabled('new-receipts')")) + 1;
  const end = lines.findIndex((l, i) => i >= start && l.trim() === '}') + 1;
  assert.ok(start > 0 && end > start, 'the example still has its flag-guarded block');
  return { start, end };
}

describe('risk: the bundled example change keeps OFF-flag code out of the deploy tier', function () {
  this.timeout(30000);
  let dir: string;
  let a: Assessment;
  let block: { start: number; end: number };

  before(async () => {
    dir = createExampleRepo();
    const { change, search } = await readChange({ repo: dir });
    block = flagBlock(change.files.find((f) => f.path === 'src/payments/charge.ts')!.content!);
    a = await assess(change, DEFAULT_POLICY, search);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every finding inside the flag block names the flag, and no deploy finding sits there', () => {
    const charge = a.files.find((f) => f.path === 'src/payments/charge.ts')!;
    const inside = charge.findings.filter((f) => f.line >= block.start && f.line <= block.end && f.rule !== 'flag-off');
    assert.ok(inside.length > 0);
    for (const f of inside) assert.equal(f.flag, 'new-receipts', `${f.rule} on line ${f.line}`);
    // The Stripe API call behind the flag is a payment, not a write to the service's database.
    assert.ok(!charge.findings.some((f) => f.rule === 'data-write'), charge.findings.map((f) => f.rule).join(', '));
  });

  it('file tiers count only deploy findings; the flag carries the risk of turning it on', () => {
    for (const f of a.files) {
      const top = Math.max(0, ...f.findings.filter((x) => !x.flag).map((x) => ORDER.indexOf(x.tier)));
      assert.equal(f.tier, ORDER[top], f.path);
    }
    // The idempotency key outside the block is a live payment change: the file stays HIGH for that reason.
    const charge = a.files.find((f) => f.path === 'src/payments/charge.ts')!;
    assert.deepEqual(charge.findings.filter((f) => !f.flag && f.tier === 'HIGH').map((f) => f.line), [10]);
    assert.deepEqual(a.flags, [{ name: 'new-receipts', tier: 'HIGH', files: ['src/payments/charge.ts'] }]);
  });

  it('the human output of analyze lists flagged findings under their flag, not as deploy reasons', function () {
    if (!existsSync(CLI)) execFileSync('npm', ['run', '-s', 'build'], { cwd: path.resolve(__dirname, '../../..') });
    const r = spawnSync(process.execPath, [CLI, 'analyze', '--repo', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [deploy, flagged] = r.stdout.split(/Behind feature flags[^\n]*\n/);
    assert.ok(flagged, r.stdout);
    // The deploy part: the live payment change at line 10, and the guarded line only as "behind feature flag".
    assert.match(deploy, /\n\s+L10 changes `chargeCard`/);
    assert.doesNotMatch(deploy, new RegExp(`\\n\\s+L${block.start} changes`), 'the guarded payment code is not a deploy reason');
    assert.match(deploy, new RegExp(`\\n\\s+L${block.start} adds code behind feature flag \`new-receipts\``));
    // The flag part: its tier, then the guarded finding with file and line.
    assert.match(flagged, new RegExp(`^\\s+HIGH\\s+new-receipts\\n\\s+src/payments/charge\\.ts:${block.start} changes \`chargeCard\``));
  });
});
