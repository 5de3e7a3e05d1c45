/**
 * Early-return flag guards: `if (!isEnabled('x')) return;`, `if not is_enabled("x"): return`,
 * `return unless enabled?(:x)`, `if !client.BoolVariation("x", …) { return }`. Everything after such a
 * guard, to the end of its block, runs only while the flag is ON: it is guarded exactly like the body
 * of `if (isEnabled('x')) { … }`. The guard's own body (what runs while the flag is OFF) stays live.
 */
import { blockEnd, elseBranch, enclosingEnd } from './blocks';
import type { FlagCheck, FlagRegion } from './flags';
import type { Language } from './languages';
import type { ScannedLine } from './scan';

const JUMP = /^\s*(?:return|continue|break|next|throw|raise|panic\s*\()/;
/** A jump that carries no work of its own: nothing runs on that line while the flag is OFF. */
const BARE_JUMP = /^\s*(?:return|continue|break|next)\b\s*(?:nil|None|null|undefined|false|err)?\s*;?\s*\}?\s*(?:end)?\s*$/;
// `return unless on`, `next if !on`, `raise Disabled unless on` (Ruby modifiers): the jump comes first.
const MODIFIER = /^\s*(?:return|next|break|raise|throw)\b[^#]*?\b(?:unless|if)\s*[!(\s]*$/;
const IF_START = /^\s*(?:\}\s*)?(?:if|unless)\b/;
const CLOSER = /^[\s})\];,]*(?:end)?\s*$/;

export function isBareJump(code: string): boolean {
  return BARE_JUMP.test(code);
}

/** True for a line that only closes blocks (`}`, `});`, `end`): structure, not behaviour. */
export function isCloser(code: string): boolean {
  return CLOSER.test(code);
}

/**
 * The region an early-return guard on line `n` (0-based) puts behind its flag, or undefined when the
 * check is not a negated guard that leaves its block. `live` holds the guard's own body lines.
 */
export function earlyReturnRegion(lines: readonly string[], scanned: readonly ScannedLine[], n: number, check: FlagCheck, lang: Language): FlagRegion | undefined {
  if (!check.negated) return undefined;
  const code = scanned[n].code;
  if (/\|\||&&|\b(?:or|and)\b/.test(code)) return undefined;
  const before = code.slice(0, check.index);
  let guardEnd = n;
  let live: FlagRegion['live'];
  if (MODIFIER.test(before)) {
    if (!BARE_JUMP.test(before.replace(/\b(?:unless|if)\b[\s\S]*$/, ''))) live = { start: n + 1, end: n + 1 };
  } else {
    if (!IF_START.test(before)) return undefined;
    const ifAt = before.search(/\b(?:if|unless)\b/);
    guardEnd = blockEnd(lines, scanned, n, lang, Math.min(ifAt, scanned[n].bare.length), true);
    if (guardEnd === n) {
      // One line: `if (!on) return;`, `if not on: return`, `if !on { return }`.
      const rest = restAfterCondition(scanned[n].bare, code, check.index, lang);
      if (rest === undefined || !JUMP.test(rest)) return undefined;
      if (!BARE_JUMP.test(rest)) live = { start: n + 1, end: n + 1 };
    } else {
      // `if (!on) { old } else { new }`: the else branch is what the flag turns on; the code after it is live.
      const otherwise = elseBranch(lines, scanned, n, guardEnd, lang);
      if (otherwise) return { name: check.name, line: n + 1, start: n + 1, end: otherwise.end + 1, live: { start: n + 2, end: otherwise.line } };
      let last = guardEnd;
      if (lang.block !== 'indent' && isCloser(scanned[last].code)) last--;
      while (last > n && scanned[last].code === '') last--;
      if (last <= n || !JUMP.test(scanned[last].code)) return undefined;
      live = { start: n + 2, end: last + 1 };
    }
  }
  const end = enclosingEnd(lines, scanned, guardEnd, n, lang);
  return { name: check.name, line: n + 1, start: n + 1, end: end + 1, ...(live ? { live } : {}) };
}

/** What follows the condition on a one-line guard, e.g. ` return;` or ` { return }`. */
function restAfterCondition(bare: string, code: string, from: number, lang: Language): string | undefined {
  if (lang.block === 'indent') {
    const colon = bare.lastIndexOf(':');
    return colon < 0 ? undefined : bare.slice(colon + 1);
  }
  // Skip the condition: balanced parentheses from the check on, then an optional `{`.
  let depth = 0;
  let i = from;
  for (; i < code.length; i++) {
    const ch = code[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) {
        i++;
        break;
      }
    } else if (depth === 0 && (ch === '{' || ch === ' ') && lang.id === 'go') break;
  }
  // Go has no parentheses around the condition: the body starts at `{` after the call closes.
  const tail = code.slice(i);
  const brace = lang.id === 'go' ? tail.indexOf('{') : -1;
  return (brace >= 0 ? tail.slice(brace + 1) : tail).replace(/^\s*\{/, '');
}
