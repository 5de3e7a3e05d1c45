/**
 * Is new code wired in? A new file counts as integrated when another file refers to its module, and a
 * new exported function when something calls it. References from tests and docs do not integrate
 * anything into what runs in production, and neither do references from other new files that are not
 * integrated themselves.
 */
import type { LanguageId } from './languages';

function stripExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function camelFromSnake(s: string): string {
  return s.replace(/(?:^|[_-])([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

const GO_DECL = /^(?:func\s+(?:\([^)]*\)\s*)?|type\s+|var\s+|const\s+)([A-Za-z_]\w*)/gm;

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
    for (const m of (content ?? '').matchAll(GO_DECL)) if (m[1] !== 'init' && m[1] !== 'main' && m[1] !== '_') terms.add(m[1]);
    return [...terms];
  }
  const isIndex = base === 'index' || base === '__init__' || base === 'mod';
  const name = isIndex && dirs.length ? dirs[dirs.length - 1] : base;
  terms.add(name);
  if (dirs.length && !isIndex) terms.add(`${dirs[dirs.length - 1]}/${base}`);
  if (lang === 'python') {
    const mod = isIndex ? dirs : [...dirs, base];
    for (let i = 0; i < mod.length - 1; i++) terms.add(mod.slice(i).join('.'));
  }
  if (lang === 'ruby') terms.add(camelFromSnake(base));
  return [...terms];
}

// Files a framework loads by convention: routes and controllers, Next.js pages, Rails' autoloaded app/
// folders, Spring components, executables. Nothing imports them, yet they run.
const WIRED_BY_PATH = [
  /(?:^|\/)(?:pages|routes?|controllers?|handlers?|endpoints?|middlewares?|jobs|workers|mailers|resolvers|cmd|bin|commands)\//,
  /(?:^|\/)app\/(?:.*\/)?(?:page|route|layout|loading|error|middleware)\.[jt]sx?$/,
  /(?:^|\/)app\/(?:models|controllers|jobs|mailers|helpers|channels|views|serializers|policies)\//,
  /(?:^|\/)(?:main|manage|wsgi|asgi|server)\.\w+$/,
  /(?:^|\/)management\/commands\//,
  /(?:^|\/)(?:urls|views|admin|apps|signals|tasks)\.py$/,
];
const WIRED_BY_CONTENT = /@(?:RestController|Controller|Component|Service|Repository|Configuration|Entity|SpringBootApplication|Bean|WebFilter)\b|^package\s+main\b|if\s+__name__\s*==\s*['"]__main__['"]/m;

export function wiredByConvention(path: string, content: string | undefined): boolean {
  return WIRED_BY_PATH.some((re) => re.test(path)) || (content !== undefined && WIRED_BY_CONTENT.test(content));
}

export interface NewFileNode {
  path: string;
  terms: string[];
  conventional: boolean;
}

/**
 * Which new files are integrated. `refs` maps each term to the files mentioning it; `counts` says
 * whether a referencing file integrates anything (not a test, not docs). A new file referenced only by
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
  for (const n of nodes) {
    let byOld = false;
    for (const t of n.terms) {
      for (const p of refs.get(t) ?? []) {
        if (p === n.path || !counts(p)) continue;
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
