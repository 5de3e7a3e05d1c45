/**
 * What the status bar item shows for an analysis, as plain data: its text, the label a screen
 * reader announces, whether it asks for attention now, and its hover (Markdown whose links run
 * the extension's own commands). Free of `vscode`, so it is tested under plain node.
 */
import { irreversible } from '../../core/catalog';
import type { Assessment } from '../../core/risk/types';
import { TIERS, tierRank, type Tier } from '../../core/tier';
import { COMMANDS } from '../ids';
import { findingPlace, rankedFindings, shownLine } from '../lenses/model';

/** When the item takes the warning background: `breakingMigration` (default), any `HIGH` change, or never. */
export type WarnOn = 'breakingMigration' | 'high' | 'never';

export interface StatusModel {
  /** The item's text after its icon: "Risk: HIGH", "Risk: no changes". */
  text: string;
  /** What a screen reader says: names the extension. */
  label: string;
  tier?: Tier;
  /** Take the warning background. */
  warn: boolean;
  /** The hover, as Markdown; its links are command URIs of COMMANDS only. */
  hover: string;
}

/** Findings listed in the hover; the rest are counted ("+3 more"). */
export const HOVER_FINDINGS = 5;

/** Commands the hover may run: what its MarkdownString trusts, and nothing else. */
export const HOVER_COMMANDS: readonly string[] = [COMMANDS.openPlanAt, COMMANDS.generatePlan, COMMANDS.copyPlanMarkdown];

/** A link that runs `command` with `args`, as VS Code reads command URIs. */
export function commandLink(text: string, command: string, args?: unknown[]): string {
  const query = args ? `?${encodeURIComponent(JSON.stringify(args))}` : '';
  return `[${escapeMarkdown(text)}](command:${command}${query})`;
}

/** Text shown as is in Markdown: no emphasis, link or HTML from a message or a file name. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~-]/g, '\\$&');
}

const ACTIONS = `${commandLink('Open plan', COMMANDS.generatePlan)} · ${commandLink('Copy Markdown', COMMANDS.copyPlanMarkdown)}`;

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

export function statusFor(a: Assessment, warnOn: WarnOn = 'breakingMigration'): StatusModel {
  if (a.files.length === 0) {
    return {
      text: 'Risk: no changes',
      label: 'Rollout Lens: no changes to deploy',
      tier: a.tier,
      warn: false,
      hover: `**Rollout Lens** · no changes against ${a.base ? escapeMarkdown(a.base.slice(0, 12)) : 'the last commit'}: nothing to deploy.\n\n${commandLink('Plan for a tier…', COMMANDS.generatePlan)}`,
    };
  }
  const flags = [...a.flags].sort((x, y) => tierRank(y.tier) - tierRank(x.tier));
  const flagText = flags.length ? ` · flag ${flags[0].name}: ${flags[0].tier}${flags.length > 1 ? ` (+${flags.length - 1})` : ''}` : '';
  const ranked = rankedFindings(a);
  const byTier = TIERS.slice()
    .reverse()
    .map((t) => [t, ranked.filter((p) => p.finding.tier === t).length] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`);
  const breaking = ranked.some((p) => p.finding.rule === 'migration-breaking');
  const s = a.summary;
  const counts = `${plural(s.filesChanged, 'file')} changed, +${s.linesAdded} −${s.linesDeleted} · ${plural(ranked.length, 'finding')}${byTier.length ? ` (${byTier.join(', ')})` : ''}`;
  const items = ranked.slice(0, HOVER_FINDINGS).map(({ file, finding: f }) => {
    const mark = irreversible(f.rule) ? ' · irreversible' : '';
    const link = commandLink(findingPlace(file, f), COMMANDS.openPlanAt, [{ file, line: f.line > 0 ? shownLine(f) : 0 }]);
    return `- **${f.tier}**${mark} ${link} — ${escapeMarkdown(f.message.replace(/`/g, ''))}`;
  });
  if (ranked.length > HOVER_FINDINGS) items.push(`- ${commandLink(`+${ranked.length - HOVER_FINDINGS} more`, COMMANDS.generatePlan)}`);
  const flagLines = flags.map((fl) => `- Flag \`${escapeMarkdown(fl.name)}\` (deployed OFF): turning it on is **${fl.tier}**`);
  const hover = [
    `**Rollout Lens** · deployment risk **${a.tier}**${breaking ? ' · breaking migration: level 1 rollback cannot undo it' : ''}`,
    counts,
    [...items, ...flagLines].join('\n'),
    ACTIONS,
  ].join('\n\n');
  return {
    text: `Risk: ${a.tier}${flagText}`,
    label: `Rollout Lens: deployment risk ${a.tier}${flagText}, ${plural(ranked.length, 'finding')}${breaking ? ', a breaking migration' : ''}`,
    tier: a.tier,
    warn: warnOn === 'never' ? false : warnOn === 'high' ? a.tier === 'HIGH' : breaking,
    hover,
  };
}

/** The item in a folder with no git repository: says so, and offers the plan for a chosen tier. */
export const NO_REPOSITORY: StatusModel = {
  text: 'Risk: no git repository',
  label: 'Rollout Lens: this folder is not a git repository',
  warn: false,
  hover: `**Rollout Lens** · this folder is not a git repository, so there is no change to analyze.\n\n${commandLink('Plan for a tier…', COMMANDS.generatePlan)}`,
};
