/**
 * Path globs of the policy file (`tiers[].glob`, `ignore[]`): `**` spans folders, `*` and `?` stay
 * inside one path segment, `{a,b}` picks alternatives. As in .gitignore, a pattern without a slash
 * matches a file name at any depth, and a trailing slash means "everything under this folder".
 * Own matcher rather than node's `path.matchesGlob`, which is experimental in Node 20.
 */

export type PathMatcher = (path: string) => boolean;

export class GlobError extends Error {}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function translate(glob: string): string {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (!atStart || !atEnd) throw new GlobError(`"**" must be a whole path segment in "${glob}"`);
        if (glob[i + 2] === '/') {
          out += '(?:[^/]*/)*'; // zero or more folders
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '{') {
      braceDepth++;
      out += '(?:';
    } else if (ch === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (ch === ',' && braceDepth > 0) {
      out += '|';
    } else {
      out += escapeRegex(ch);
    }
  }
  if (braceDepth !== 0) throw new GlobError(`unclosed "{" in "${glob}"`);
  return out;
}

/** Compiles a glob; throws GlobError (the caller names the policy field) when it is malformed. */
export function compileGlob(glob: string): PathMatcher {
  let pattern = glob.trim().replace(/^\.\//, '');
  if (pattern.endsWith('/')) pattern += '**';
  const anyDepth = !pattern.replace(/\/\*\*$/, '').includes('/');
  const body = translate(pattern.replace(/^\//, ''));
  const re = new RegExp(anyDepth ? `^(?:.*/)?${body}$` : `^${body}$`);
  return (path) => re.test(path);
}

/** One matcher for a list of globs (any of them). */
export function compileGlobs(globs: string[]): PathMatcher {
  const matchers = globs.map(compileGlob);
  return (path) => matchers.some((m) => m(path));
}
