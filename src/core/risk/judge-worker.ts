/**
 * The judge thread (see ./parallel): prepares the files it is sent at once, then parses and judges
 * them with the context the whole change decided, exactly as the main thread would.
 */
import { parentPort } from 'node:worker_threads';
import { compileContext } from './context';
import { judgeFile, prepareFile, type FileContext, type PreparedFile } from './file';
import { onRemovedSide } from './lines';
import { decodeFile, type JudgeContext, type Judged, type WorkerReply, type WorkerRequest } from './parallel';
import { readChangedSyntax } from './parsed';
import { forgetEcosystems } from './rules/data-writes';
import { withSettingReads } from './settings';
import { signalsOf } from './signals';

interface Share {
  ctx: FileContext;
  prepared: PreparedFile[];
}

const shares = new Map<number, Share | { error: string }>();

async function judgeShare(share: Share, c: JudgeContext): Promise<Judged[]> {
  const base = share.ctx;
  if (c.settingNames.length) {
    base.findFlag = withSettingReads(base.findFlag, new Set(c.settingNames));
    base.settingDefinitions = c.settingDefinitions;
  }
  const integrated = new Set(c.integrated);
  const mine = share.prepared.filter((p) => !p.migration && p.kind !== 'dependencies');
  const byPath = (p: PreparedFile) => base.forced(p.file.path) !== undefined;
  const syntax = await readChangedSyntax(mine.filter((p) => (p.moduleTerms === undefined || integrated.has(p.file.path)) && !byPath(p)), base);
  const ctx: FileContext = {
    ...base,
    ...(c.writingHelpers.size ? { writingHelpers: c.writingHelpers } : {}),
    ...(c.moved.size ? { moved: (path: string) => c.moved.get(path) } : {}),
  };
  const out: Judged[] = share.prepared.filter((p) => !mine.includes(p)).map((p) => ({ path: p.file.path }));
  for (const p of mine) {
    const s = syntax.get(p.file.path);
    if (s) p.syntax = s;
    const judged = judgeFile(p, ctx, integrated.has(p.file.path), c.unused.get(p.file.path) ?? []);
    const findings = onRemovedSide(p.file, Array.isArray(judged) ? judged : await judged);
    out.push({ path: p.file.path, findings, signals: p.kind === 'code' ? signalsOf(p.file.addedLines) : [] });
  }
  return out;
}

parentPort?.on('message', (m: WorkerRequest) => {
  if (m.type === 'prepare') {
    try {
      const { ctx } = compileContext(m.policy);
      shares.set(m.id, { ctx, prepared: m.files.map((w) => prepareFile(decodeFile(w), ctx)) });
    } catch (e) {
      // Said when the judgement is asked for: the main thread then judges the share itself.
      shares.set(m.id, { error: e instanceof Error ? e.message : String(e) });
    } finally {
      forgetEcosystems();
    }
    return;
  }
  const share = shares.get(m.id);
  shares.delete(m.id);
  if (m.type === 'drop') return;
  const reply = (r: WorkerReply) => parentPort?.postMessage(r);
  if (!share || 'error' in share) {
    reply({ id: m.id, error: share?.error ?? 'no files were sent for this job' });
    return;
  }
  judgeShare(share, m.context).then(
    (judged) => reply({ id: m.id, judged }),
    (e: unknown) => reply({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  ).finally(forgetEcosystems);
});
