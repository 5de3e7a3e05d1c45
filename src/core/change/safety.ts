/**
 * What keeps git from running anything a repository configures.
 *
 * A repository is untrusted input: its `.git/config` (and any file it includes) and its
 * `.gitattributes` can name programs that git runs while it diffs, hashes or greps:
 * fsmonitor hooks, external diff tools, textconv drivers, clean/smudge filters, pagers,
 * hooks, editors, signing programs, ssh commands, credential helpers. Every git call of
 * the change reader carries the overrides below on its command line (command-line `-c`
 * beats every config file) and a scrubbed environment.
 */

/** Overrides that do not depend on the repository: global switches that name a program. */
const FIXED_OVERRIDES: readonly string[] = [
  'core.fsmonitor=false',
  // The untracked cache and index refreshes are the only things a read could write.
  'core.untrackedCache=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.editor=',
  'sequence.editor=',
  'core.askPass=',
  'core.sshCommand=',
  'core.gitProxy=',
  'core.alternateRefsCommand=',
  // An empty value resets the list of helpers.
  'credential.helper=',
  'gpg.program=',
  'gpg.ssh.program=',
  'gpg.x509.program=',
  'uploadpack.packObjectsHook=',
  // No transport at all: reading a change never talks to a remote.
  'protocol.allow=never',
  'diff.external=',
  'log.showSignature=false',
  // Output shapes the parsers rely on, whatever the user's taste.
  'core.quotePath=false',
  'color.ui=never',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.relative=false',
  'diff.suppressBlankEmpty=false',
  'diff.submodule=short',
  'diff.ignoreSubmodules=dirty',
];

/** Drivers that a `.gitattributes` line such as `*.dat filter=y` would bring into play, by kind. */
export interface DriverNames {
  filter: Set<string>;
  diff: Set<string>;
  merge: Set<string>;
}

/**
 * Finds every driver defined in the effective configuration (`git config --list -z` output:
 * `key\nvalue\0` records, includes already followed). A driver without configuration runs
 * nothing, so the attributes files need not be read: these names are all there is to disable.
 */
export function driverNamesFromConfig(configList: string): DriverNames {
  const names: DriverNames = { filter: new Set(), diff: new Set(), merge: new Set() };
  for (const record of configList.split('\0')) {
    const nl = record.indexOf('\n');
    const key = nl === -1 ? record : record.slice(0, nl);
    // Section and variable names are case-insensitive, the subsection (driver name) is not.
    const first = key.indexOf('.');
    const last = key.lastIndexOf('.');
    if (first <= 0 || last === first) continue;
    const section = key.slice(0, first).toLowerCase();
    if (section === 'filter' || section === 'diff' || section === 'merge') names[section].add(key.slice(first + 1, last));
  }
  return names;
}

/** The `-c` arguments for one git call: the fixed set plus every driver of this repository switched off. */
export function overrideArgs(drivers?: DriverNames): string[] {
  const settings = [...FIXED_OVERRIDES];
  for (const name of drivers?.filter ?? []) {
    settings.push(`filter.${name}.clean=`, `filter.${name}.smudge=`, `filter.${name}.process=`, `filter.${name}.required=false`);
  }
  for (const name of drivers?.diff ?? []) settings.push(`diff.${name}.textconv=`, `diff.${name}.command=`);
  for (const name of drivers?.merge ?? []) settings.push(`merge.${name}.driver=`);
  return settings.flatMap((s) => ['-c', s]);
}

/** Variables that make git (or what it starts) run a program or read another configuration. */
const STRIPPED = /^(GIT_|PAGER$|EDITOR$|VISUAL$|SSH_ASKPASS$|PREFIX$|LESS$|LV$)/i;

/**
 * The environment of every git call: the caller's, minus everything that steers git
 * (GIT_DIR, GIT_EXTERNAL_DIFF, GIT_CONFIG_PARAMETERS, editors and pagers…), plus switches
 * that keep git from reading system config, prompting, or taking the index lock to refresh it.
 */
export function gitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!STRIPPED.test(k)) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    // Never write the index, not even the opportunistic stat refresh of `git diff`.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_ASKPASS: '',
    // Messages in English, so the few we recognise are recognised.
    LC_ALL: 'C',
    LANGUAGE: '',
  };
}
