/**
 * What the editor shows for an assessment, as plain data: code lens titles and the
 * breaking-migration diagnostics. Kept free of `vscode` so it is tested under plain node.
 */
import { irreversible, permanence } from '../../core/catalog';
import type { Assessment, FileAssessment, Finding, RuleId } from '../../core/risk/types';
import { shownLine } from '../../core/place';
import { tierRank } from '../../core/tier';

export { shownLine };

export type LensMode = 'all' | 'file' | 'off';

export interface LensModel {
  /** 1-based line the lens sits above; 1 for the file-level lens. */
  line: number;
  title: string;
  tooltip: string;
  /** The finding the plan opens at when the lens is clicked; with `kind` `removed`, where the diff opens. */
  target: { file: string; line: number };
  /** `removed`: the lens beside a removal's that opens the diff (base ↔ working tree) there. */
  kind: 'file' | 'region' | 'removed';
}


/** "removed after line 143" / "removed at the top"; '' for a finding about added lines. */
export function removalPlace(f: Finding): string {
  if (f.side !== 'removed') return '';
  if (f.after === undefined) return 'removed lines';
  return f.after === 0 ? 'removed at the top' : `removed after line ${f.after}`;
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
  const removed = removalPlace(f);
  return clip(`${f.tier} · ${removed ? `${removed}: ` : ''}${reason}${flag}`);
}

function clip(text: string): string {
  return text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text;
}

export function strongest(findings: Finding[]): Finding | undefined {
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
    target: { file: file.path, line: top ? shownLine(top) : 0 },
  };
}

function tooltipFor(findings: Finding[]): string {
  return [...findings]
    .sort((a, b) => tierRank(b.tier) - tierRank(a.tier) || shownLine(a) - shownLine(b))
    .map((f) => `${f.tier}${f.side === 'removed' ? ` (${removalPlace(f)}; line ${f.line} before the change)` : f.line > 0 ? ` (line ${f.line})` : ''}: ${f.message.replace(/`/g, '')}`)
    .join('\n');
}

const KIND_ORDER: Record<LensModel['kind'], number> = { file: 0, region: 1, removed: 2 };

/**
 * The lenses of one changed file: one at the top with the file's tier, then (mode `all`) one per
 * changed region with the strongest finding in it. A finding outside every changed range gets its
 * own lens at its line, so no reason is hidden; one about removed lines sits at the deletion point,
 * with a lens beside it that shows the removed lines in the diff.
 */
export function lensesForFile(file: FileAssessment, mode: LensMode): LensModel[] {
  if (mode === 'off') return [];
  const head = fileLens(file);
  const out: LensModel[] = [head];
  if (mode === 'file') return out;
  const wholeFile = file.findings.filter((f) => f.line <= 0);
  const placed = new Set<Finding>();
  for (const r of file.ranges) {
    const inside = file.findings.filter((f) => f.line > 0 && shownLine(f) >= r.start && shownLine(f) <= r.end);
    inside.forEach((f) => placed.add(f));
    const top = strongest(inside) ?? strongest(wholeFile);
    // A file with one finding, changed from line 1: one lens there says it all.
    if (r.start === 1 && file.findings.length === 1 && top === file.findings[0]) {
      head.title = clip(`Rollout Lens: ${findingLensTitle(top)}`);
      head.target = { file: file.path, line: top.line > 0 ? shownLine(top) : 0 };
      continue;
    }
    out.push({
      line: r.start,
      kind: 'region',
      title: top ? findingLensTitle(top) : 'ZERO · no risk rule matched these lines',
      tooltip: tooltipFor(inside.length ? inside : wholeFile) || `Lines ${r.start}–${r.end}: no risk rule matched`,
      target: { file: file.path, line: top && top.line > 0 ? shownLine(top) : r.start },
    });
    if (inside.some((f) => f.side === 'removed')) out.push(removedLens(file.path, r.start));
  }
  const stray = file.findings.filter((f) => f.line > 0 && !placed.has(f));
  const byLine = new Map<number, Finding[]>();
  for (const f of stray) byLine.set(shownLine(f), [...(byLine.get(shownLine(f)) ?? []), f]);
  for (const [line, fs] of byLine) {
    const top = strongest(fs)!;
    out.push({ line, kind: 'region', title: findingLensTitle(top), tooltip: tooltipFor(fs), target: { file: file.path, line } });
    if (fs.some((f) => f.side === 'removed')) out.push(removedLens(file.path, line));
  }
  return out.sort((a, b) => a.line - b.line || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

function removedLens(file: string, line: number): LensModel {
  return { line, kind: 'removed', title: 'Show removed lines', tooltip: 'Open the diff of this file (base ↔ working tree) at the removed lines', target: { file, line } };
}

/** The findings no rollback of the code undoes (breaking migrations, data writes), for the optional Problems-panel diagnostics. */
export function irreversibleFindings(a: Assessment): { file: string; line: number; rule: RuleId; message: string }[] {
  return a.files.flatMap((f) =>
    f.findings.filter((x) => irreversible(x.rule)).map((x) => ({ file: f.path, line: shownLine(x), rule: x.rule, message: x.message.replace(/`/g, '') })),
  );
}

export interface PlacedFinding {
  file: string;
  finding: Finding;
}

/** Every finding of the change, irreversible ones first (a breaking migration before a data write), then by tier, file and line. */
export function rankedFindings(a: Assessment): PlacedFinding[] {
  return a.files
    .flatMap((f) => f.findings.map((finding) => ({ file: f.path, finding })))
    .sort(
      (p, q) =>
        permanence(q.finding.rule) - permanence(p.finding.rule) ||
        tierRank(q.finding.tier) - tierRank(p.finding.tier) ||
        p.file.localeCompare(q.file) ||
        shownLine(p.finding) - shownLine(q.finding),
    );
}

/** "src/a.ts:12" / "src/a.ts (removed after line 4)" / "src/a.ts". */
export function findingPlace(file: string, f: Finding): string {
  if (f.side === 'removed') return `${file}:${shownLine(f)} (${removalPlace(f)})`;
  return f.line > 0 ? `${file}:${f.line}` : file;
}
