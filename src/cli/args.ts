import { parseArgs, ParseArgsConfig } from 'node:util';
import { InputError } from '../core/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A value that reads as a number, even a negative one: `--seed -5` means the seed −5, not a flag. */
const NUMBER_VALUE = /^-(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** `--help` or `-h` anywhere before a `--`: the subcommand answers with its usage instead of running. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * Joins `--flag -5` into `--flag=-5` for value flags, so a negative number is taken as the value;
 * any other value that starts with a dash still reads as a missing value.
 */
function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && !name.includes('=') && options[name]?.type === 'string' && next !== undefined && NUMBER_VALUE.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/**
 * Parses a subcommand's arguments strictly: an unknown flag, a missing value or a single-value
 * flag given twice is an InputError.
 */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    const ambiguous = /^Option '(--?[^' ]+)(?: <value>)?' argument is ambiguous/.exec(msg);
    if (ambiguous) {
      const flag = ambiguous[1];
      const value = argv[argv.indexOf(flag) + 1] ?? '';
      throw new InputError(`${command}: ${flag} needs a value, and "${value}" reads as a flag (expected ${flag} VALUE, or ${flag}=${value} for a value that starts with -)`);
    }
    throw new InputError(`${command}: ${msg}`);
  }
  const seen = new Map<string, string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option' || options[t.name]?.type !== 'string' || options[t.name]?.multiple) continue;
    const before = seen.get(t.name);
    if (before !== undefined) {
      throw new InputError(`${command}: --${t.name} given twice ("${before}" and "${t.value}"; expected it once)`);
    }
    seen.set(t.name, t.value ?? '');
  }
  return parsed.values;
}
