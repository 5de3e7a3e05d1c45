/**
 * The hand-labelled commits of the real-world evaluation: one tab-separated file a language,
 * `repo commit language tier reason`, with that header on its first line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, locate } from '../../src/core/errors';
import { isTier, TIERS, type Tier } from '../../src/core/tier';

export const LANGUAGES = ['typescript', 'javascript', 'python', 'go', 'java', 'kotlin', 'ruby'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Label {
  repo: string;
  commit: string;
  language: Language;
  tier: Tier;
  reason: string;
  /** Where the label was read, for messages: `file:line`. */
  source: string;
}

export const HEADER = ['repo', 'commit', 'language', 'tier', 'reason'] as const;

const REPO = /^[A-Za-z0-9][A-Za-z0-9_-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const COMMIT = /^[0-9a-f]{40}$/;

function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** One row, or an InputError naming the file, the line and the field that is wrong. */
function parseRow(cells: string[], file: string, line: number): Label {
  const bad = (message: string) => new InputError(locate(file, line, message), { file, line });
  if (cells.length !== HEADER.length) {
    throw bad(`expected ${HEADER.length} tab-separated fields (${HEADER.join(', ')}), found ${cells.length}`);
  }
  const [repo, commit, language, tier, reason] = cells.map((c) => c.trim());
  if (!REPO.test(repo)) throw bad(`repo: expected owner/name, found "${repo}"`);
  if (!COMMIT.test(commit)) throw bad(`commit: expected a full 40-character lower-case hex id, found "${commit}"`);
  if (!isLanguage(language)) throw bad(`language: expected one of ${LANGUAGES.join(', ')}, found "${language}"`);
  if (!isTier(tier)) throw bad(`tier: expected one of ${TIERS.join(', ')}, found "${tier}"`);
  if (reason === '') throw bad('reason: expected a one-line reason, found nothing');
  return { repo, commit, language, tier, reason, source: `${file}:${line}` };
}

/** Parses one label file's text; `file` is the name used in messages. Blank lines are skipped. */
export function parseLabels(text: string, file: string): Label[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]?.split('\t').map((c) => c.trim()) ?? [];
  if (header.join('\t') !== HEADER.join('\t')) {
    throw new InputError(locate(file, 1, `expected the header "${HEADER.join('\\t')}"`), { file, line: 1 });
  }
  const labels: Label[] = [];
  const seen = new Map<string, number>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    const label = parseRow(raw.split('\t'), file, line);
    const key = `${label.repo}@${label.commit}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InputError(locate(file, line, `commit ${label.commit} of ${label.repo} is already labelled on line ${first}`), { file, line });
    }
    seen.set(key, line);
    labels.push(label);
  });
  return labels;
}

/** Every `*.tsv` in the folder, in name order, with a commit labelled twice across files refused. */
export function loadLabelDir(dir: string): Label[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.tsv')).sort();
  } catch {
    throw new InputError(`${dir}: expected a folder of label files (*.tsv)`, { file: dir });
  }
  if (names.length === 0) throw new InputError(`${dir}: expected at least one label file (*.tsv), found none`, { file: dir });
  const all: Label[] = [];
  const where = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    for (const label of parseLabels(readFileSync(file, 'utf8'), file)) {
      const key = `${label.repo}@${label.commit}`;
      const first = where.get(key);
      if (first) throw new InputError(`${label.source}: commit ${label.commit} of ${label.repo} is already labelled at ${first}`, { file });
      where.set(key, label.source);
      all.push(label);
    }
  }
  return all;
}
