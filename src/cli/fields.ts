/** Core names the inputs it was given by field; on the command line they are these flags. */
import { describeInput, type InputError, type InputField } from '../core/errors';

const FLAG: Record<InputField, string> = {
  repo: '--repo',
  base: '--base',
  tier: '--tier',
  start: '--start',
  trace: '--trace',
  scenario: '--scenario',
  fault: '--fault',
  prometheus: '--prometheus',
  from: '--from',
  to: '--to',
  step: '--step',
  export: '--export',
  'export.name': '--name',
  'export.namespace': '--namespace',
  'export.deployment': '--deployment',
  'export.port': 'the export port',
};

/** The error line the CLI prints: core's message, its field named as the flag that gave it. */
export function describeForCli(e: InputError): string {
  return describeInput(e, FLAG);
}
