import type { ChangedFile, ChangeSet, RepoSearch } from '../change/types';
import type { Policy } from '../policy/schema';
import { maxTier, type Tier } from '../tier';
import { calledInFile, judgeFile, prepareFile, type FileContext, type PreparedFile } from './file';
import type { FunctionSpan } from './functions';
import { wiresNothing } from './paths';
import { compileContext } from './context';
import { DIALECT_TERMS, detectDialect, isMigrationFile, isSchemaSnapshot, migrationHistoryFiles, migrationHistoryTerms } from './migrations';
import { onRemovedSide } from './lines';
import { movedLines } from './moves';
import { catalogUsers, judgeManifests, manifestTerms } from './manifests';
import { folderLoads, FOLDER_LOADERS, integratedNewFiles, loadingFolder, TEMPLATE_LOAD, templateLibrary } from './references';
import { readChangedSyntax } from './parsed';
import { offSettings, withSettingReads } from './settings';
import { signalsOf } from './signals';
import { forgetEcosystems } from './rules/data-writes';
import { helperCandidates, helperFiles, writingHelpers } from './rules/write-through';
import type { Assessment, FileAssessment, Finding, FlagExposure, Signal } from './types';
import { chooseShare, sendShare, type RemoteShare } from './parallel';
import { languageOf } from './languages';

export * from './types';
/** What the planner reads of the rules' vocabulary, to suggest the metrics a change should be watched by. */
export { toWords } from './rules';
export { CACHE_WORDS, HTTP_CALLS } from './signals';

/**
 * The text of files of the repository, by path: a file of the change as it is now, any other as the
 * search reads it (the same at the base). Nothing is read when no path is asked for.
 */
export async function readRepoFiles(change: ChangeSet, search: RepoSearch, paths: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!paths.length) return out;
  const changed = new Map(change.files.map((f) => [f.path, f]));
  const rest: string[] = [];
  for (const p of new Set(paths)) {
    const f = changed.get(p);
    if (!f) rest.push(p);
    else if (f.content !== undefined) out.set(p, f.content);
  }
  if (rest.length && search.read) for (const [p, t] of await search.read(rest)) out.set(p, t);
  return out;
}

/** Places a change in the seed's risk tiers. Pure apart from the reference lookups and file reads through `search`. */
export interface AssessOptions {
  /**
   * Whether a share of a large change is judged on a second thread (see ./parallel): `auto` (the
   * default) for changes of PARALLEL_MIN_LINES changed lines or more, `always` for any, `never`.
   * The answers are the same.
   */
  parallel?: 'auto' | 'always' | 'never';
  /** Told, after a change was judged on two threads, how many files the judge thread judged. */
  onJudgedElsewhere?(files: number): void;
}

export async function assess(change: ChangeSet, policy: Policy, search: RepoSearch, options: AssessOptions = {}): Promise<Assessment> {
  const { ctx: base, ignored } = compileContext(policy);
  // Code files the judge thread may take: no migration, nothing the policy sets by path.
  const eligible = (f: ChangedFile) => !ignored(f.path) && languageOf(f.path) !== undefined && !isMigrationFile(f.path) && !base.paths.isMigrationByKeyword(f.path) && !base.forced(f.path);
  const mode = options.parallel ?? 'auto';
  const share = mode === 'never' ? undefined : chooseShare(change.files, eligible, mode === 'always' ? 0 : undefined);
  const remote = share ? sendShare(policy, change.files.filter((f) => share.has(f.path))) : undefined;
  try {
    return await assessChange(change, policy, search, base, ignored, remote ? { paths: share!, remote, told: options.onJudgedElsewhere } : undefined);
  } finally {
    remote?.drop();
    forgetEcosystems();
  }
}

async function assessChange(
  change: ChangeSet,
  policy: Policy,
  search: RepoSearch,
  base: FileContext,
  ignored: (path: string) => boolean,
  elsewhere: { paths: ReadonlySet<string>; remote: RemoteShare; told?: (files: number) => void } | undefined,
): Promise<Assessment> {
  const settings = offSettings(change.files);
  if (settings.names.size) {
    base.findFlag = withSettingReads(base.findFlag, settings.names);
    base.settingDefinitions = settings.definitions;
  }
  const prepared: PreparedFile[] = change.files.filter((f) => !ignored(f.path)).map((f) => prepareFile(f, base));
  const remotely = (p: PreparedFile) => elsewhere?.paths.has(p.file.path) === true;

  const judgedByPath = (p: PreparedFile) => base.forced(p.file.path) !== undefined;
  // One batched lookup for every module and function name the change introduces; a folder's
  // loader words once for all its new files.
  const terms = new Set<string>();
  const folders = new Set<string>();
  for (const p of prepared) {
    for (const t of p.moduleTerms ?? []) terms.add(t);
    if (p.moduleTerms && templateLibrary(p.file.path)) terms.add(TEMPLATE_LOAD);
    const loading = p.moduleTerms && !p.conventional ? loadingFolder(p.file.path) : undefined;
    if (loading && !folders.has(loading.folder)) {
      folders.add(loading.folder);
      for (const t of loading.terms) terms.add(t);
      for (const t of FOLDER_LOADERS) terms.add(t);
    }
    for (const f of p.newExports) terms.add(f.name);
    if (p.kind === 'dependencies') for (const t of manifestTerms(p.file)) terms.add(t);
  }
  // The functions the changed code calls, looked up for the helpers among them that write.
  const called = new Set<string>();
  for (const p of prepared) {
    if (p.kind === 'code' && p.file.addedLines.length && !judgedByPath(p) && !helperCandidates({ functions: p.functions, scanned: p.scanned, changed: p.file.addedLines.map((l) => l.line) }, called)) break;
  }
  for (const t of called) terms.add(t);
  // The SQL dialect is looked up only when the change holds a migration and the policy does not name it.
  const migrations = prepared.filter((p) => p.migration);
  const askDialect = migrations.length > 0 && !policy.migrations?.dialect;
  if (askDialect) for (const t of DIALECT_TERMS) terms.add(t);
  for (const p of migrations) for (const t of migrationHistoryTerms(p.file)) terms.add(t);
  // A new code file is judged by its lines only once the search has wired it in: its syntax is
  // read after the search, every other file's while it runs.
  const [refs, syntax] = await Promise.all([
    terms.size ? search.referencesTo([...terms]) : Promise.resolve(new Map<string, string[]>()),
    readChangedSyntax(prepared.filter((p) => p.moduleTerms === undefined && !judgedByPath(p) && !remotely(p)), base),
  ]);
  const kinds = new Map(prepared.map((p) => [p.file.path, p.kind]));
  const kindOf = (path: string) => kinds.get(path) ?? base.paths.kind(path);
  const counts = (path: string) => !wiresNothing(kindOf(path));
  const isCode = (path: string) => kindOf(path) === 'code';
  const manifestFiles = prepared.filter((p) => p.kind === 'dependencies').map((p) => p.file);
  // The repository files each reader asked for, read together: the earlier migrations, the build
  // files that use a catalog, the files that define the helpers the changed code calls.
  const [history, catalogTexts, helperTexts] = await Promise.all([
    readRepoFiles(change, search, migrations.flatMap((p) => migrationHistoryFiles(p.file, refs))),
    readRepoFiles(change, search, manifestFiles.flatMap((f) => catalogUsers(f, refs))),
    called.size ? readRepoFiles(change, search, helperFiles(called, refs, isCode)) : undefined,
  ]);
  base.migrations = {
    dialect: policy.migrations?.dialect ?? (askDialect ? detectDialect(refs) : undefined),
    unparsedTier: policy.migrations?.unparsed,
    migrationInChange: migrations.some((p) => !isSchemaSnapshot(p.file.path)),
    changed: change.files,
    history,
  };
  const manifests = judgeManifests(manifestFiles, refs, (path) => kindOf(path) === 'test', catalogTexts);
  const helpers = helperTexts ? writingHelpers(called, helperTexts) : undefined;
  const moves = movedLines(change.files);
  const ctx: FileContext = {
    ...base,
    manifest: (path) => manifests.get(path),
    ...(helpers?.size ? { writingHelpers: helpers } : {}),
    ...(moves.size ? { moved: (path: string) => moves.get(path) } : {}),
  };
  const newCode = prepared.filter((p) => p.moduleTerms !== undefined);
  const loaded = folderLoads(refs, isCode);
  const integrated = integratedNewFiles(
    newCode.map((p) => ({ path: p.file.path, terms: p.moduleTerms!, conventional: p.conventional || loaded(p.file.path), library: templateLibrary(p.file.path) })),
    refs,
    counts,
  );
  const unusedOf = (p: PreparedFile): FunctionSpan[] =>
    // A new code file nothing wires in is judged by that alone: its lines, used or not, are not read.
    p.moduleTerms !== undefined && !integrated.has(p.file.path)
      ? []
      : p.newExports.filter((fn) => !(refs.get(fn.name) ?? []).some((path) => path !== p.file.path && counts(path)) && !calledInFile(p, fn));
  // The judge thread's share is judged there while this thread judges the rest.
  const theirs = elsewhere ? prepared.filter(remotely) : [];
  const judgedThere = elsewhere
    ? elsewhere.remote
        .judge({
          settingNames: [...settings.names],
          settingDefinitions: new Map([...settings.definitions].filter(([path]) => elsewhere.paths.has(path))),
          writingHelpers: helpers ?? new Map(),
          moved: new Map([...moves].filter(([path]) => elsewhere.paths.has(path))),
          integrated: theirs.filter((p) => integrated.has(p.file.path)).map((p) => p.file.path),
          unused: new Map(theirs.map((p) => [p.file.path, unusedOf(p)])),
        })
        .catch(() => undefined)
    : undefined;
  const wiredSyntax = await readChangedSyntax(newCode.filter((p) => integrated.has(p.file.path) && !judgedByPath(p) && !remotely(p)), base);
  for (const p of prepared) {
    const s = syntax.get(p.file.path) ?? wiredSyntax.get(p.file.path);
    if (s) p.syntax = s;
  }

  const judgeHere = async (p: PreparedFile): Promise<{ findings: Finding[]; signals: Signal[] }> => {
    const judged = judgeFile(p, ctx, integrated.has(p.file.path), unusedOf(p));
    const findings = onRemovedSide(p.file, Array.isArray(judged) ? judged : await judged);
    return { findings, signals: p.kind === 'code' ? signalsOf(p.file.addedLines) : [] };
  };
  const judged = new Map<PreparedFile, { findings: Finding[]; signals: Signal[] }>();
  for (const p of prepared) if (!remotely(p)) judged.set(p, await judgeHere(p));
  if (elsewhere) {
    const there = await judgedThere;
    // What the thread did not judge (a migration, a manifest, or all of it when the thread failed) is judged here.
    const left = theirs.filter((p) => !there?.get(p.file.path)?.findings);
    elsewhere.told?.(theirs.length - left.length);
    const leftSyntax = await readChangedSyntax(left.filter((p) => (p.moduleTerms === undefined || integrated.has(p.file.path)) && !judgedByPath(p)), base);
    for (const p of theirs) {
      const r = there?.get(p.file.path);
      if (r?.findings) {
        judged.set(p, { findings: r.findings, signals: r.signals ?? [] });
        continue;
      }
      const s = leftSyntax.get(p.file.path);
      if (s) p.syntax = s;
      judged.set(p, await judgeHere(p));
    }
  }

  const files: FileAssessment[] = [];
  const flags = new Map<string, { tier: Tier; files: Set<string> }>();
  for (const p of prepared) {
    const { findings, signals } = judged.get(p)!;
    for (const f of findings) {
      if (!f.flag) continue;
      const e = flags.get(f.flag) ?? { tier: 'ZERO' as Tier, files: new Set<string>() };
      e.tier = maxTier(e.tier, f.tier);
      e.files.add(p.file.path);
      flags.set(f.flag, e);
    }
    const { file } = p;
    files.push({
      path: file.path,
      ...(file.oldPath !== undefined ? { oldPath: file.oldPath } : {}),
      status: file.status,
      kind: p.kind,
      tier: maxTier(...findings.filter((f) => !f.flag).map((f) => f.tier)),
      findings,
      ranges: file.ranges,
      linesAdded: file.linesAdded,
      linesDeleted: file.linesDeleted,
      ...(file.binary ? { binary: true } : {}),
      ...(file.submodule ? { submodule: true } : {}),
      ...(signals.length ? { signals } : {}),
      ...(file.note !== undefined ? { note: file.note } : {}),
    });
  }

  const partly = search.partlySearched?.() ?? [];
  const exposures: FlagExposure[] = [...flags].map(([name, e]) => ({ name, tier: e.tier, files: [...e.files].sort() })).sort((a, b) => a.name.localeCompare(b.name));
  return {
    tier: maxTier(...files.map((f) => f.tier)),
    files,
    summary: {
      filesChanged: files.length,
      linesAdded: files.reduce((s, f) => s + f.linesAdded, 0),
      linesDeleted: files.reduce((s, f) => s + f.linesDeleted, 0),
    },
    flags: exposures,
    base: change.base,
    securityHotfix: policy.securityHotfix,
    ...(partly.length ? { partlySearched: partly } : {}),
  };
}
