/** The figures of the real-world evaluation, from the label and the tool's tier of each commit. */
import { TIERS, tierRank, type Tier } from '../../src/core/tier';
import type { Language } from './labels';

export interface Outcome {
  repo: string;
  commit: string;
  language: Language;
  label: Tier;
  /** The tool's tier; undefined when `analyze` failed on the commit (counted as wrong). */
  tool?: Tier;
  /** The tool's top reason (its highest finding), or why it failed. */
  reason: string;
}

export interface LanguageScore {
  scored: number;
  correct: number;
  accuracy: number;
}

export interface Score {
  scored: number;
  correct: number;
  accuracy: number;
  /** rows[label][tool], both in TIERS order (ZERO, LOW, MEDIUM, HIGH); `--json` prints that order as `tiers`. */
  confusion: number[][];
  /** HIGH labels the tool rated lower, or failed on. */
  highUnder: Outcome[];
  perLanguage: Partial<Record<Language, LanguageScore>>;
  disagreements: Outcome[];
  /** Commits `analyze` failed on: wrong, and outside the confusion matrix. */
  failures: Outcome[];
}

const ratio = (correct: number, scored: number) => (scored === 0 ? 0 : correct / scored);

export function emptyConfusion(): number[][] {
  return TIERS.map(() => TIERS.map(() => 0));
}

export function score(outcomes: readonly Outcome[]): Score {
  const confusion = emptyConfusion();
  const perLanguage: Partial<Record<Language, LanguageScore>> = {};
  const disagreements: Outcome[] = [];
  const failures: Outcome[] = [];
  const highUnder: Outcome[] = [];
  let correct = 0;
  for (const o of outcomes) {
    const lang = (perLanguage[o.language] ??= { scored: 0, correct: 0, accuracy: 0 });
    lang.scored++;
    const right = o.tool === o.label;
    if (o.tool === undefined) failures.push(o);
    else confusion[tierRank(o.label)][tierRank(o.tool)]++;
    if (right) {
      correct++;
      lang.correct++;
    } else {
      disagreements.push(o);
      if (o.label === 'HIGH') highUnder.push(o);
    }
  }
  for (const lang of Object.values(perLanguage)) lang.accuracy = ratio(lang.correct, lang.scored);
  return { scored: outcomes.length, correct, accuracy: ratio(correct, outcomes.length), confusion, highUnder, perLanguage, disagreements, failures };
}

/** The matrix as text: one row a label tier, one column a tool tier. */
export function formatConfusion(confusion: readonly number[][]): string[] {
  const width = Math.max(6, ...confusion.flat().map((n) => String(n).length));
  const cell = (s: string) => s.padStart(width);
  const lines = [`${'label \\ tool'.padEnd(12)} ${TIERS.map(cell).join(' ')}`];
  TIERS.forEach((t, i) => lines.push(`${t.padEnd(12)} ${confusion[i].map((n) => cell(String(n))).join(' ')}`));
  return lines;
}

export const percent = (x: number) => `${(100 * x).toFixed(1)} %`;
