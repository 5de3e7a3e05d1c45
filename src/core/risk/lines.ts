/**
 * Judges the changed lines of one text file: code, settings or other text. Rules read the added and
 * removed lines (comments left out), with the enclosing function's name and the file's path as
 * context. Lines behind a flag that ships OFF count for the flag, not for the deploy.
 */
import type { ChangedFile, ChangedLine } from '../change/types';
import type { Finding, FindingSubject, RuleId } from './types';
import type { FlagFinder } from './flags';
import { guardedRegion } from './flags';
import { earlyReturnRegion, isCloser } from './guards';
import { innermostFunctionByLine, isExportListEntry, type FunctionSpan } from './functions';
import type { Language } from './languages';
import { appChangeText, functionContextText, hitText, pathContextText, type Text, type Verb } from './messages';
import { confirmedPathContext } from './paths';
import type { LineReader } from './parsed';
import type { LineSyntax } from './syntax';
import type { CompiledRules, RuleHit } from './rules';
import type { AuthSettings } from './rules/auth-settings';
import { inGroup } from '../catalog';
import { removedInside, sameTokens, spanAt, typeDeclarations } from './cosmetic';
import type { DataWriteReader } from './rules/data-writes';
import { scanLines, type ScannedLine } from './scan';
import { oldText } from './syntax/old';
import { groupWrapped, placeLines, wrapFinding, type OffRegion } from './wraps';

export interface LineContext {
  rules: CompiledRules;
  findFlag: FlagFinder;
  /** The policy's known flags; a flag the change introduces and the policy does not list is OFF. */
  flagStates: Record<string, 'on' | 'off'>;
  /** Per file, the lines defining a setting the change introduces with an off default (see ./settings). */
  settingDefinitions?: ReadonlyMap<string, ReadonlyMap<number, string>>;
}

export interface LineInput {
  file: ChangedFile;
  lang: Language;
  /** The new version, split in lines (empty for a deleted file). */
  lines: string[];
  scanned: ScannedLine[];
  functions: FunctionSpan[];
  /** New exported functions nothing calls: their lines are not integrated yet. */
  unused: FunctionSpan[];
  /** The changed lines' syntax, for a file a rule needs parsed (see parsed.ts). */
  syntax?: LineReader;
  /** For a file that uses an ORM or driver, or holds SQL: the write each changed line belongs to (rules/data-writes.ts). */
  writes?: DataWriteReader;
  /** For a file of authentication settings: the setting an added line belongs to (rules/auth-settings.ts). */
  authSettings?: AuthSettings;
  /** For a Python file that imports from an authentication module: the auth subclass an added line sits in. */
  authSubclass?: AuthSettings;
}

const QUOTE_MAX = 120;

function quote(text: string): string {
  const t = text.trim();
  return t.length > QUOTE_MAX ? `${t.slice(0, QUOTE_MAX - 1)}…` : t;
}

/** What a rule hit matched, as its finding carries it: the term and, for auth, its category. */
function subjectOf(h: RuleHit, rules: CompiledRules, fn?: string): FindingSubject {
  return { term: h.term, ...(h.rule === 'auth' ? { category: rules.authCategory(h.term) } : {}), ...(fn !== undefined ? { function: fn } : {}) };
}

/** Runs of consecutive line numbers get one finding per rule, so a 200-line hunk is one reason, not 200. */
function hunkIds(lines: readonly ChangedLine[]): number[] {
  const ids: number[] = [];
  let id = -1;
  let prev = Number.NEGATIVE_INFINITY;
  for (const l of lines) {
    if (l.line !== prev + 1) id++;
    ids.push(id);
    prev = l.line;
  }
  return ids;
}

/** A hunk's name (`a3`, `r0`), made once per hunk. */
function hunkName(names: string[], side: 'a' | 'r', id: number): string {
  return (names[id] ??= `${side}${id}`);
}

const squash = (s: string) => s.replace(/\s+/g, '');

// Import statements only wire modules together; what the imported code does is judged where it changes.
const IMPORT: Partial<Record<string, RegExp>> = {
  js: /^\s*(?:import\s+(?:type\s+)?[\w*{},\s$]*\s*from\s|import\s*\{|import\s+['"]|(?:const|let|var)\s+[\w{},\s$:]+=\s*require\(\s*['"][^'"]+['"]\s*\);?\s*$|export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s*from\s)|^\s*\}\s*from\s+['"]/,
  python: /^\s*(?:from\s+[\w.]+\s+)?import\s+[\w., ()*]+$/,
  // A Go file's `package` clause names the folder it belongs to: it wires, it does not run.
  go: /^\s*(?:import\b|package\s+\w+\s*$|\w*\s*"[\w./-]+"\s*$|\)\s*$)/,
  java: /^\s*(?:import|package)\s+[\w.*]+;?\s*$/,
  kotlin: /^\s*(?:import|package)\s+[\w.*]+(?:\s+as\s+\w+)?\s*$/,
  ruby: /^\s*require(?:_relative)?\s*\(?\s*['"][^'"]+['"]\)?\s*$/,
};

/** Words every import statement of the language contains: a line without any is no import, unread by IMPORT. */
const IMPORT_HINTS: Partial<Record<string, string[]>> = {
  js: ['import', 'require', 'from'],
  python: ['import'],
  go: ['import', 'package', '"', ')'],
  java: ['import', 'package'],
  kotlin: ['import', 'package'],
  ruby: ['require'],
};

/** An import statement left open at the end of its line (`import {`, `from x import (`), and the line that closes it. */
const IMPORT_BLOCK_OPEN: Partial<Record<string, { open: RegExp; close: RegExp }>> = {
  js: { open: /^\s*(?:import|export)\s+(?:type\s+)?\{[^}]*$/, close: /^\s*\}\s*from\s+['"]/ },
  python: { open: /^\s*from\s+[\w.]+\s+import\s*\([^)]*$/, close: /\)\s*$/ },
};

/** A line of names inside an import block (`  type Action, Entry as E,`): each name ends at a comma or the line's end, so a line is read once. */
const IMPORT_BLOCK_NAMES = /^\s*(?:(?:type\s+)?[\w$]+(?:\s+as\s+[\w$]+)?\s*(?:,\s*|$))*$/;

/** The 1-based lines inside multi-line import statements: `  type Action,` between `import {` and `} from '…'`. */
function importBlockLines(scanned: readonly ScannedLine[], lang: string): Set<number> {
  const out = new Set<number>();
  const block = IMPORT_BLOCK_OPEN[lang];
  if (!block) return out;
  for (let n = 0; n < scanned.length; n++) {
    if (!block.open.test(scanned[n]!.code)) continue;
    let k = n + 1;
    // Only names and commas may sit between: anything else means the guess of a block was wrong.
    while (k < scanned.length && k - n < 500 && !block.close.test(scanned[k]!.code) && IMPORT_BLOCK_NAMES.test(scanned[k]!.code)) k++;
    if (k < scanned.length && block.close.test(scanned[k]!.code)) for (let m = n + 1; m <= k + 1; m++) out.add(m);
    n = k;
  }
  return out;
}

/** Whether a line of code is an import statement, which the rules do not judge. */
export function isImportLine(code: string, lang: string): boolean {
  const re = IMPORT[lang];
  const hints = IMPORT_HINTS[lang];
  if (!re || !hints) return false;
  for (const h of hints) if (code.includes(h)) return re.test(code);
  return false;
}

/**
 * The removed lines, scanned. A run of removed lines scanned alone loses the comment or docstring it
 * sat in (` * Auth pages reachable…` of a block comment, `:param x:` of a docstring) and reads as
 * code: where the new version has a comment line beside a removal, the old version is rebuilt and
 * scanned whole, so those lines are comments again.
 */
function scanRemoved(file: ChangedFile, lines: readonly string[], scanned: readonly ScannedLine[], lang: Language): ScannedLine[] {
  const alone = scanLines(file.removedLines.map((l) => l.text), lang);
  const commentAt = (n: number) => n >= 1 && n <= scanned.length && scanned[n - 1].code === '' && /\S/.test(lines[n - 1] ?? '');
  const beside = file.removedLines.some((l, i) => alone[i].code !== '' && l.after !== undefined && (commentAt(l.after) || commentAt(l.after + 1)));
  if (!beside) return alone;
  const old = oldText(file);
  if (old === undefined) return alone;
  const whole = scanLines(old.split('\n'), lang);
  return file.removedLines.map((l, i) => whole[l.line - 1] ?? alone[i]);
}

/** True when the significant added and removed lines are the same once whitespace is removed. */
function whitespaceOnly(added: readonly string[], removed: readonly string[]): boolean {
  if (added.length !== removed.length) return false;
  const count = new Map<string, number>();
  for (const a of added) count.set(squash(a), (count.get(squash(a)) ?? 0) + 1);
  for (const r of removed) {
    const k = squash(r);
    const c = count.get(k);
    if (!c) return false;
    count.set(k, c - 1);
  }
  return true;
}

/**
 * A line's hits with what its file's kind adds: the authentication setting it belongs to, and the
 * write its statement reaches when no data-write pattern matched the line itself.
 */
function withSettingsAndWrites(input: LineInput, matched: readonly RuleHit[], line: number, side: 'added' | 'removed', code: string, syntax: LineSyntax | undefined): readonly RuleHit[] {
  const more: RuleHit[] = [];
  const setting = side === 'added' && !matched.some((h) => h.rule === 'auth') ? input.authSettings?.at(line, input.scanned) : undefined;
  if (setting) more.push({ rule: 'auth-settings', tier: 'HIGH', term: setting });
  const subclass = side === 'added' && !setting && !matched.some((h) => h.rule === 'auth') ? input.authSubclass?.at(line, input.scanned) : undefined;
  if (subclass) more.push({ rule: 'auth', tier: 'HIGH', term: subclass });
  const write = matched.some((h) => inGroup(h.rule, 'data')) ? undefined : input.writes?.at(line, side, code, syntax);
  if (write) more.push({ rule: write.rule, tier: 'HIGH', term: write.term });
  return more.length ? [...more, ...matched] : matched;
}

/** The regions of the new file guarded by flags that ship OFF. */
function offRegions(input: LineInput, ctx: LineContext, added: ReadonlySet<number>, removed: readonly ScannedLine[], checks: Map<number, string>): OffRegion[] {
  const { lines, scanned, lang } = input;
  const regions: OffRegion[] = [];
  const knownOff = Object.values(ctx.flagStates).includes('off');
  let existed: Set<string> | undefined;
  for (let n = 0; n < scanned.length; n++) {
    const code = scanned[n].code;
    if (code === '') continue;
    const isAdded = added.has(n + 1);
    // Existing checks matter only when the policy says their flag is OFF.
    if (!isAdded && !knownOff) continue;
    const check = ctx.findFlag(code);
    if (!check) continue;
    if (isAdded) checks.set(n + 1, check.name);
    if (isAdded && !existed) {
      // A flag the removed lines already checked is not new: an edited check keeps its production state.
      existed = new Set();
      for (const r of removed) {
        const c = r.code ? ctx.findFlag(r.code) : undefined;
        if (c) existed.add(c.name);
      }
    }
    const isNew = isAdded && !existed!.has(check.name);
    const state = ctx.flagStates[check.name] ?? (isNew ? 'off' : 'on');
    if (state !== 'off') continue;
    const region = guardedRegion(lines, scanned, n, check, lang) ?? earlyReturnRegion(lines, scanned, n, check, lang);
    if (region) regions.push({ ...region, fresh: isNew });
  }
  // The definition of a setting that is off by default changes nothing until it is turned on.
  for (const [line, name] of ctx.settingDefinitions?.get(input.file.path) ?? []) {
    if (added.has(line)) regions.push({ name, line, start: line, end: line, fresh: true });
  }
  return regions;
}

interface Collected {
  findings: Finding[];
  keys: Set<string>;
  /** Each finding's flag and hunk: where a specific reason makes the generic one redundant. */
  group: Map<Finding, string>;
}

function add(c: Collected, key: string, f: Finding): void {
  if (c.keys.has(key)) return;
  c.keys.add(key);
  c.group.set(f, key.slice(key.indexOf('|') + 1));
  c.findings.push(f);
}

/**
 * Marks the findings of a file that only lost lines as being about removed lines, with the place
 * of the removal in the new version: their line is one of the old version's.
 */
export function onRemovedSide(file: ChangedFile, findings: Finding[]): Finding[] {
  if (file.addedLines.length || !file.removedLines.length || file.status === 'deleted') return findings;
  return findings.map((f) => {
    if (f.line <= 0 || f.side) return f;
    const at = file.removedLines.find((l) => l.line === f.line);
    return { ...f, side: 'removed', ...(at?.after !== undefined ? { after: at.after } : {}) };
  });
}

export function judgeLines(input: LineInput, ctx: LineContext, fallback: { rule: RuleId; text: (verb: Verb) => Text } = { rule: 'app-change', text: appChangeText }): Finding[] {
  const { file, lang, lines, scanned } = input;
  const live = lang.id !== 'config';
  const addedScan: ScannedLine[] = lines.length ? file.addedLines.map((l) => scanned[l.line - 1] ?? { code: l.text, bare: l.text }) : scanLines(file.addedLines.map((l) => l.text), lang);
  const removedScan = scanRemoved(file, lines, scanned, lang);
  // TypeScript `type` and `interface` lines are erased at run time: they change no behaviour.
  const types = lines.length ? typeDeclarations(file.path, scanned) : [];
  const significant = (x: { code: string }) => x.code !== '';
  const sigAdded = file.addedLines.map((l, i) => ({ l, code: addedScan[i].code, i })).filter((x) => significant(x) && !(types.length && spanAt(types, x.l.line)));
  const sigRemoved = file.removedLines.map((l, i) => ({ l, code: removedScan[i].code, i })).filter((x) => significant(x) && !(types.length && removedInside(types, x.l, x.code)));

  const first = file.addedLines[0]?.line ?? file.removedLines[0]?.line ?? 0;
  if (sigAdded.length === 0 && sigRemoved.length === 0) {
    const typesOnly = types.length > 0 && (addedScan.some(significant) || removedScan.some(significant));
    if (typesOnly) return [{ rule: 'cosmetic', tier: 'ZERO', line: first, message: 'changes only TypeScript types, which are erased at run time: no behaviour change', short: 'types only' }];
    return [{ rule: 'cosmetic', tier: 'ZERO', line: first, message: 'changes only comments or blank lines: no behaviour change', short: 'comments only' }];
  }
  const addedCodes = sigAdded.map((x) => x.code);
  const removedCodes = sigRemoved.map((x) => x.code);
  if ((sigAdded.length === sigRemoved.length && whitespaceOnly(addedCodes, removedCodes)) || sameTokens(addedCodes, removedCodes, lang, (code) => isImportLine(code, lang.id))) {
    return [{ rule: 'cosmetic', tier: 'ZERO', line: first, message: 'changes only whitespace, line wrapping, import order or types: no behaviour change', short: 'formatting only' }];
  }

  const addedSet = new Set(file.addedLines.map((l) => l.line));
  const checks = new Map<number, string>();
  const regions = live && lines.length ? offRegions(input, ctx, addedSet, removedScan, checks) : [];
  const { flagAt, moved, movedRemoved, wrappedAt, removedFlag } = placeLines(regions, scanned, addedSet, file.removedLines, removedScan);
  const unusedAt = new Map<number, FunctionSpan>();
  for (const s of input.unused) {
    for (let l = s.start; l <= s.end; l++) unusedAt.set(l, s);
    // Its entry in an export list (`'ArrayAttr',` in `__all__`) makes nothing use it either.
    for (const l of file.addedLines) if (isExportListEntry(scanned, l.line, s.name, lang.id)) unusedAt.set(l.line, s);
    // Its decorators (`@register.filter`) register nothing that anything calls yet either.
    for (let l = s.start - 1; l >= 1 && addedSet.has(l) && /^\s*@/.test(scanned[l - 1]?.code ?? ''); l--) unusedAt.set(l, s);
  }
  const fnAt = input.functions.length ? innermostFunctionByLine(input.functions, lines.length) : undefined;
  const pathContext = confirmedPathContext(file.path, scanned, lang.id, ctx.rules, input.functions);

  const c: Collected = { findings: [], keys: new Set(), group: new Map() };
  const isImport = (code: string) => isImportLine(code, lang.id);
  let firstImport: number | undefined;
  // A modified line shows as removed and added: its old version adds no reason the new one gave.
  // Reasons are matched within one hunk (the run of added lines at the removal's place), so an
  // added line elsewhere in the file takes no reason from a removal.
  const addedRules = new Map<number, Set<RuleId>>();
  const anyAddedRules = new Set<RuleId>();
  const noRules = new Set<RuleId>();
  /** The rules the added lines of a removal's hunk gave; without its place known, those of every added line. */
  const rulesBeside = (after: number | undefined) => (after === undefined ? anyAddedRules : (addedRules.get(after + 1) ?? noRules));
  // The reason the previous line was given: the lines of a hunk mostly repeat it, and need no key built.
  let lastRule = '';
  let lastFlag: string | undefined;
  let lastHunk = '';
  /** The key of a reason this hunk does not have yet, or undefined; the caller adds it at once. */
  const newKey = (rule: string, flag: string | undefined, hunk: string): string | undefined => {
    if (rule === lastRule && flag === lastFlag && hunk === lastHunk) return undefined;
    lastRule = rule;
    lastFlag = flag;
    lastHunk = hunk;
    const key = `${rule}|${flag ?? ''}|${hunk}`;
    return c.keys.has(key) ? undefined : key;
  };
  let addedSquashed: Set<string> | undefined;
  const addedCode = () => (addedSquashed ??= new Set(sigAdded.map((x) => squash(x.code))));
  let importBlocks: Set<number> | undefined;
  const inImportBlock = (line: number) => (importBlocks ??= importBlockLines(scanned, lang.id)).has(line);
  const judge = (text: string, code: string, line: number, hunk: string, verb: Verb, flag?: string, after?: number) => {
    if (isImport(code) || (verb === 'changes' && IMPORT_BLOCK_OPEN[lang.id] !== undefined && inImportBlock(line))) {
      firstImport ??= line;
      return;
    }
    const side = verb === 'changes' ? 'added' : 'removed';
    const syntax = input.syntax?.at(line, side);
    const read = input.syntax?.facts(line, side);
    // A registration taken out, and not put back elsewhere in the file, removes what it named from the chain.
    const unregistered = verb === 'removes' && !addedCode().has(squash(code));
    const matched = !live ? ctx.rules.matchSensitive(code) : syntax ? ctx.rules.matchNames(code, syntax.names, lang.id, unregistered) : ctx.rules.match(code, lang.id);
    const found = live ? withSettingsAndWrites(input, matched, line, side, code, syntax) : matched;
    const beside = verb === 'changes' ? noRules : rulesBeside(after);
    const hits = verb === 'changes' ? found : found.filter((h) => !beside.has(h.rule));
    const removal = verb === 'removes' ? { side: 'removed' as const, ...(after !== undefined ? { after } : {}) } : {};
    const extra = { ...removal, ...(flag ? { flag } : {}), ...(read ? { facts: read } : {}) };
    for (const h of hits) {
      const key = newKey(h.rule, flag, hunk);
      if (key === undefined) continue;
      const subject = subjectOf(h, ctx.rules);
      const t = hitText(h, verb, subject.category);
      add(c, key, { rule: h.rule, tier: h.tier, line, message: t.message, short: t.short, quote: quote(text), ...extra, subject });
    }
    if (hits.length) return;
    // One general reason for removed lines is enough: after a removal's, or beside added lines that have one.
    if (verb === 'removes' && (beside.size > 0 || c.findings.some((f) => !f.flag && f.side === 'removed'))) return;
    const fnIndex = fnAt && verb === 'changes' ? fnAt[line] : -1;
    const fn = fnIndex >= 0 ? input.functions[fnIndex] : undefined;
    // An accessor (`isDownPaymentEnabled() { return downPaymentEnabled; }`) only hands data out: its name is no context.
    const named = fn && !syntax?.function?.accessor ? ctx.rules.contextOf(fn.name, 'function') : undefined;
    // A function named for a MEDIUM context (`SetupTokenMiddleware`) in a file whose path puts it in a
    // HIGH one that the function's own lines confirm (`api_tokens.go`, JWT and bearer tokens) is that.
    const pathHit = pathContext.at(verb === 'changes' ? line : 0);
    const fnHit = named && named.tier !== 'HIGH' && pathHit?.tier === 'HIGH' ? undefined : named;
    if (fn && fnHit) {
      const key = newKey(fnHit.rule, flag, hunk);
      if (key === undefined) return;
      const subject = subjectOf(fnHit, ctx.rules, fn.name);
      const t = functionContextText(fnHit, fn.name, verb, subject.category);
      add(c, key, { rule: fnHit.rule, tier: fnHit.tier, line, message: t.message, short: t.short, quote: quote(text), ...extra, subject });
      return;
    }
    if (pathHit) {
      const key = newKey(pathHit.rule, flag, hunk);
      if (key === undefined) return;
      const subject = subjectOf(pathHit, ctx.rules);
      const t = pathContextText(pathHit, verb, subject.category);
      add(c, key, { rule: pathHit.rule, tier: pathHit.tier, line, message: t.message, short: t.short, quote: quote(text), ...removal, ...(flag ? { flag } : {}), subject });
      return;
    }
    const key = newKey(fallback.rule, flag, hunk);
    if (key === undefined) return;
    const t = fallback.text(verb);
    add(c, key, { rule: fallback.rule, tier: 'MEDIUM', line, message: t.message, short: t.short, quote: quote(text), ...removal, ...(flag ? { flag } : {}) });
  };

  const addedHunks = hunkIds(file.addedLines);
  const addedNames: string[] = [];
  const removedNames: string[] = [];
  for (const { l, code, i } of sigAdded) {
    // Re-indented into a new guard: not new behaviour (turning it off is reported once, below).
    if (moved.has(l.line)) continue;
    const unused = unusedAt.get(l.line);
    if (unused) {
      add(c, `unused|${unused.start}`, {
        rule: 'unused-export', tier: 'LOW', line: unused.start,
        message: `adds \`${unused.name}\`, which nothing ${unused.kind === 'class' ? 'uses' : 'calls'} yet: not integrated, ships silent`, short: unused.kind === 'class' ? 'not used yet' : 'not called yet',
      });
      continue;
    }
    const region = flagAt.get(l.line);
    // A lone `}` or `end` of a guarded block says nothing the block's other lines do not.
    if (region && isCloser(code)) continue;
    // The flag's own key (`'new-checkout'`) says nothing about what the guarded code does.
    const key = checks.get(l.line);
    const judged = key ? code.replace(key, '') : code;
    judge(l.text, judged, l.line, hunkName(addedNames, 'a', addedHunks[i]), 'changes', region?.name);
  }
  for (const f of c.findings) {
    if (f.flag) continue;
    anyAddedRules.add(f.rule);
    const run = file.ranges.find((r) => f.line >= r.start && f.line <= r.end);
    if (run) addedRules.set(run.start, (addedRules.get(run.start) ?? new Set()).add(f.rule));
  }
  const wrapping = new Set<string>();
  for (const [r, at] of groupWrapped(wrappedAt)) {
    wrapping.add(r.name);
    add(c, `flag-wrap||w${r.line}`, wrapFinding(r, at, input, ctx, pathContext.at(at.reduce((m, l) => Math.min(m, l), Number.POSITIVE_INFINITY)), fnAt));
  }
  const removedHunks = hunkIds(file.removedLines);
  for (const { l, code, i } of sigRemoved) if (!movedRemoved.has(i)) judge(l.text, code, l.line, hunkName(removedNames, 'r', removedHunks[i]), 'removes', removedFlag.get(i)?.name, l.after);

  // A generic reason adds nothing where the same hunk already has a specific one.
  const specific = new Set(c.findings.filter((f) => f.rule !== fallback.rule).map((f) => c.group.get(f)));
  let findings = c.findings.filter((f) => f.rule !== fallback.rule || !specific.has(c.group.get(f)));

  if (findings.length === 0 && firstImport !== undefined) {
    findings.push({ rule: 'imports', tier: 'LOW', line: firstImport, message: 'changes only imports: nothing new runs until the imported code is used', short: 'imports only' });
  }
  const flagged = new Set(findings.filter((f) => f.flag).map((f) => f.flag!));
  for (const name of flagged) {
    const r = regions.find((x) => x.name === name)!;
    findings.push({
      rule: 'flag-off', tier: 'ZERO', line: r.line,
      message: wrapping.has(name)
        ? `adds feature flag \`${name}\` around existing code and deploys it OFF: that code runs again only once the flag is turned on`
        : `adds code behind feature flag \`${name}\`, which this change deploys OFF: it runs only once the flag is turned on`,
      short: `behind flag ${name}`,
    });
  }
  findings = findings.sort((a, b) => a.line - b.line);
  return findings;
}
