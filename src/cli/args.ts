import { parseArgs, ParseArgsConfig } from 'node:util';
import { InputError } from '../core/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a subcommand's arguments strictly: an unknown flag or a missing value is an InputError. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    throw new InputError(`${command}: ${msg}`);
  }
}
