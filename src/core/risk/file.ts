/**
 * One changed file: what it is (from its path and status), what to ask the repository about it (is
 * it referenced? are its new functions called?), and then its findings.
 */
import type { ChangedFile } from '../change/types';
import type { Tier } from '../tier';
import { blockEnd } from './blocks';
import { findClasses, findFunctions, isExportListEntry, shorthandName, type FunctionSpan } from './functions';
import { CONFIG_LANGUAGE, languageOf, TEXT_LANGUAGE, type Language } from './languages';
import { judgeLines, type LineContext } from './lines';
import { analyzeMigration, isMigrationFile, type MigrationOptions } from './migrations';
import type { LineReader } from './parsed';
import type { PathClassifier, PathKind } from './paths';
import { withoutMoved, type MovedLines } from './moves';
import { moduleTerms, wiredByConvention } from './references';
import { authSettingsOf, authSubclassOf } from './rules/auth-settings';
import { dataWriteReader, type SideText, type WriteHit } from './rules/data-writes';
import { helperCalls, writeThrough, type WritingHelper } from './rules/write-through';
import { scanLines, type ScannedLine } from './scan';
import { oldText } from './syntax/old';
import type { Finding, RuleId } from './types';

export interface FileContext extends LineContext {
  paths: PathClassifier;
  /** The policy's `tiers` entry forcing this path, if any. */
  forced(path: string): { tier: Tier; glob: string; reason?: string } | undefined;
  /** How migrations are read: the project's SQL dialect, the policy's tier for what does not parse, whether the change holds a migration. */
  migrations?: MigrationOptions;
  /** The findings of a dependency manifest or lockfile, when its format was read (see ./manifests). */
  manifest?(path: string): Finding[] | undefined;
  /** The repository's helpers that write, by name, among those the changed functions call (see rules/write-through). */
  writingHelpers?: ReadonlyMap<string, WritingHelper>;
  /** Lines of the file that moved unchanged from or to another file of the change (see ./moves). */
  moved?(path: string): MovedLines | undefined;
}

export interface PreparedFile {
  file: ChangedFile;
  kind: PathKind;
  lang?: Language;
  lines: string[];
  scanned: ScannedLine[];
  functions: FunctionSpan[];
  /** New exported functions: integrated only if something calls them. */
  newExports: FunctionSpan[];
  /** New functions only this file can call: not integrated while only new code nothing calls calls them. */
  newPrivate?: FunctionSpan[];
  /** For a new code file: the words that would reach it from elsewhere. */
  moduleTerms?: string[];
  conventional: boolean;
  /** A migration by its path (the migration analyzer's formats) or by the policy's `keywords.migration`. */
  migration: boolean;
  migrationByKeyword: boolean;
  /** The lines on which each plain-identifier new export is mentioned, once asked (see mentionsOf). */
  mentions?: Map<string, number[]>;
  /** The changed lines' syntax, when a rule needs the file parsed. */
  syntax?: LineReader;
}

function isNew(file: ChangedFile): boolean {
  return file.status === 'added' || file.status === 'untracked';
}

export function prepareFile(file: ChangedFile, ctx: FileContext): PreparedFile {
  const kind = ctx.paths.kind(file.path, file.content);
  const migrationByKeyword = ctx.paths.isMigrationByKeyword(file.path);
  const migration = isMigrationFile(file.path) || migrationByKeyword;
  const prepared: PreparedFile = { file, kind, lines: [], scanned: [], functions: [], newExports: [], conventional: false, migration, migrationByKeyword };
  if (file.binary || file.submodule) return prepared;
  const lang = kind === 'code' ? languageOf(file.path) : kind === 'text' ? TEXT_LANGUAGE : CONFIG_LANGUAGE;
  prepared.lang = lang;
  if (file.content === undefined || !['code', 'text', 'config'].includes(kind) || !lang) return prepared;
  prepared.lines = file.content.split('\n');
  prepared.scanned = scanLines(prepared.lines, lang);
  if (kind !== 'code') return prepared;
  prepared.functions = findFunctions(prepared.lines, prepared.scanned, lang);
  // Line numbers as a table: the same answers as a set, without hashing every added line.
  const added = new Uint8Array(prepared.lines.length + 2);
  for (const l of file.addedLines) if (l.line < added.length) added[l.line] = 1;
  const removedWords = new Set<string>();
  for (const l of file.removedLines) for (const w of l.text.match(WORD) ?? []) removedWords.add(w);
  const returned = lang.id === 'js' ? returnedByName(prepared.scanned, file.addedLines) : undefined;
  // Classes in a file loaded by convention (a Django models.py, a Spring component) are registered as they load.
  const classes = findClasses(prepared.lines, prepared.scanned, lang);
  const declared = classes.length && !wiredByConvention(file.path, file.content) ? [...prepared.functions, ...classes] : [...prepared.functions];
  // A value a factory hands out by name (`const insertUser = buildInsert(pool)(Users);` … `return { insertUser }`) is declared there too.
  if (returned?.size) declared.push(...returnedValues(prepared.lines, prepared.scanned, lang, returned, prepared.functions));
  const reachable = (f: FunctionSpan) =>
    f.exported || (lang.id === 'go' && goPackageFunction(prepared.scanned[f.start - 1]?.code ?? '', f.name)) || (returned?.has(f.name) ?? false);
  const wholeNew = declared.filter((f) => {
    if (!added[f.start]) return false;
    // An edited declaration shows as removed and added again: the function is not new.
    if (removedWords.has(f.name)) return false;
    // A decorated or annotated function (`@GetMapping`, `@app.route`) is called by its framework,
    // except a template filter or tag, which templates call by its name (`{{ value|deltasince }}`).
    const decorator = prepared.scanned[f.start - 2]?.code ?? '';
    if (/^\s*@/.test(decorator) && !TEMPLATE_REGISTRATION.test(decorator)) return false;
    for (let l = f.start; l <= f.end; l++) if (!added[l] && prepared.scanned[l - 1]?.code) return false;
    return true;
  });
  prepared.newExports = wholeNew.filter(reachable);
  prepared.newPrivate = wholeNew.filter((f) => !reachable(f) && f.kind !== 'class');
  if (isNew(file)) {
    prepared.moduleTerms = moduleTerms(file.path, lang.id, file.content);
    prepared.conventional = migration || wiredByConvention(file.path, file.content);
  }
  return prepared;
}

/**
 * The names a JavaScript factory hands out under their own names on added lines of the object it
 * returns (`return {` … `  findUser,`): callers reach them through that object, so the search
 * answers for them as for exports.
 */
function returnedByName(scanned: readonly ScannedLine[], addedLines: ChangedFile['addedLines']): Set<string> {
  const out = new Set<string>();
  for (const l of addedLines) {
    const name = shorthandName(scanned[l.line - 1]?.code ?? '');
    if (name && isExportListEntry(scanned, l.line, name, 'js')) out.add(name);
  }
  return out;
}

/** The statements that declare, as a plain value, a name the factory returns: `const insertUser = buildInsert(pool)(Users);`. */
function returnedValues(lines: readonly string[], scanned: readonly ScannedLine[], lang: Language, names: ReadonlySet<string>, functions: readonly FunctionSpan[]): FunctionSpan[] {
  const out: FunctionSpan[] = [];
  const known = new Set(functions.map((f) => f.name));
  for (let n = 0; n < scanned.length; n++) {
    const m = /^\s+(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=/.exec(scanned[n]!.code);
    if (!m || !names.has(m[1]!) || known.has(m[1]!)) continue;
    out.push({ name: m[1]!, start: n + 1, end: blockEnd(lines, scanned, n, lang) + 1, exported: false });
  }
  return out;
}

/**
 * An unexported Go function without a receiver: reachable from the whole package, and only by its
 * name (Go calls nothing implicitly but `init` and `main`), so the search answers for it as for an export.
 * Methods are left out: they may satisfy an interface no line names.
 */
function goPackageFunction(code: string, name: string): boolean {
  return /^func\s+[a-z_]/.test(code) && name !== 'init' && name !== 'main';
}

/**
 * Registrations of a template filter, tag or global under the function's own name: Django's
 * `@register.filter`, `@register.simple_tag`, Flask's `@app.template_filter()`. With `name=` the
 * templates use another name, which the search would not find: those count as called.
 */
const TEMPLATE_REGISTRATION = /^\s*@(?:register\.(?:filter|simple_tag|inclusion_tag|tag)|[\w.]*\.template_(?:filter|global|test))\b(?![^#]*\bname\s*=)(?![^#]*\(\s*['"])/;

/** Identifiers, with Ruby's `?`/`!` suffixes. */
const WORD = /[A-Za-z_$][\w$]*[?!]?/g;

/** Whether `span`'s name appears in the file outside the function itself (a call in the same file). */
export function calledInFile(p: PreparedFile, span: FunctionSpan): boolean {
  if (!PLAIN_IDENT.test(span.name)) return scannedFor(p, span);
  const lines = mentionsOf(p).get(span.name) ?? [];
  return lines.some((line) => (line < span.start || line > span.end) && !isExportListEntry(p.scanned, line, span.name, p.lang?.id ?? 'text'));
}

/**
 * The file's new private functions that only `unused` code calls (the helpers of a new function
 * nothing calls yet), found until none is added: they run only once that code does.
 */
export function unusedHelpers(p: PreparedFile, unused: readonly FunctionSpan[]): FunctionSpan[] {
  const out: FunctionSpan[] = [];
  if (!unused.length || !p.newPrivate?.length) return out;
  const dead = [...unused];
  const inDead = (line: number) => dead.some((s) => line >= s.start && line <= s.end);
  for (let grew = true; grew; ) {
    grew = false;
    for (const fn of p.newPrivate) {
      if (dead.includes(fn) || !PLAIN_IDENT.test(fn.name)) continue;
      const calls = (mentionsOf(p).get(fn.name) ?? []).filter((line) => line < fn.start || line > fn.end);
      if (calls.length && calls.every(inDead)) {
        dead.push(fn);
        out.push(fn);
        grew = true;
      }
    }
  }
  return out;
}

/** Identifiers: runs of word characters and `$`, so `fooBar` is not a mention of `foo`. */
const IDENT_RUN = /[\w$]+/g;
const PLAIN_IDENT = /^[\w$]+$/;
const IDENT = /[\w$]/;

/** The same question for a name that is not one identifier run (Ruby's `valid?`): a scan of the file. */
function scannedFor(p: PreparedFile, span: FunctionSpan): boolean {
  const name = span.name;
  for (let n = 0; n < p.scanned.length; n++) {
    if (n + 1 >= span.start && n + 1 <= span.end) continue;
    const code = p.scanned[n].code;
    // indexOf first: no allocation on the lines that do not mention the name at all.
    for (let at = code.indexOf(name); at >= 0; at = code.indexOf(name, at + 1)) {
      if (!IDENT.test(code[at - 1] ?? ' ') && !IDENT.test(code[at + name.length] ?? ' ')) return true;
    }
  }
  return false;
}


/** Up to this many names, each is looked for on its own; more are found in one pass over the identifiers. */
const FEW_NAMES = 4;

/** Whether `name` is one of the identifier runs of `code`. */
function mentions(code: string, name: string): boolean {
  for (let at = code.indexOf(name); at >= 0; at = code.indexOf(name, at + 1)) {
    if (!IDENT.test(code[at - 1] ?? ' ') && !IDENT.test(code[at + name.length] ?? ' ')) return true;
  }
  return false;
}

/**
 * The lines on which each new export's name appears, from one pass over the file: asking for every
 * export of a generated file would otherwise cost exports × lines.
 */
function mentionsOf(p: PreparedFile): Map<string, number[]> {
  if (p.mentions) return p.mentions;
  const wanted = new Set([...p.newExports, ...(p.newPrivate ?? [])].map((f) => f.name).filter((name) => PLAIN_IDENT.test(name)));
  const found = new Map<string, number[]>();
  if (wanted.size <= FEW_NAMES) {
    // A few names: looked for directly, with no allocation on the lines that do not mention them.
    for (const name of wanted) {
      const lines: number[] = [];
      for (let n = 0; n < p.scanned.length; n++) if (mentions(p.scanned[n].code, name)) lines.push(n + 1);
      if (lines.length) found.set(name, lines);
    }
    p.mentions = found;
    return found;
  }
  for (let n = 0; n < p.scanned.length && wanted.size; n++) {
    for (const m of p.scanned[n].code.matchAll(IDENT_RUN)) {
      if (!wanted.has(m[0])) continue;
      const lines = found.get(m[0]);
      if (!lines) found.set(m[0], [n + 1]);
      else if (lines[lines.length - 1] !== n + 1) lines.push(n + 1);
    }
  }
  p.mentions = found;
  return found;
}

function firstLine(file: ChangedFile): number {
  return file.addedLines[0]?.line ?? file.removedLines[0]?.line ?? 0;
}

/** Translation catalogues: Rails and i18n folders of YAML/JSON, Java message bundles, gettext catalogues. */
const TRANSLATIONS = /(?:^|\/)(?:locales?|i18n|l10n|translations?|lang|langs)\/(?:[\w@.-]+\/)*[\w@.-]+\.(?:ya?ml|json|properties|xliff|xlf|arb|strings|toml)$|(?:^|\/)messages(?:_[a-z]{2,3}(?:_[A-Za-z]{2,4})?)?\.properties$|\.pot?$/i;

const RBAC_KIND = /^kind:\s*["']?((?:Cluster)?Role(?:Binding)?)["']?\s*$/m;

function one(rule: RuleId, tier: Tier, line: number, message: string, short: string): Finding[] {
  return [{ rule, tier, line, message, short }];
}

/** A one-line summary, description or title of an OpenAPI (YAML or JSON) document: words for people, not the contract. */
const DESCRIPTION_LINE = /^\s*(?:-\s*)?(["']?)(?:summary|description|title)\1\s*:\s*(?![|>][-+]?\s*$)\S/;

/** Whether every changed line of an API schema is such a line (a block-scalar description's lines are not). */
function onlyDescriptions(file: ChangedFile): boolean {
  if (!/\.(?:ya?ml|json)$/i.test(file.path)) return false;
  const lines = [...file.addedLines, ...file.removedLines].filter((l) => l.text.trim() !== '');
  return lines.length > 0 && lines.every((l) => DESCRIPTION_LINE.test(l.text));
}

/** Comment-only edits to settings-like files (YAML, Dockerfile, TOML…) change nothing. */
function cosmeticSettings(file: ChangedFile): Finding[] | undefined {
  const sig = (lines: { text: string }[]) => scanLines(lines.map((l) => l.text), CONFIG_LANGUAGE).some((s) => s.code !== '');
  if (file.addedLines.length + file.removedLines.length === 0) return undefined;
  if (sig(file.addedLines) || sig(file.removedLines)) return undefined;
  return one('cosmetic', 'ZERO', firstLine(file), 'changes only comments or blank lines: no behaviour change', 'comments only');
}

/**
 * The findings of one file. `integrated`: for a new code file, whether anything wires it in;
 * `unused`: its new exported functions that nothing calls.
 */
export function judgeFile(p: PreparedFile, ctx: FileContext, integrated: boolean, unused: FunctionSpan[]): Finding[] | Promise<Finding[]> {
  const { file, kind } = p;
  const forced = ctx.forced(file.path);
  if (forced) {
    const why = forced.reason ? `: ${forced.reason}` : '';
    return one('policy', forced.tier, 0, `set to ${forced.tier} by the policy (glob "${forced.glob}")${why}`, `policy: ${forced.tier}`);
  }
  if (file.submodule) return one('submodule', 'MEDIUM', 0, 'submodule moved to a new commit: its code changes are not inspected', 'submodule bump');
  if (kind === 'test') return one('test', 'ZERO', 0, 'test code: not deployed to users', 'test');
  if (kind === 'docs') return one('docs', 'ZERO', 0, 'documentation: not deployed as code', 'docs');
  if (kind === 'tooling') return one('tooling', 'ZERO', 0, 'developer tooling settings: not part of what is deployed', 'tooling');
  if (file.binary || kind === 'binary-image') return one('binary', 'LOW', 0, 'binary file, not inspected', 'binary');
  // Only a migration is analysed asynchronously: every other file is judged without a wait per file.
  if (p.migration) return judgeMigration(p, ctx, integrated, unused);
  return judgeContent(p, ctx, integrated, unused);
}

async function judgeMigration(p: PreparedFile, ctx: FileContext, integrated: boolean, unused: FunctionSpan[]): Promise<Finding[]> {
  const { file } = p;
  const found = await analyzeMigration(file, ctx.migrations);
  if (found && found.length) return found;
  if (found) return one('cosmetic', 'ZERO', firstLine(file), 'migration whose forward schema statements this change does not touch', 'no schema change');
  if (p.migrationByKeyword) {
    return one('migration', 'MEDIUM', firstLine(file), 'database migration (named by the policy): its statements were not analysed, review them for backward compatibility', 'migration');
  }
  // Not a migration after all (a helper in a migrations folder): judged as code.
  return judgeContent(p, ctx, integrated, unused);
}

/** A file past the checks by path and kind: judged by its changed lines. */
function judgeContent(p: PreparedFile, ctx: FileContext, integrated: boolean, unused: FunctionSpan[]): Finding[] {
  const { file, kind } = p;
  if (file.status === 'renamed' && file.linesAdded === 0 && file.linesDeleted === 0) {
    return one('rename', 'LOW', 0, `renamed from ${file.oldPath ?? 'another path'} without content changes: only the module path moves`, 'renamed');
  }
  const noLines = file.addedLines.length + file.removedLines.length === 0;
  switch (kind) {
    case 'ci':
      return cosmeticSettings(file) ?? one('ci', 'ZERO', firstLine(file), 'changes the CI pipeline: it runs on the build machines, not in the service, so deploying it changes nothing users reach', 'CI');
    case 'infrastructure': {
      const cosmetic = cosmeticSettings(file);
      if (cosmetic) return cosmetic;
      // A Role or its binding (Kubernetes RBAC, or an application's own roles written the same way) says who may do what.
      const rbac = RBAC_KIND.exec(file.content ?? '');
      if (rbac) return [{ rule: 'auth', tier: 'HIGH', line: firstLine(file), message: `changes a ${rbac[1]} manifest: the permissions it grants decide who may do what`, short: 'authorization rules', subject: { term: rbac[1]!, category: 'authorization' } }];
      return one('infrastructure', 'MEDIUM', firstLine(file), 'changes infrastructure or deployment configuration: prefer a blue/green switch', 'infrastructure');
    }
    case 'dependencies':
      return cosmeticSettings(file) ?? ctx.manifest?.(file.path) ?? one('dependencies', 'MEDIUM', firstLine(file), 'changes dependencies: different library code runs in production', 'dependencies');
    case 'api-schema':
      if (onlyDescriptions(file)) return one('cosmetic', 'ZERO', firstLine(file), 'changes only the descriptions of an API schema (summary, description, title): the contract clients depend on is the same', 'descriptions only');
      return one('api', 'MEDIUM', firstLine(file), 'changes an API schema: clients depend on its contract', 'API schema');
    default:
      break;
  }
  if (noLines) return one('app-change', 'LOW', 0, 'file mode or empty file changed', 'mode change');
  if (kind === 'code' && isNew(file) && !integrated) {
    return one('unreferenced-file', 'LOW', 0, 'new file that nothing in the repository imports or references yet: ships silent', 'not wired in');
  }
  const lang = p.lang ?? TEXT_LANGUAGE;
  const moved = ctx.moved?.(p.file.path);
  if (moved) {
    // What the change does besides moving code: judged on its own; the move is said beside it.
    const rest = withoutMoved(p.file, moved);
    const note = movedFinding(p.file, moved);
    if (!rest.addedLines.some((l) => l.text.trim()) && !rest.removedLines.some((l) => l.text.trim())) return [note];
    return [...judgeContent({ ...p, file: rest }, { ...ctx, moved: undefined }, integrated, unused), note];
  }
  if ((kind === 'config' || kind === 'text') && TRANSLATIONS.test(file.path)) {
    const line = firstLine(file);
    if (!file.removedLines.some((l) => l.text.trim())) return one('translations', 'LOW', line, 'adds translations: nothing shows a new key until code uses it', 'new translations');
    return one('translations', 'MEDIUM', line, 'changes translated text people read: review the wording; no code path changes', 'translations');
  }
  if (kind === 'config') {
    return judgeLines({ file, lang, lines: p.lines, scanned: p.scanned, functions: [], unused: [] }, ctx, {
      rule: 'config',
      text: (verb) => ({ message: `${verb} runtime settings read by the service`, short: 'settings' }),
    });
  }
  const content = file.content ?? '';
  const calls = ctx.writingHelpers?.size ? helperCalls(p.scanned, ctx.writingHelpers) : undefined;
  const through = calls?.size
    ? (line: number, statement: { start: number; end: number } | undefined): WriteHit | undefined => {
        const hit = writeThrough({ scanned: p.scanned, functions: p.functions, calls, line, span: statement });
        if (!hit) return undefined;
        const { helper, via } = hit;
        return { rule: 'data-write', term: `${via ? `line ${via}: ` : ''}${helper.name}() runs ${helper.term} in ${helper.path}` };
      }
    : undefined;
  const writes = content ? dataWriteReader({ path: file.path, lang: lang.id, content, side: sideText(p), changed: (s) => (s === 'added' ? file.addedLines : file.removedLines).map((l) => l.text), ...(through ? { through } : {}) }) : undefined;
  const authSettings = content ? authSettingsOf(file.path, lang.id, content) : undefined;
  const authSubclass = content ? authSubclassOf(lang.id, content) : undefined;
  return judgeLines(
    { file, lang, lines: p.lines, scanned: p.scanned, functions: p.functions, unused, ...(p.syntax ? { syntax: p.syntax } : {}), ...(writes ? { writes } : {}), ...(authSettings ? { authSettings } : {}), ...(authSubclass ? { authSubclass } : {}) },
    ctx,
  );
}

/** The move itself: LOW, as a file renamed without content changes is, placed at its first moved line. */
function movedFinding(file: ChangedFile, moved: MovedLines): Finding {
  const list = (paths: Set<string>) => [...paths].sort().join(', ');
  const count = moved.added.size || moved.removed.size;
  const lines = `${count} line${count === 1 ? '' : 's'}`;
  if (moved.added.size) {
    const line = Math.min(...moved.added);
    return { rule: 'moved', tier: 'LOW', line, message: `moves ${lines} here unchanged from ${list(moved.from)}: the code does what it did, only where it lives changes`, short: 'moved code' };
  }
  const first = file.removedLines.find((l) => moved.removed.has(l.line));
  return {
    rule: 'moved',
    tier: 'LOW',
    line: first?.line ?? 0,
    side: 'removed',
    ...(first?.after !== undefined ? { after: first.after } : {}),
    message: `moves ${lines} unchanged to ${list(moved.to)}: the code does what it did, only where it lives changes`,
    short: 'moved code',
  };
}

/** Each side's lines, scanned: the new one as prepared, the old one rebuilt from the diff once asked for (undefined when it cannot be). */
function sideText(p: PreparedFile): (side: 'added' | 'removed') => SideText | undefined {
  let old: SideText | null | undefined;
  return (side) => {
    if (side === 'added') return { lines: p.lines, scanned: p.scanned };
    if (old === undefined) {
      const text = p.lang ? oldText(p.file) : undefined;
      const lines = text?.split('\n');
      old = lines && p.lang ? { lines, scanned: scanLines(lines, p.lang) } : null;
    }
    return old ?? undefined;
  };
}
