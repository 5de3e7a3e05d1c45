/**
 * What keeps git from running anything a repository configures.
 *
 * A repository is untrusted input: its `.git/config` (and any file it includes) and its
 * `.gitattributes` can name programs that git runs while it diffs, hashes or greps:
 * fsmonitor hooks, external diff tools, textconv drivers, clean/smudge filters, pagers,
 * hooks, editors, signing programs, ssh commands, credential helpers. Every git call of
 * the change reader carries the overrides below in its environment (GIT_CONFIG_COUNT /
 * GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n, which beat every config file like `-c` does) and
 * a scrubbed environment otherwise.
 *
 * The environment rather than `-c`: `-c key=value` splits at the first '=', so a driver
 * named `x=y` (legal in both `.gitattributes` and a config subsection) could never be
 * switched off on the command line, while GIT_CONFIG_KEY_n holds any key verbatim.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../errors';

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

/** One config override: the key verbatim (it may hold '=', quotes, dots, spaces) and its value. */
export type Override = readonly [key: string, value: string];

/**
 * The most drivers switched off for one read. Each costs up to four config overrides (eight environment entries), and
 * the environment of a process is bounded (about 1 MB on macOS, 2 MB on Linux, including the
 * user's own variables): 500 drivers with names of up to MAX_DRIVER_NAME bytes stay well inside
 * it, and no real repository configures more than a handful.
 */
export const MAX_DRIVERS = 500;
export const MAX_DRIVER_NAME = 200;

/** The overrides of one git call: the fixed set, every driver of this repository switched off, then the per-repository ones. */
export function overrides(drivers?: DriverNames, extra: readonly Override[] = []): Override[] {
  const out: Override[] = FIXED_OVERRIDES.map((s) => {
    const eq = s.indexOf('=');
    return [s.slice(0, eq), s.slice(eq + 1)] as const;
  });
  for (const name of drivers?.filter ?? []) {
    out.push([`filter.${name}.clean`, ''], [`filter.${name}.smudge`, ''], [`filter.${name}.process`, ''], [`filter.${name}.required`, 'false']);
  }
  // A repository's own hunk-header regex can backtrack for minutes on every line git searches back through.
  for (const name of drivers?.diff ?? []) out.push([`diff.${name}.textconv`, ''], [`diff.${name}.command`, ''], [`diff.${name}.xfuncname`, '']);
  for (const name of drivers?.merge ?? []) out.push([`merge.${name}.driver`, '']);
  return [...out, ...extra];
}

/** The overrides as git reads them from its environment (keys are never split at '='). */
export function overrideEnv(list: readonly Override[]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(list.length) };
  list.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  return env;
}

/** The `-c` form of the overrides, for a command run by hand or in a benchmark (a key with '=' cannot be carried this way). */
export function overrideArgs(drivers?: DriverNames): string[] {
  return overrides(drivers).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

/** Refuses a configuration with more drivers (or longer names) than one git call can switch off. */
export function checkDriverBudget(drivers: DriverNames, where: string): void {
  const count = drivers.filter.size + drivers.diff.size + drivers.merge.size;
  if (count > MAX_DRIVERS) {
    throw new InputError(
      `${where}: ${count} filter, diff and merge drivers are configured; at most ${MAX_DRIVERS} can be switched off for a read (expected fewer drivers, each of which names a program git would run)`,
      { file: where },
    );
  }
  for (const name of [...drivers.filter, ...drivers.diff, ...drivers.merge]) {
    if (Buffer.byteLength(name) > MAX_DRIVER_NAME) {
      throw new InputError(`${where}: a driver name of ${Buffer.byteLength(name)} bytes is configured (expected at most ${MAX_DRIVER_NAME})`, { file: where });
    }
  }
}

/** The last value of a config variable in `git config --list -z` output (variable names compared case-insensitively). */
export function lastConfigValue(configList: string, key: string): string | undefined {
  let found: string | undefined;
  const wanted = key.toLowerCase();
  for (const record of configList.split('\0')) {
    const nl = record.indexOf('\n');
    const k = nl === -1 ? record : record.slice(0, nl);
    if (k.toLowerCase() === wanted) found = nl === -1 ? '' : record.slice(nl + 1);
  }
  return found;
}

/**
 * Files git opens by a path taken from configuration. A FIFO there blocks git forever and a
 * device such as /dev/zero feeds it without end, so a route that does not end at a regular
 * file is pointed at /dev/null for the read; a missing file is what git expects anyway.
 * Unset, they default to files under $XDG_CONFIG_HOME (or ~/.config)/git.
 */
export async function routeOverrides(configList: string, root: string, env: NodeJS.ProcessEnv = process.env): Promise<Override[]> {
  const xdg = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  const routes: [string, string][] = [
    ['core.excludesFile', lastConfigValue(configList, 'core.excludesFile') ?? path.join(xdg, 'git', 'ignore')],
    ['core.attributesFile', lastConfigValue(configList, 'core.attributesFile') ?? path.join(xdg, 'git', 'attributes')],
  ];
  const out: Override[] = [];
  for (const [key, value] of routes) {
    if (value === '') continue;
    const file = expandHome(value, env);
    const kind = await fileKind(path.resolve(root, file));
    if (kind !== 'file' && kind !== 'missing') out.push([key, '/dev/null']);
  }
  return out;
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  if (p === '~' || p.startsWith('~/')) return path.join(env.HOME || os.homedir(), p.slice(1));
  return p;
}

export type FileKind = 'file' | 'missing' | 'directory' | 'fifo' | 'device' | 'socket' | 'other';

/** What a path ends at, symlinks followed (git follows them for these routes too). */
export async function fileKind(abs: string): Promise<FileKind> {
  try {
    const st = await stat(abs);
    if (st.isFile()) return 'file';
    if (st.isDirectory()) return 'directory';
    if (st.isFIFO()) return 'fifo';
    if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
    if (st.isSocket()) return 'socket';
    return 'other';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'missing' : 'other';
  }
}

/** Variables that make git (or what it starts) run a program or read another configuration. */
const STRIPPED = /^(GIT_|PAGER$|EDITOR$|VISUAL$|SSH_ASKPASS$|PREFIX$|LESS$|LV$)/i;

/**
 * The environment of every git call: the caller's, minus everything that steers git
 * (GIT_DIR, GIT_EXTERNAL_DIFF, GIT_CONFIG_PARAMETERS, editors and pagers…), plus switches
 * that keep git from reading system config, prompting, or taking the index lock to refresh it.
 */
export function gitEnv(base: NodeJS.ProcessEnv = process.env, configOverrides: readonly Override[] = overrides()): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!STRIPPED.test(k)) env[k] = v;
  return {
    ...env,
    ...overrideEnv(configOverrides),
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

/** Files that are not regular but are opened like one: git blocks on a FIFO and reads a device without end. */
const STALLING: ReadonlySet<FileKind> = new Set(['fifo', 'device', 'socket']);
const KIND_NAME: Partial<Record<FileKind, string>> = { fifo: 'FIFO', device: 'device', socket: 'socket' };

export interface StallingFile {
  file: string;
  kind: string;
}

/** Where the repository's own git files live, found without running git (which may be what hangs). */
export async function findGitDir(from: string): Promise<{ top: string; gitDir: string; commonDir: string } | undefined> {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    const kind = await fileKind(dotGit);
    // A FIFO or device named .git is returned too, so that it is reported rather than opened.
    if (kind === 'directory' || STALLING.has(kind)) return { top: dir, gitDir: dotGit, commonDir: dotGit };
    if (kind === 'file') {
      const text = await readSmall(dotGit);
      const m = /^gitdir: (.+)$/m.exec(text ?? '');
      if (m) {
        const gitDir = path.resolve(dir, m[1]);
        const common = (await readSmall(path.join(gitDir, 'commondir')))?.trim();
        return { top: dir, gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function readSmall(file: string): Promise<string | undefined> {
  if ((await fileKind(file)) !== 'file') return undefined;
  const buf = await readFile(file);
  return buf.length > 1024 * 1024 ? undefined : buf.toString('utf8');
}

/**
 * The files git opens in and around a repository before it reads the working tree: its
 * configuration and every file it includes (include.path, includeIf.*.path),
 * .git/info/exclude and attributes, HEAD and the index. (core.excludesFile and
 * core.attributesFile are not among them: routeOverrides points those elsewhere instead.)
 */
export async function repositoryFiles(gitDir: string, commonDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const home = env.HOME || os.homedir();
  const xdg = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const configs = [path.join(commonDir, 'config'), path.join(gitDir, 'config.worktree'), path.join(home, '.gitconfig'), path.join(xdg, 'git', 'config')];
  const files = new Set<string>([
    gitDir,
    path.join(gitDir, 'commondir'),
    path.join(gitDir, 'HEAD'),
    path.join(gitDir, 'index'),
    path.join(gitDir, 'info', 'sparse-checkout'),
    path.join(commonDir, 'packed-refs'),
    path.join(commonDir, 'objects', 'info', 'alternates'),
    path.join(commonDir, 'info', 'exclude'),
    path.join(commonDir, 'info', 'attributes'),
  ]);
  // The branch HEAD names, as a loose ref.
  const head = /^ref: (refs\/[^\n]+)$/m.exec((await readSmall(path.join(gitDir, 'HEAD'))) ?? '');
  if (head && !head[1].split('/').includes('..')) files.add(path.join(commonDir, head[1]));
  const queue = [...configs];
  // Includes can chain; git stops at a depth of 10 as well.
  for (let i = 0; i < queue.length && i < 64; i++) {
    const config = queue[i];
    files.add(config);
    const text = await readSmall(config);
    if (text === undefined) continue;
    // `path = x` on its own line or after its section header on the same line.
    for (const m of text.matchAll(/^\s*(?:\[[^\]\n]*\]\s*)?path\s*=\s*(.*?)\s*$/gim)) {
      const value = m[1].replace(/^"(.*)"$/, '$1');
      if (value !== '') queue.push(path.resolve(path.dirname(config), expandHome(value, env)));
    }
  }
  return [...files];
}

/** The first of these files that is a FIFO, a device or a socket. */
export async function firstStalling(files: readonly string[]): Promise<StallingFile | undefined> {
  for (const file of files) {
    // The one device a configuration may rightly name: it reads as empty.
    if (file === '/dev/null') continue;
    const kind = await fileKind(file);
    if (STALLING.has(kind)) return { file, kind: KIND_NAME[kind] ?? kind };
  }
  return undefined;
}

/** Entries looked at when searching the working tree for a stalling .gitignore or .gitattributes. */
const WALK_LIMIT = 100_000;

/**
 * After git was stopped: the file it most likely waited on, if one can be found cheaply. The
 * repository's own files first, then a .gitignore or .gitattributes in any folder of the
 * working tree (within WALK_LIMIT entries), then any other FIFO or device in it.
 */
export async function findStallingFile(cwd: string): Promise<StallingFile | undefined> {
  const repo = await findGitDir(cwd);
  if (!repo) return undefined;
  const own = await firstStalling(await repositoryFiles(repo.gitDir, repo.commonDir));
  if (own) return own;
  let seen = 0;
  let other: StallingFile | undefined;
  const queue = [repo.top];
  while (queue.length && seen < WALK_LIMIT) {
    const dir = queue.shift() as string;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      seen++;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git') queue.push(abs);
        continue;
      }
      const kind: FileKind | undefined = e.isFIFO() ? 'fifo' : e.isCharacterDevice() || e.isBlockDevice() ? 'device' : undefined;
      if (!kind) continue;
      const found = { file: abs, kind: KIND_NAME[kind] ?? kind };
      if (e.name === '.gitignore' || e.name === '.gitattributes') return found;
      other ??= found;
    }
  }
  return other;
}
