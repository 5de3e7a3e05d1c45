/** The rule catalogue: every id the engine emits is in it, and docs/rules.md documents exactly those ids. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { inGroup, isRuleId, RULE_IDS, RULES } from '../../../src/core/catalog';

const DOC = path.join(__dirname, '../../../docs/rules.md');

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The `##` sections of a Markdown text: heading and body, code fences skipped. */
function sections(text: string): { heading: string; body: string }[] {
  const out: { heading: string; body: string }[] = [];
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^```/.test(line)) fence = !fence;
    const m = !fence ? /^## (.+)$/.exec(line) : null;
    if (m) out.push({ heading: m[1], body: '' });
    else if (out.length) out[out.length - 1].body += `${line}\n`;
  }
  return out;
}

describe('rule catalogue', () => {
  const doc = sections(readFileSync(DOC, 'utf8'));

  it('docs/rules.md has one section per rule id, whose link anchor is the id itself', () => {
    const anchors = doc.map((s) => anchor(s.heading));
    assert.deepEqual(anchors.filter((a, i) => anchors.indexOf(a) !== i), [], 'no id documented twice');
    assert.deepEqual([...anchors].sort(), [...RULE_IDS].sort());
  });

  it("each section states the rule's group and tier as the catalogue has them, and gives an example", () => {
    for (const s of doc) {
      const id = anchor(s.heading);
      if (!isRuleId(id)) continue;
      const meta = RULES[id];
      const tier = meta.tier === 'varies' ? 'varies' : meta.tier;
      assert.match(s.body, new RegExp(`Group: \`${meta.group}\` · Tier: ${tier}\\b`), `${id}: group ${meta.group}, tier ${tier}`);
      assert.match(s.body, /Example:/, `${id}: an example`);
    }
  });

  it('groups rules by what they read: migrations, data writes, shapes of a change', () => {
    assert.deepEqual(RULE_IDS.filter((id) => inGroup(id, 'migration')).sort(), ['migration', 'migration-breaking', 'migration-edited', 'migration-snapshot', 'migration-unparsed']);
    assert.ok(inGroup('data-write', 'data'));
    assert.ok(inGroup('unused-export', 'shape') && !inGroup('unused-export', 'content'));
    assert.equal(isRuleId('migration-breaking'), true);
    assert.equal(isRuleId('migration-break'), false);
  });
});
