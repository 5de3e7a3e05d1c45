/**
 * The "Rollout Risk" view of the Source Control sidebar, as plain data: the changed files grouped
 * by tier (strongest first), each with its findings. Free of `vscode`, so it is tested under plain node.
 */
import { irreversible, permanence } from '../../core/catalog';
import type { Assessment, Finding } from '../../core/risk/types';
import { TIERS, type Tier } from '../../core/tier';
import type { AnalysisState } from '../analysisRunner';
import { headline, removalPlace, shownLine } from '../lenses/model';
import { withRoot } from '../workspace/model';

export interface FindingNode {
  kind: 'finding';
  label: string;
  /** "line 12", "removed after line 4", or '' for the whole file. */
  description: string;
  tooltip: string;
  irreversible: boolean;
  /** Where the plan opens (and the file, for "line 0" the file's top); `root` when the workspace holds several repositories. */
  target: { file: string; line: number; root?: string };
}

export interface FileNode {
  kind: 'file';
  path: string;
  /** The repository's top level, in a workspace of several. */
  root?: string;
  tier: Tier;
  /** "3 findings · +12 −4" */
  description: string;
  findings: FindingNode[];
}

export interface TierNode {
  kind: 'tier';
  tier: Tier;
  /** "2 files" */
  description: string;
  files: FileNode[];
}

/** One repository of a workspace that holds several: its tier (or why there is none) and its tree. */
export interface RepositoryNode {
  kind: 'repository';
  name: string;
  root: string;
  /** "HIGH · 3 files", or what stands in for the tree. */
  description: string;
  tiers: TierNode[];
}

export type RiskNode = RepositoryNode | TierNode | FileNode | FindingNode;

function findingNode(file: string, f: Finding, root: string | undefined): FindingNode {
  const removed = removalPlace(f);
  return {
    kind: 'finding',
    // The tier is the group's; the place is the description.
    label: f.short ? `${headline(f.message)} — ${f.short}` : f.message.replace(/`/g, ''),
    description: removed || (f.line > 0 ? `line ${f.line}` : ''),
    tooltip: `${f.tier}${irreversible(f.rule) ? ' · irreversible' : ''}: ${f.message.replace(/`/g, '')}`,
    irreversible: irreversible(f.rule),
    target: withRoot({ file, line: f.line > 0 ? shownLine(f) : 0 }, root),
  };
}

/**
 * Tiers with at least one changed file, strongest first; in each, files by name; in each file,
 * irreversible findings first. `root`: the repository, named in every node of a workspace of several.
 */
export function riskTree(a: Assessment, root?: string): TierNode[] {
  return [...TIERS]
    .reverse()
    .map((tier): TierNode => {
      const files = a.files
        .filter((f) => f.tier === tier)
        .sort((x, y) => x.path.localeCompare(y.path))
        .map((f): FileNode => {
          const findings = [...f.findings]
            .sort((p, q) => permanence(q.rule) - permanence(p.rule) || TIERS.indexOf(q.tier) - TIERS.indexOf(p.tier) || shownLine(p) - shownLine(q))
            .map((x) => findingNode(f.path, x, root));
          const n = findings.length;
          return { kind: 'file', path: f.path, ...(root !== undefined ? { root } : {}), tier, description: `${n === 0 ? 'no finding' : `${n} finding${n === 1 ? '' : 's'}`} · +${f.linesAdded} −${f.linesDeleted}`, findings };
        });
      return { kind: 'tier', tier, description: `${files.length} file${files.length === 1 ? '' : 's'}`, files };
    })
    .filter((t) => t.files.length > 0);
}

/** What the view says instead of a tree, or undefined when it shows one. */
export function treeMessage(state: AnalysisState): string | undefined {
  switch (state.kind) {
    case 'ready':
      return state.result.assessment.files.length ? undefined : 'No changes against the last commit: nothing to deploy.';
    case 'restricted':
      return 'This workspace is not trusted: Rollout Lens runs no git here.';
    case 'no-repository':
      return 'This folder is not a git repository: there is no change to analyze.';
    case 'error':
      return state.message;
    case 'idle':
      return 'Analyzing the change…';
  }
}

/** The tree of a workspace of several repositories: one node per repository, in workspace order. */
export function repositoryNodes(repositories: readonly { name: string; root: string; state: AnalysisState }[]): RepositoryNode[] {
  return repositories.map(({ name, root, state }) => {
    if (state.kind !== 'ready') return { kind: 'repository', name, root, description: treeMessage(state) ?? '', tiers: [] };
    const a = state.result.assessment;
    const files = a.files.length;
    return {
      kind: 'repository',
      name,
      root: state.result.root,
      description: files ? `${a.tier} · ${files} file${files === 1 ? '' : 's'}` : 'no changes',
      tiers: riskTree(a, state.result.root),
    };
  });
}
