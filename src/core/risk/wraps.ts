/**
 * Which changed lines sit behind a flag that ships OFF, and which existing lines a new flag check wraps.
 *
 * Wrapping existing code in a new check (`if (isEnabled('x')) {` … `}` around lines that were already
 * there, re-indented or not), or putting a new early-return guard before them, is not new behaviour in
 * those lines. But the new flag deploys OFF, so deploying the change stops that code from running: it
 * is a live behaviour change at deploy time, as risky as deleting the code. It therefore counts for the
 * deploy tier, with the tier the wrapped code's own rules give (a wrapped charge is HIGH, plain code
 * MEDIUM), as one finding on the guard line. Turning the flag on later only brings the old code back,
 * so the wrapped lines add nothing to the flag's own exposure.
 */
import type { ChangedLine } from '../change/types';
import { maxTier, type Tier } from '../tier';
import type { FlagRegion } from './flags';
import type { FunctionSpan } from './functions';
import { isBareJump, isCloser } from './guards';
import type { LineContext, LineInput } from './lines';
import { wrapText } from './messages';
import type { ContentRuleId, RuleHit } from './rules';
import type { ScannedLine } from './scan';
import type { Finding } from './types';

export interface OffRegion extends FlagRegion {
  /** The guard is new and so is its flag: code that existed inside it is switched off by this change. */
  fresh: boolean;
}

export interface Placement {
  /** Added lines that are new code behind an OFF flag. */
  flagAt: Map<number, OffRegion>;
  /** Added lines re-indented into a new guard (new line numbers). */
  moved: Set<number>;
  /** Their removed counterparts (indices into the file's removed lines). */
  movedRemoved: Set<number>;
  /** Existing lines a new guard switches off, with the innermost such guard. */
  wrappedAt: Map<number, OffRegion>;
  /** Removed lines (indices) that sat inside a flag that was already OFF: they never ran in production. */
  removedFlag: Map<number, OffRegion>;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * Lines of the region that run while the flag is OFF (an early-return guard's body, an `else` branch):
 * live code. A bare jump or a closing brace there only shapes the flag's block.
 */
function runsWhileOff(r: FlagRegion, l: number, code: string): boolean {
  return !!r.live && l >= r.live.start && l <= r.live.end && !isBareJump(code) && !isCloser(code);
}

export function placeLines(regions: readonly OffRegion[], scanned: readonly ScannedLine[], added: ReadonlySet<number>, removed: readonly ChangedLine[], removedScan: readonly ScannedLine[]): Placement {
  const p: Placement = { flagAt: new Map(), moved: new Set(), movedRemoved: new Set(), wrappedAt: new Map(), removedFlag: new Map() };
  if (!regions.length) return p;
  let pool: Map<string, number[]> | undefined;
  const takeRemoved = (code: string): boolean => {
    if (!pool) {
      pool = new Map();
      for (let i = removed.length - 1; i >= 0; i--) {
        const c = removedScan[i].code;
        if (!c) continue;
        const k = squash(c);
        const list = pool.get(k);
        if (list) list.push(i);
        else pool.set(k, [i]);
      }
    }
    const i = pool.get(squash(code))?.pop();
    if (i === undefined) return false;
    p.movedRemoved.add(i);
    return true;
  };
  const sorted = [...regions].sort((a, b) => a.start - b.start);
  // An old line found again where it still runs while the flag is OFF is unchanged there; match those
  // first, so that a copy of it in the flag's new path counts as new code, not as code switched off.
  for (const r of sorted) {
    if (!r.fresh || !r.live || !removed.length) continue;
    for (let l = r.live.start; l <= r.live.end; l++) {
      const code = scanned[l - 1]?.code ?? '';
      if (code !== '' && added.has(l) && runsWhileOff(r, l, code) && takeRemoved(code)) p.moved.add(l);
    }
  }
  // In order of their start, so a nested region is written after (over) the one around it.
  for (const r of sorted) {
    for (let l = r.start; l <= r.end; l++) {
      const code = scanned[l - 1]?.code ?? '';
      if (code === '') continue;
      const isAdded = added.has(l);
      if (!r.fresh) {
        // An existing guard: only the lines this change adds inside it are new.
        if (isAdded && !runsWhileOff(r, l, code)) p.flagAt.set(l, r);
        continue;
      }
      let isMoved = p.moved.has(l);
      if (!isMoved && isAdded && removed.length && l !== r.line && !isCloser(code) && takeRemoved(code)) {
        isMoved = true;
        p.moved.add(l);
      }
      if (runsWhileOff(r, l, code)) continue;
      if (isAdded && !isMoved) p.flagAt.set(l, r);
      else if (l !== r.line && !isCloser(code)) p.wrappedAt.set(l, r);
    }
  }
  const known = regions.filter((r) => !r.fresh);
  if (known.length) {
    newPositions(removed, [...added].sort((a, b) => a - b)).forEach((pos, i) => {
      let inside: OffRegion | undefined;
      for (const r of known) if (pos > r.start && pos <= r.end && (!inside || r.start >= inside.start)) inside = r;
      if (inside) p.removedFlag.set(i, inside);
    });
  }
  return p;
}

/**
 * Where each removed line sat in the new file: the new line number it came before. A context line at
 * old number o is at new number o - (removed before it) + (added before it); in a hunk, removed lines
 * precede the added ones.
 */
function newPositions(removed: readonly ChangedLine[], added: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  removed.forEach((l, r) => {
    while (j < added.length && added[j] < l.line - r + j) j++;
    out.push(l.line - r + j);
  });
  return out;
}

export function groupWrapped(wrappedAt: ReadonlyMap<number, OffRegion>): Map<OffRegion, number[]> {
  const out = new Map<OffRegion, number[]>();
  for (const [l, r] of wrappedAt) {
    const list = out.get(r);
    if (list) list.push(l);
    else out.set(r, [l]);
  }
  return out;
}

/** The one deploy finding of a new guard that switches existing lines off: the tier of what they do. */
export function wrapFinding(r: OffRegion, at: readonly number[], input: LineInput, ctx: LineContext, pathHit: RuleHit | undefined, fnAt: Int32Array | undefined): Finding {
  const { lines, scanned, lang, functions } = input;
  let tier: Tier = 'MEDIUM';
  let rule: ContentRuleId | undefined;
  let category: string | undefined;
  let term: string | undefined;
  const consider = (h: RuleHit | undefined) => {
    if (!h || (rule && maxTier(tier, h.tier) === tier)) return;
    tier = maxTier(tier, h.tier);
    rule = h.rule;
    term = h.term;
    category = h.rule === 'auth' ? ctx.rules.authCategory(h.term) : undefined;
  };
  const sorted = [...at].sort((a, b) => a - b);
  for (const l of sorted) {
    for (const h of ctx.rules.match(scanned[l - 1].code, lang.id)) consider(h);
    const i = fnAt ? fnAt[l] : -1;
    const fn: FunctionSpan | undefined = i >= 0 ? functions[i] : undefined;
    if (fn) consider(ctx.rules.contextOf(fn.name, 'function'));
  }
  consider(pathHit);
  const first = lines[sorted[0] - 1].trim();
  const t = wrapText(rule, category, first, sorted.length, r.name);
  const subject = term !== undefined ? { subject: { term, ...(category !== undefined ? { category } : {}) } } : {};
  return { rule: 'flag-wrap', tier, line: r.line, message: t.message, short: t.short, quote: first.length > 120 ? `${first.slice(0, 119)}…` : first, ...subject };
}
