/** A removed line is read like an added one: an auth word only inside a string literal (a header name) is text, not auth code. */
import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess } from '../../../src/core/risk';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter } from './helpers';

async function findings(path: string, before: string, after: string): Promise<string[]> {
  const a = await assess(changeSetOf({ [path]: before }, { [path]: after }), PolicySchema.parse({}), memorySearch(treeAfter({ [path]: before }, { [path]: after })));
  return a.files[0].findings.map((f) => `${f.rule} ${f.tier}`);
}

describe('removed lines: words inside strings', () => {
  const cors = (headers: string[]) =>
    L('package web', '', 'func corsHeaders(dev bool) []string {', '\tif dev {', ...headers, '\t}', '\treturn nil', '}');

  it('removing a list of header names that holds "Authorization" is not authorization code', async () => {
    const before = cors(['\t\treturn []string{', '\t\t\t"X-Api-Key", "Authorization", "Content-Type",', '\t\t}']);
    assert.deepEqual(await findings('web/cors.go', before, cors([])), ['app-change MEDIUM']);
  });

  it('removing a call that checks authorization still is', async () => {
    const before = cors(['\t\tauthorizeRequest(dev)']);
    assert.deepEqual(await findings('web/cors.go', before, cors([])), ['auth HIGH']);
  });
});
