import * as assert from 'node:assert/strict';
import { PolicySchema } from '../../../src/core/policy/schema';
import { assess, type Assessment } from '../../../src/core/risk';
import { helperFiles, MAX_HELPER_FILES } from '../../../src/core/risk/rules/write-through';
import { L } from './corpus';
import { changeSetOf, memorySearch, treeAfter, type Contents } from './helpers';

async function run(before: Contents, after: Record<string, string>): Promise<Assessment> {
  return assess(changeSetOf(before, after), PolicySchema.parse({}), memorySearch(treeAfter(before, after)));
}
const top = (a: Assessment, path: string) => {
  const f = a.files.find((x) => x.path === path)!;
  return { tier: f.tier, rules: f.findings.map((x) => x.rule), message: f.findings[0]?.message ?? '' };
};

// A storage module of the project: one helper writes with SQL, one only reads.
const STORE = L(
  'from app.db import db',
  '',
  'async def archive_note(note_id: str, archived: bool = True) -> None:',
  '    await db.execute(',
  '        """',
  '        UPDATE notes SET archived = :archived WHERE id = :id',
  '        """,',
  '        {"id": note_id, "archived": archived},',
  '    )',
  '',
  'async def find_note(note_id: str, archived: bool = False):',
  '    return await db.fetchone("SELECT * FROM notes WHERE id = :id", {"id": note_id})',
);

const HANDLER = (lookup: string, write = '        await archive_note(note_id, archived=False)') =>
  L(
    'from app.store import archive_note, find_note',
    '',
    'async def restore_note(note_id: str):',
    `    note = ${lookup}`,
    '    if not note:',
    '        raise NotFound()',
    '    if note.archived:',
    write,
    '    return {"ok": True}',
  );

describe('risk: writes through a helper of the repository', () => {
  it('a changed call to a helper whose body runs an UPDATE is a data write, named with the helper and its file', async () => {
    const before = { 'app/store.py': STORE, 'app/handlers.py': HANDLER('await find_note(note_id)', '        pass') };
    const a = await run(before, { 'app/handlers.py': HANDLER('await find_note(note_id)') });
    const f = top(a, 'app/handlers.py');
    assert.equal(f.tier, 'HIGH');
    assert.deepEqual(f.rules, ['data-write']);
    assert.match(f.message, /archive_note\(\) runs UPDATE notes SET in app\/store\.py/);
  });

  it('a changed line whose variable a condition around the helper write tests is a data write too', async () => {
    const before = { 'app/store.py': STORE, 'app/handlers.py': HANDLER('await find_note(note_id)') };
    const a = await run(before, { 'app/handlers.py': HANDLER('await find_note(note_id, archived=True)') });
    const f = top(a, 'app/handlers.py');
    assert.equal(f.tier, 'HIGH');
    assert.match(f.message, /line 8: archive_note\(\) runs UPDATE notes SET/);
  });

  it('a changed call to a helper that only reads is no data write', async () => {
    const handler = (args: string) => L('from app.store import find_note', '', 'async def show_note(note_id: str):', `    note = await find_note(${args})`, '    return {"title": note.title}');
    const a = await run({ 'app/store.py': STORE, 'app/handlers.py': handler('note_id') }, { 'app/handlers.py': handler('note_id, archived=True') });
    assert.ok(!top(a, 'app/handlers.py').rules.includes('data-write'), JSON.stringify(top(a, 'app/handlers.py')));
    assert.notEqual(a.tier, 'HIGH');
  });

  it('a changed variable the helper write neither takes nor is guarded by is no data write', async () => {
    const handler = (label: string) =>
      L('from app.store import archive_note', '', 'async def close_note(note_id: str):', `    label = "${label}"`, '    await archive_note(note_id)', '    return {"label": label}');
    const a = await run({ 'app/store.py': STORE, 'app/handlers.py': handler('closed') }, { 'app/handlers.py': handler('archived') });
    assert.ok(!top(a, 'app/handlers.py').rules.includes('data-write'), JSON.stringify(top(a, 'app/handlers.py')));
  });

  it('TypeScript: a changed call to a repository function whose body makes a Prisma write', async () => {
    const repo = L("import { prisma } from '@prisma/client';", '', 'export async function markPaid(id: string) {', '  return prisma.invoice.update({ where: { id }, data: { paid: true } });', '}');
    const service = (amount: string) => L("import { markPaid } from './repo';", '', 'export async function settle(id: string, total: number) {', `  if (total >= ${amount}) {`, '    await markPaid(id);', '  }', '}');
    const a = await run({ 'src/repo.ts': repo, 'src/service.ts': service('0') }, { 'src/service.ts': service('1') });
    const f = top(a, 'src/service.ts');
    assert.equal(f.tier, 'HIGH', JSON.stringify(f));
    assert.match(f.message, /line 5: markPaid\(\) runs prisma\.invoice\.update\( in src\/repo\.ts/);
  });

  it('reads at most a bounded number of files for the definitions, those naming the most helpers first', () => {
    const names = new Set(['a_one', 'a_two']);
    const refs = new Map<string, string[]>([
      ['a_one', Array.from({ length: MAX_HELPER_FILES + 10 }, (_, i) => `m/f${i}.py`)],
      ['a_two', ['m/f70.py', 'm/both.py']],
    ]);
    refs.get('a_one')!.push('m/both.py');
    const files = helperFiles(names, refs, (p) => p.endsWith('.py'));
    assert.equal(files.length, MAX_HELPER_FILES);
    assert.equal(files[0], 'm/both.py');
  });

  it('a changed argument of a helper call written over several lines is a data write; a sibling of the call in the same statement is not', async () => {
    const inCall = (flag: string) => L('from app.store import archive_note', '', 'async def hide_note(note_id: str):', '    await archive_note(', '        note_id,', `        archived=${flag},`, '    )');
    const a = await run({ 'app/store.py': STORE, 'app/handlers.py': inCall('True') }, { 'app/handlers.py': inCall('False') });
    assert.match(top(a, 'app/handlers.py').message, /line 4: archive_note\(\) runs UPDATE notes SET/);
    const sibling = (title: string) =>
      // SQLAlchemy imported: the file is parsed, and the changed line's statement is the whole publish(…) call.
      L('from sqlalchemy import select', 'from app.store import archive_note', '', 'async def hide_note(note_id: str):', '    await publish(', `        title=${title},`, '        done=await archive_note(note_id),', '    )');
    const b = await run({ 'app/store.py': STORE, 'app/handlers.py': sibling('"a"') }, { 'app/handlers.py': sibling('"b"') });
    assert.ok(!top(b, 'app/handlers.py').rules.includes('data-write'), JSON.stringify(top(b, 'app/handlers.py')));
  });

  it('a map or request method with the name of a writing helper calls no helper: `request.GET.get(…)` is no `get` of the project', async () => {
    const settings = L('from django.db import models', '', 'class GlobalSettings(models.Model):', '    @classmethod', '    def get(cls):', '        instance = GlobalSettings.objects.first()', '        if not instance:', '            instance = GlobalSettings()', '            instance.save()', '        return instance');
    const feed = (key: string) => L('from app.models import GlobalSettings', '', 'def feed_args(request):', `    return {"user": request.GET.get("${key}", "")}`);
    const a = await run({ 'app/models.py': settings, 'app/feeds.py': feed('user') }, { 'app/feeds.py': feed('username') });
    assert.ok(!top(a, 'app/feeds.py').rules.includes('data-write'), JSON.stringify(top(a, 'app/feeds.py')));
  });
});
