/**
 * What the status bar item shows for an analysis, as plain data: its text, the label a screen
 * reader announces, whether it asks for attention now, and its hover (Markdown whose links run
 * the extension's own commands). Free of `vscode`, so it is tested under plain node.
 */
import { irreversible } from '../../core/catalog';
import type { Assessment } from '../../core/risk/types';
import { TIERS, tierRank, type Tier } from '../../core/tier';
import type { AnalysisState } from '../analysisRunner';
import { COMMANDS } from '../ids';
import { findingPlace, rankedFindings, shownLine } from '../lenses/model';
import { highestTier, tierOrNote, type RepositoryTier } from '../workspace/model';

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
  /** The hover is plain text, not Markdown. */
  plain?: boolean;
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

/**
 * `root`, when given, goes with every finding link, so that in a workspace of several repositories
 * the plan opens for the repository the finding is in.
 */
export function statusFor(a: Assessment, warnOn: WarnOn = 'breakingMigration', root?: string): StatusModel {
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
    const link = commandLink(findingPlace(file, f), COMMANDS.openPlanAt, [{ file, line: f.line > 0 ? shownLine(f) : 0, ...(root !== undefined ? { root } : {}) }]);
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

export const RESTRICTED_TEXT = 'Rollout Lens: restricted (untrusted workspace)';

/** What the item shows for any state of an analysis; `root` goes with the finding links as in `statusFor`. */
export function stateStatus(state: AnalysisState, warnOn: WarnOn, root?: string): StatusModel {
  switch (state.kind) {
    case 'restricted':
      return {
        text: RESTRICTED_TEXT,
        label: RESTRICTED_TEXT,
        warn: false,
        plain: true,
        hover: 'This workspace is not trusted: Rollout Lens runs no git here. The plan for a chosen tier and the simulator still work. Click to plan for a tier.',
      };
    case 'ready':
      return statusFor(state.result.assessment, warnOn, root);
    case 'no-repository':
      return NO_REPOSITORY;
    case 'error':
      return { text: 'Rollout Lens', label: `Rollout Lens: ${state.message}`, warn: false, plain: true, hover: `${state.message}\nClick to plan for a chosen tier; see "Rollout Lens: Show Log".` };
    case 'idle':
      return { text: 'Rollout Lens', label: 'Rollout Lens: analyzing the change', warn: false, plain: true, hover: 'Analyzing the change…' };
  }
}

/** The item's icon for a state: a warning sign for a failed analysis, the shield otherwise. */
export function stateIcon(state: AnalysisState): 'warning' | 'shield' {
  return state.kind === 'error' ? 'warning' : 'shield';
}

/**
 * The item for the active editor's repository (`shown`, at `activeRoot`) in a workspace of several
 * repositories: its text names that repository, and the hover and the label add the highest tier
 * across them, with every repository and its tier. With one repository, `shown` as it is.
 */
export function acrossRepositories(shown: StatusModel, repositories: readonly RepositoryTier[], activeRoot: string | undefined): StatusModel {
  if (repositories.length < 2) return shown;
  const active = repositories.find((r) => r.root === activeRoot);
  const top = highestTier(repositories);
  const lines = repositories.map((r) => `- **${escapeMarkdown(r.name)}**: ${r.tier ? `**${r.tier}**` : escapeMarkdown(tierOrNote(r))}${r === active ? ' (this editor)' : ''}`);
  const heading = top ? `**Highest across ${repositories.length} repositories** · **${top.tier}** in ${escapeMarkdown(top.name)}` : `**${repositories.length} repositories**: none analyzed yet`;
  const own = shown.plain ? escapeMarkdown(shown.hover).replace(/\n/g, '\n\n') : shown.hover;
  // The actions stay last, under the repositories.
  const tail = `\n\n${ACTIONS}`;
  const body = own.endsWith(tail) ? own.slice(0, -tail.length) : own;
  return {
    ...shown,
    text: active ? `${shown.text} · ${active.name}` : shown.text,
    label: `${shown.label}${active ? ` in ${active.name}` : ''}; ${top ? `highest across ${repositories.length} repositories: ${top.tier} in ${top.name}` : `${repositories.length} repositories, none analyzed yet`}`,
    hover: [body, heading, lines.join('\n'), ...(body !== own ? [ACTIONS] : [])].join('\n\n'),
    plain: false,
  };
}
