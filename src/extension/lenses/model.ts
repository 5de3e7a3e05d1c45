/**
 * What the editor shows for an assessment, as plain data: code lens titles, the status bar text
 * and the breaking-migration diagnostics. Kept free of `vscode` so it is tested under plain node.
 */
import type { Assessment, FileAssessment, Finding } from '../../core/risk/types';
import { tierRank, type Tier } from '../../core/tier';

export type LensMode = 'all' | 'file' | 'off';

export interface LensModel {
  /** 1-based line the lens sits above; 1 for the file-level lens. */
  line: number;
  title: string;
  tooltip: string;
  /** The finding the plan opens at when the lens is clicked. */
  target: { file: string; line: number };
  kind: 'file' | 'region';
}

const MAX_TITLE = 110;

/** "drops column `users.email`: breaking for running code" → "drops column users.email". */
export function headline(message: string): string {
  const plain = message.replace(/`/g, '');
  const cut = plain.search(/: |; | — /);
  return (cut > 0 ? plain.slice(0, cut) : plain).trim();
}

/** "HIGH · drops column users.email — breaking migration". */
export function findingLensTitle(f: Finding): string {
  const reason = f.short ? `${headline(f.message)} — ${f.short}` : f.message.replace(/`/g, '');
  const flag = f.flag ? ` (behind flag ${f.flag}, OFF)` : '';
  return clip(`${f.tier} · ${reason}${flag}`);
}

function clip(text: string): string {
  return text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text;
}

function strongest(findings: Finding[]): Finding | undefined {
  let best: Finding | undefined;
  for (const f of findings) if (!best || tierRank(f.tier) > tierRank(best.tier)) best = f;
  return best;
}

function fileLens(file: FileAssessment): LensModel {
  const top = strongest(file.findings);
  const count = file.findings.length;
  const what = count === 0 ? 'no risk rule matched' : `${count} finding${count === 1 ? '' : 's'}`;
  const reason = top ? ` · ${top.short ?? headline(top.message)}` : '';
  return {
    line: 1,
    kind: 'file',
    title: clip(`Rollout Lens: ${file.tier} · ${what}${reason}`),
    tooltip: tooltipFor(file.findings) || `${file.path}: ${file.status}, no risk rule matched`,
    target: { file: file.path, line: top?.line ?? 0 },
  };
}

function tooltipFor(findings: Finding[]): string {
  return [...findings]
    .sort((a, b) => tierRank(b.tier) - tierRank(a.tier) || a.line - b.line)
    .map((f) => `${f.tier}${f.line > 0 ? ` (line ${f.line})` : ''}: ${f.message.replace(/`/g, '')}`)
    .join('\n');
}

/**
 * The lenses of one changed file: one at the top with the file's tier, then (mode `all`) one per
 * changed region with the strongest finding in it. A finding outside every changed range (on a
 * deleted line, say) gets its own lens at its line, so no reason is hidden.
 */
export function lensesForFile(file: FileAssessment, mode: LensMode): LensModel[] {
  if (mode === 'off') return [];
  const out: LensModel[] = [fileLens(file)];
  if (mode === 'file') return out;
  const wholeFile = file.findings.filter((f) => f.line <= 0);
  const placed = new Set<Finding>();
  for (const r of file.ranges) {
    const inside = file.findings.filter((f) => f.line >= r.start && f.line <= r.end);
    inside.forEach((f) => placed.add(f));
    const top = strongest(inside) ?? strongest(wholeFile);
    out.push({
      line: r.start,
      kind: 'region',
      title: top ? findingLensTitle(top) : 'ZERO · no risk rule matched these lines',
      tooltip: tooltipFor(inside.length ? inside : wholeFile) || `Lines ${r.start}–${r.end}: no risk rule matched`,
      target: { file: file.path, line: top && top.line > 0 ? top.line : r.start },
    });
  }
  const stray = file.findings.filter((f) => f.line > 0 && !placed.has(f));
  const byLine = new Map<number, Finding[]>();
  for (const f of stray) byLine.set(f.line, [...(byLine.get(f.line) ?? []), f]);
  for (const [line, fs] of byLine) {
    const top = strongest(fs)!;
    out.push({ line, kind: 'region', title: findingLensTitle(top), tooltip: tooltipFor(fs), target: { file: file.path, line } });
  }
  return out.sort((a, b) => a.line - b.line || (a.kind === 'file' ? -1 : 1));
}

export interface StatusModel {
  text: string;
  tooltip: string;
  tier: Tier;
}

/** "ZERO · flag new-checkout: HIGH" when flag-guarded code is present; "HIGH" otherwise. */
export function statusFor(a: Assessment): StatusModel {
  const flags = [...a.flags].sort((x, y) => tierRank(y.tier) - tierRank(x.tier));
  const flagText = flags.length ? ` · flag ${flags[0].name}: ${flags[0].tier}${flags.length > 1 ? ` (+${flags.length - 1})` : ''}` : '';
  const reasons = a.files
    .flatMap((f) => f.findings.map((x) => ({ f, x })))
    .sort((p, q) => tierRank(q.x.tier) - tierRank(p.x.tier))
    .slice(0, 8)
    .map(({ f, x }) => `${x.tier} · ${f.path}${x.line > 0 ? `:${x.line}` : ''} — ${x.message.replace(/`/g, '')}`);
  const s = a.summary;
  const lines = [
    `Deployment risk: ${a.tier}`,
    `${s.filesChanged} file${s.filesChanged === 1 ? '' : 's'} changed, +${s.linesAdded} −${s.linesDeleted}`,
    ...reasons,
    ...flags.map((fl) => `Flag ${fl.name} (deployed OFF): turning it on is ${fl.tier}`),
    a.files.length ? 'Click to generate the rollout plan.' : 'No changes: nothing to deploy.',
  ];
  return { text: `${a.tier}${flagText}`, tooltip: lines.join('\n'), tier: a.tier };
}

/** Breaking-migration findings, for the optional Problems-panel diagnostics. */
export function breakingMigrations(a: Assessment): { file: string; line: number; message: string }[] {
  return a.files.flatMap((f) =>
    f.findings.filter((x) => x.rule === 'migration-breaking').map((x) => ({ file: f.path, line: x.line, message: x.message.replace(/`/g, '') })),
  );
}
