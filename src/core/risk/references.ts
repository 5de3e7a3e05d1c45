/**
 * Is new code wired in? A new file counts as integrated when another file refers to its module, and a
 * new exported function when something calls it. References from tests and docs do not integrate
 * anything into what runs in production, and neither do references from other new files that are not
 * integrated themselves.
 */
import type { LanguageId } from './languages';
import { anyOf } from './paths';

function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function camelFromSnake(s: string): string {
  return s.replace(/(?:^|[_-])([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

// Top-level Go names: functions without a receiver, types, variables and constants, and the names of
// `var (…)`/`const (…)`/`type (…)` groups. A method is reached through its type, never by its name
// alone: a new `Get` method is not wired in by every other `Get` in the repository.
const GO_DECL = /^(?:func\s+|type\s+|var\s+|const\s+)([A-Za-z_]\w*)/gm;
const GO_GROUP = /^(?:var|const|type)\s*\(\n([\s\S]*?)^\)/gm;
const GO_GROUP_NAME = /^\s+([A-Za-z_]\w*)/gm;

/**
 * The end of a Go package's import path (`store/image` for `backend/app/store/image/image.go`): a
 * file of another package reaches the file's names only through an import that ends so. Undefined
 * for a package less than two folders deep, whose import path has no such end to look for.
 */
export function goPackageTerm(path: string): string | undefined {
  if (!path.endsWith('.go')) return undefined;
  const dirs = path.split('/').slice(0, -1);
  return dirs.length >= 2 ? dirs.slice(-2).join('/') : undefined;
}

const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * The words another file would use to reach this one: the file's name without extension and its
 * module path forms (`billing/formatCurrency`, `app.billing.currency`); for `index` files, the folder.
 * Go files are reached through the names they declare (a package is a folder, not a file).
 */
export function moduleTerms(path: string, lang: LanguageId, content: string | undefined): string[] {
  const parts = path.split('/');
  const base = stripExtension(parts[parts.length - 1]);
  const dirs = parts.slice(0, -1);
  const terms = new Set<string>();
  if (lang === 'go') {
    const text = content ?? '';
    for (const m of text.matchAll(GO_DECL)) terms.add(m[1]);
    for (const g of text.matchAll(GO_GROUP)) for (const m of g[1].matchAll(GO_GROUP_NAME)) terms.add(m[1]);
    for (const skip of ['init', 'main', '_']) terms.delete(skip);
    const pkg = goPackageTerm(path);
    if (pkg && terms.size) terms.add(pkg);
    return [...terms];
  }
  const isIndex = base === 'index' || base === '__init__' || base === 'mod';
  const name = isIndex && dirs.length ? dirs[dirs.length - 1] : base;
  // JavaScript and TypeScript reach a local module only through a path in a string (`'./frame'`,
  // `'../lib/frame.js'`): the bare name (`frame`) is an ordinary word of other code, no reference.
  // One term, the name after a slash and before any non-word character, covers every quote and
  // extension an import writes; it also takes `/frame/` or `/frame.css` for one, the safe side
  // (the file's content is judged).
  if (lang === 'js') terms.add(`/${name}`);
  else terms.add(name);
  if (dirs.length && !isIndex) terms.add(`${dirs[dirs.length - 1]}/${base}`);
  if (lang === 'python') {
    const mod = isIndex ? dirs : [...dirs, base];
    for (let i = 0; i < mod.length - 1; i++) terms.add(mod.slice(i).join('.'));
  }
  if (lang === 'ruby') terms.add(camelFromSnake(base));
  return [...terms];
}

/**
 * Files a framework runs by convention: nothing imports them, yet they run. Routes, controllers and
 * request handlers (the router reaches them by name), Next.js pages and route files, Rails
 * initializers (run at boot), helpers and channels, Django's app modules (the app registry imports
 * them), executables and management commands. Rails' autoloaded models, jobs, mailers and services
 * are different: autoloading makes a class loadable, not called, so a new one needs a reference.
 */
const WIRED_BY_PATH = [
  /(?:^|\/)(?:pages|routes?|controllers?|handlers?|endpoints?|middlewares?|resolvers|cmd|bin|commands)\//,
  /(?:^|\/)app\/(?:.*\/)?(?:page|route|layout|loading|error|not-found|template|default|middleware)\.[jt]sx?$/,
  /(?:^|\/)(?:src\/)?(?:middleware|instrumentation)\.[jt]s$/,
  /(?:^|\/)app\/(?:controllers|channels|views)\//,
  // Rails includes every `*_helper.rb` module in the views; any other module there is a constant that runs once something includes it.
  /(?:^|\/)app\/helpers\/(?:.*\/)?\w+_helper\.rb$/,
  /(?:^|\/)config\/(?:initializers|environments)\/|(?:^|\/)config\/(?:routes|application|environment|boot|puma|unicorn)\.rb$|(?:^|\/)lib\/tasks\/[\w/-]+\.rake$/,
  /(?:^|\/)(?:main|manage|wsgi|asgi|server)\.\w+$/,
  /(?:^|\/)management\/commands\//,
  /(?:^|\/)(?:urls|views|admin|apps|signals|tasks|models|receivers|context_processors)\.py$/,
];
// Spring's container creates stereotyped classes and calls their `@Bean` methods; `package main` and
// `__main__` are entry points.
const WIRED_BY_CONTENT = /@(?:RestController|Controller|ControllerAdvice|RestControllerAdvice|Component|Service|Repository|Configuration|AutoConfiguration|Entity|SpringBootApplication|Bean|WebFilter|WebServlet|WebListener|Aspect|EventListener|Scheduled|KafkaListener|RabbitListener|JmsListener)\b|^package\s+main\b|if\s+__name__\s*==\s*['"]__main__['"]/m;

const IS_WIRED_BY_PATH = anyOf(WIRED_BY_PATH);

export function wiredByConvention(path: string, content: string | undefined): boolean {
  return IS_WIRED_BY_PATH(path) || (content !== undefined && WIRED_BY_CONTENT.test(content));
}

/**
 * Calls that list a folder so its files can be loaded (`fs.readdirSync`, `require.context`, Vite's
 * `import.meta.glob`, `Dir.glob`, `os.listdir`, `pkgutil.iter_modules`, Go's `os.ReadDir`).
 */
export const FOLDER_LOADERS = ['readdirSync', 'readdir', 'opendir', 'require.context', 'import.meta.glob', 'globSync', 'glob', 'Dir.glob', 'Dir.children', 'Dir.entries', 'listdir', 'scandir', 'iterdir', 'iter_modules', 'walk_packages', 'autodiscover_tasks', 'ReadDir', 'Glob', 'WalkDir'];
// Folder names too common to tie a listing call to one folder.
const GENERIC_FOLDERS = new Set(['src', 'lib', 'app', 'apps', 'internal', 'pkg', 'source', 'main', 'java', 'kotlin', 'python', 'ruby', 'go', 'js', 'ts', 'packages', 'modules', 'utils', 'util', 'common', 'core', 'shared', 'test', 'tests', 'public', 'static', 'assets', 'dist', 'build', 'config', 'data', 'files', 'docs', 'server', 'client', 'web', 'ui', 'components', 'hooks', 'types', 'styles']);

/**
 * The folder whose listing would load this file, if its name is specific enough, and the ways a
 * loader writes it: as a quoted name or the end of a quoted path (`'processors'`, `"./jobs"`,
 * `'./processors/*.ts'`).
 */
export function loadingFolder(path: string): { folder: string; terms: string[] } | undefined {
  const end = path.lastIndexOf('/');
  const folder = end > 0 ? path.slice(path.lastIndexOf('/', end - 1) + 1, end) : '';
  if (!folder || GENERIC_FOLDERS.has(folder.toLowerCase()) || !/^[\w-]+$/.test(folder)) return undefined;
  return { folder, terms: [`'${folder}'`, `"${folder}"`, `/${folder}'`, `/${folder}"`, `/${folder}/`, `'${folder}/`, `"${folder}/`] };
}

/**
 * Whether a folder-scanning loader picks a new file up: some source file (`isCode`) other than the
 * file itself both calls a folder listing and writes the file's folder as a quoted name or path.
 * The search tells which files mention which words, not where: a file that does both is taken as
 * the loader, which errs towards reading the new file's content. Each folder is looked up once.
 */
export function folderLoads(refs: ReadonlyMap<string, readonly string[]>, isCode: (path: string) => boolean): (path: string) => boolean {
  let listing: Set<string> | undefined;
  const loaders = new Map<string, string[]>();
  return (path) => {
    const loading = loadingFolder(path);
    if (!loading) return false;
    let found = loaders.get(loading.folder);
    if (!found) {
      listing ??= new Set(FOLDER_LOADERS.flatMap((call) => refs.get(call) ?? []));
      const naming = new Set(loading.terms.flatMap((t) => refs.get(t) ?? []));
      found = [...naming].filter((p) => listing!.has(p) && isCode(p));
      loaders.set(loading.folder, found);
    }
    return found.some((p) => p !== path);
  };
}

export interface NewFileNode {
  path: string;
  terms: string[];
  conventional: boolean;
  /** A Django template tag library's name: as a bare word it wires the file in only from a template that loads tags. */
  library?: string;
}

/** The word every Django template that loads a tag library has (`{% load misc %}`, `{% load i18n misc %}`). */
export const TEMPLATE_LOAD = 'load';

/**
 * The name templates load a Django tag library by (`core/templatetags/misc.py` is `{% load misc %}`),
 * or undefined for any other file.
 */
export function templateLibrary(path: string): string | undefined {
  const name = /(?:^|\/)templatetags\/(\w+)\.py$/.exec(path)?.[1];
  return name === '__init__' ? undefined : name;
}

/**
 * Which new files are integrated. `refs` maps each term to the files mentioning it; `counts` says
 * whether a referencing file integrates anything (not a test, not docs). A Django tag library is
 * wired in by a template that loads it, or by Python that imports its module path. A new file referenced only by
 * new files that are themselves not integrated stays unintegrated.
 */
export function integratedNewFiles(nodes: readonly NewFileNode[], refs: Map<string, string[]>, counts: (path: string) => boolean): Set<string> {
  const isNew = new Set(nodes.map((n) => n.path));
  // For each new file, the new files it refers to: wiring it in wires them in too.
  const reaches = new Map<string, string[]>();
  const wired = new Set<string>();
  const queue: string[] = [];
  const wire = (path: string) => {
    if (wired.has(path)) return;
    wired.add(path);
    queue.push(path);
  };
  let loading: Set<string> | undefined;
  // A tag library's bare name (`misc`) is an ordinary word of other files: only a template that loads tags refers to it.
  const loads = (p: string) => !p.endsWith('.py') && (loading ??= new Set(refs.get(TEMPLATE_LOAD) ?? [])).has(p);
  for (const n of nodes) {
    let byOld = false;
    // A Go file's names reach it from its own package (its folder), or from a file that imports the package.
    const pkg = goPackageTerm(n.path);
    const importers = pkg && n.terms.includes(pkg) ? new Set(refs.get(pkg) ?? []) : undefined;
    const reachable = (p: string) => !importers || folderOf(p) === folderOf(n.path) || importers.has(p);
    for (const t of n.terms) {
      if (t === pkg && importers) continue;
      for (const p of refs.get(t) ?? []) {
        if (p === n.path || !counts(p) || (t === n.library && !loads(p)) || !reachable(p)) continue;
        if (!isNew.has(p)) byOld = true;
        else {
          const list = reaches.get(p);
          if (list) list.push(n.path);
          else reaches.set(p, [n.path]);
        }
      }
    }
    if (n.conventional || n.terms.length === 0 || byOld) wire(n.path);
  }
  // Each file is wired once and passes it on once: linear in the references, whatever their order.
  for (let i = 0; i < queue.length; i++) for (const next of reaches.get(queue[i]) ?? []) wire(next);
  return wired;
}
