/** Findings about removed lines: where they show in the new file, and that added lines elsewhere keep them. */
import { strict as assert } from 'node:assert';
import { readChange } from '../../../src/core/change';
import { DEFAULT_POLICY } from '../../../src/core/policy/schema';
import { assess } from '../../../src/core/risk';
import type { Finding } from '../../../src/core/risk/types';
import { makeRepo } from '../../fixtures/repo';

const MODEL = `class Message < ApplicationRecord
  belongs_to :user

  def mark_read!
    self.has_been_read = true
    save!
  end

  def archive
    update!(archived: true)
    notify_user
  end
end
`;
const WITHOUT_WRITE = MODEL.replace('    self.has_been_read = true\n    save!\n', '').replace('    notify_user\n', '');

async function findingsOf(after: string): Promise<Finding[]> {
  const repo = makeRepo({ commits: [{ 'app/models/message.rb': MODEL, 'app/jobs/read.rb': 'Message.first.mark_read!\n' }], unstaged: { 'app/models/message.rb': after } });
  try {
    const { change, search } = await readChange({ repo: repo.dir });
    const a = await assess(change, DEFAULT_POLICY, search);
    return a.files.find((f) => f.path === 'app/models/message.rb')!.findings;
  } finally {
    repo.cleanup();
  }
}

describe('findings about removed lines', () => {
  it('are marked as removals and placed after the new line the removed lines followed', async () => {
    const [write] = (await findingsOf(WITHOUT_WRITE)).filter((f) => f.rule === 'data-write');
    assert.ok(write, 'the removed save! is a finding');
    assert.equal(write.side, 'removed');
    // `line` stays the old file's line (the CLI's JSON keeps its meaning); `after` is the new file's.
    assert.equal(write.line, 6);
    assert.equal(write.after, 4);
    assert.match(write.message, /^stops a database write \(`save!`\): check nothing still reads/);
  });

  it('are kept when the file also gains a line of the same kind somewhere else', async () => {
    const plusOne = WITHOUT_WRITE.replace('  belongs_to :user\n', '  belongs_to :user\n  after_create { update!(seen: false) }\n');
    const findings = await findingsOf(plusOne);
    const removed = findings.filter((f) => f.side === 'removed');
    assert.deepEqual(removed.map((f) => [f.rule, f.line, f.after]), [['data-write', 6, 5]]);
    assert.ok(findings.some((f) => f.rule === 'data-write' && f.line === 3 && f.side === undefined), 'the added update! is a finding of its own');
  });

  it('are still dropped where the same hunk adds the same reason back (a modified line)', async () => {
    const edited = MODEL.replace('    save!\n', '    save!(validate: false)\n');
    const findings = await findingsOf(edited);
    assert.deepEqual(findings.map((f) => [f.rule, f.line, f.side ?? 'added']), [['data-write', 6, 'added']]);
  });
});
