/** The policy compiled once per assessment: what every file is judged with. */
import { InputError } from '../errors';
import { DEFAULT_FLAG_FUNCTIONS } from '../policy/defaults';
import { POLICY_FILE } from '../policy/file';
import type { Policy } from '../policy/schema';
import type { FileContext } from './file';
import { compileFlagFinder } from './flags';
import { compileGlob, GlobError, type PathMatcher } from './glob';
import { compilePathClassifier } from './paths';
import { compileRules } from './rules';

function globField(field: string, glob: string): PathMatcher {
  try {
    return compileGlob(glob);
  } catch (e) {
    if (e instanceof GlobError) throw new InputError(`${POLICY_FILE}: field "${field}": ${e.message} (expected a glob using **, *, ? and {a,b})`, { file: POLICY_FILE, field });
    throw e;
  }
}

export function compileContext(policy: Policy): { ctx: FileContext; ignored: PathMatcher } {
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

