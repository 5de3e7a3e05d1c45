import type { ChangeSet, RepoSearch } from '../change/types';
import { InputError } from '../errors';
import { DEFAULT_FLAG_FUNCTIONS } from '../policy/defaults';
import { POLICY_FILE } from '../policy/file';
import type { Policy } from '../policy/schema';
import { maxTier, type Tier } from '../tier';
import { calledInFile, judgeFile, prepareFile, unusedHelpers, type FileContext, type PreparedFile } from './file';
import { compileFlagFinder } from './flags';
import type { FunctionSpan } from './functions';
import { compileGlob, GlobError, type PathMatcher } from './glob';
import { compilePathClassifier, wiresNothing } from './paths';
import { DIALECT_TERMS, detectDialect, isSchemaSnapshot, migrationHistoryFiles, migrationHistoryTerms } from './migrations';
import { onRemovedSide } from './lines';
import { movedLines } from './moves';
import { catalogUsers, judgeManifests, manifestTerms } from './manifests';
import { folderLoads, FOLDER_LOADERS, integratedNewFiles, loadingFolder, TEMPLATE_LOAD, templateLibrary } from './references';
import { readChangedSyntax } from './parsed';
import { compileRules } from './rules';
import { offSettings, withSettingReads } from './settings';
import { signalsOf } from './signals';
import { forgetEcosystems } from './rules/data-writes';
import { helperCandidates, helperFiles, writingHelpers } from './rules/write-through';
import type { Assessment, FileAssessment, FlagExposure } from './types';

export * from './types';
/** What the planner reads of the rules' vocabulary, to suggest the metrics a change should be watched by. */
export { toWords } from './rules';
export { CACHE_WORDS, HTTP_CALLS } from './signals';

function globField(field: string, glob: string): PathMatcher {
  try {
    return compileGlob(glob);
  } catch (e) {
    if (e instanceof GlobError) throw new InputError(`${POLICY_FILE}: field "${field}": ${e.message} (expected a glob using **, *, ? and {a,b})`, { file: POLICY_FILE, field });
    throw e;
  }
}

function compileContext(policy: Policy): { ctx: FileContext; ignored: PathMatcher } {
  const tiers = policy.tiers.map((t, i) => ({ ...t, match: globField(`tiers.${i}.glob`, t.glob) }));
  const ignores = policy.ignore.map((g, i) => globField(`ignore.${i}`, g));
  return {
    ignored: (path) => ignores.some((m) => m(path)),
    ctx: {
      rules: compileRules(policy),
      paths: compilePathClassifier(policy),
      findFlag: compileFlagFinder([...DEFAULT_FLAG_FUNCTIONS, ...policy.flagFunctions]),
      // Flag names are the code's: a lookup of `constructor` must find the policy's entry or nothing.
      flagStates: Object.assign(Object.create(null) as Policy['flags'], policy.flags),
      forced: (path) => tiers.find((t) => t.match(path)),
    },
  };
}

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
export async function assess(change: ChangeSet, policy: Policy, search: RepoSearch): Promise<Assessment> {
  try {
    return await assessChange(change, policy, search);
  } finally {
    forgetEcosystems();
  }
}

async function assessChange(change: ChangeSet, policy: Policy, search: RepoSearch): Promise<Assessment> {
  const { ctx: base, ignored } = compileContext(policy);
  const settings = offSettings(change.files);
  if (settings.names.size) {
    base.findFlag = withSettingReads(base.findFlag, settings.names);
    base.settingDefinitions = settings.definitions;
  }
  const prepared: PreparedFile[] = change.files.filter((f) => !ignored(f.path)).map((f) => prepareFile(f, base));

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
    readChangedSyntax(prepared.filter((p) => p.moduleTerms === undefined && !judgedByPath(p)), base),
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
  const wiredSyntax = await readChangedSyntax(newCode.filter((p) => integrated.has(p.file.path) && !judgedByPath(p)), base);
  for (const p of prepared) {
    const s = syntax.get(p.file.path) ?? wiredSyntax.get(p.file.path);
    if (s) p.syntax = s;
  }

  const files: FileAssessment[] = [];
  const flags = new Map<string, { tier: Tier; files: Set<string> }>();
  for (const p of prepared) {
    const wired = integrated.has(p.file.path);
    // A new code file nothing wires in is judged by that alone: its lines, used or not, are not read.
    const unused: FunctionSpan[] =
      p.moduleTerms !== undefined && !wired
        ? []
        : p.newExports.filter((fn) => !(refs.get(fn.name) ?? []).some((path) => path !== p.file.path && counts(path)) && !calledInFile(p, fn));
    if (unused.length) unused.push(...unusedHelpers(p, unused));
    const judged = judgeFile(p, ctx, wired, unused);
    const findings = onRemovedSide(p.file, Array.isArray(judged) ? judged : await judged);
    for (const f of findings) {
      if (!f.flag) continue;
      const e = flags.get(f.flag) ?? { tier: 'ZERO' as Tier, files: new Set<string>() };
      e.tier = maxTier(e.tier, f.tier);
      e.files.add(p.file.path);
      flags.set(f.flag, e);
    }
    const { file } = p;
    const signals = p.kind === 'code' ? signalsOf(file.addedLines) : [];
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
