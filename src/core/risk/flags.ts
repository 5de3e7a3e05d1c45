/**
 * Feature-flag checks: `isEnabled('x')`, `flags.x`, LaunchDarkly `variation`, Unleash `isEnabled`,
 * OpenFeature `getBooleanValue`, Flipper `enabled?(:x)` and the policy's own `flagFunctions`, and the
 * block each one guards. Code behind a flag that is OFF in production ships dark: it is the risk of
 * turning the flag on, not of deploying.
 */
import { blockEnd, elseBranch } from './blocks';
import type { Language } from './languages';
import type { ScannedLine } from './scan';

export interface FlagCheck {
  name: string;
  /** Column where the check starts in the scanned line. */
  index: number;
  /** `!isEnabled('x')`, `not …`, `unless …`: the guarded code runs while the flag is OFF. */
  negated: boolean;
}

/** A block of the new file guarded by a flag: 1-based, inclusive. */
export interface FlagRegion {
  name: string;
  /** The line of the check itself. */
  line: number;
  start: number;
  end: number;
  /** Lines inside the region that still run while the flag is OFF: an early-return guard's own body, an `else` branch. */
  live?: { start: number; end: number };
}

const FLAG_OBJECTS = 'flags|features|featureFlags|feature_flags|featureToggles|toggles|FLAGS|FEATURES|FeatureFlags';

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type FlagFinder = (code: string) => FlagCheck | undefined;

/** Compiles the flag-check shapes for the given function names (defaults plus the policy's). */
export function compileFlagFinder(functionNames: readonly string[]): FlagFinder {
  const names = [...new Set(functionNames)].sort((a, b) => b.length - a.length).map(escapeRegex);
  // name( 'key' | "key" | `key` | :symbol | CONSTANT.PATH ) — the first argument is the flag's key.
  const call = new RegExp(
    String.raw`(?<![\w$])(?:${names.join('|')})(?:\(\s*|\s+)(?:(['"\`])([^'"\`]+)\1|:([\w?!]+)|([A-Za-z_$][\w$.]*))`,
  );
  const member = new RegExp(String.raw`(?<![\w$.])(?:${FLAG_OBJECTS})(?:\??\.([A-Za-z_$][\w$]*)(?![\w$]*\s*\()|\[\s*(['"])([^'"]+)\2\s*\])`);
  const memberCall = new RegExp(String.raw`(?<![\w$.])(?:${FLAG_OBJECTS})\.[A-Za-z_$][\w$]*\(\s*(['"\`])([^'"\`]+)\1`);

  return (code) => {
    let m = call.exec(code);
    let name: string | undefined;
    if (m) name = m[2] ?? m[3] ?? m[4];
    else if ((m = memberCall.exec(code))) name = m[2];
    else if ((m = member.exec(code))) name = m[1] ?? m[3];
    if (!m || !name) return undefined;
    // The receiver (`ldClient.`, `Flipper.`) belongs to the check: negation sits before it.
    const before = code.slice(0, m.index).replace(/[\w$.]*$/, '');
    const negated = /(?:!\s*\(?\s*|\bnot\s+\(?\s*)$/.test(before) || /^\s*unless\b|\bunless\b/.test(before) || /^\s*(?:===?|!=)\s*false\b/.test(code.slice(m.index + m[0].length).replace(/^[^)]*\)/, ''));
    return { name, index: before.length, negated };
  };
}

const BLOCK_IF = /(?:^|[\s}])(?:if|elif|elsif|else\s+if)\b/g;

/**
 * The block a flag check on line `n` (0-based) guards, or undefined when the check does not guard code
 * (an assignment, a negated check, an `||` condition). `if` forms guard their block; a Ruby or Python
 * modifier (`charge! if on`), a short-circuit (`on && charge()`) or a ternary guard their own line.
 */
export function guardedRegion(lines: readonly string[], scanned: readonly ScannedLine[], n: number, check: FlagCheck, lang: Language): FlagRegion | undefined {
  if (check.negated) return undefined;
  const bare = scanned[n].bare;
  const code = scanned[n].code;
  if (/\|\||\bor\b/.test(code)) return undefined;
  let ifAt = -1;
  for (const m of code.slice(0, check.index).matchAll(BLOCK_IF)) ifAt = m.index + (m[0].length - m[0].trimStart().length);
  const single = { name: check.name, line: n + 1, start: n + 1, end: n + 1 };
  if (ifAt >= 0) {
    const startsLine = code.slice(0, ifAt).trim() === '' || /^\s*\}?\s*else\s*$/.test(code.slice(0, ifAt)) || /^\s*\}\s*$/.test(code.slice(0, ifAt));
    if (!startsLine) return single; // `x = 1 if on` (Ruby/Python modifier)
    // `bare` keeps the same columns as `code` up to the first string literal, which comes after `if`.
    const from = Math.min(ifAt, bare.length);
    const end = blockEnd(lines, scanned, n, lang, from, true);
    // An `else` branch runs while the flag is OFF: live, inside the region only so that old lines
    // re-indented into it are recognised as unchanged.
    const otherwise = elseBranch(lines, scanned, n, end, lang);
    if (!otherwise) return { name: check.name, line: n + 1, start: n + 1, end: end + 1 };
    return { name: check.name, line: n + 1, start: n + 1, end: otherwise.end + 1, live: { start: otherwise.line + 2, end: otherwise.end + 1 } };
  }
  const after = code.slice(check.index);
  if (/&&|\band\b|\?[^?.]/.test(after)) return single;
  return undefined;
}
