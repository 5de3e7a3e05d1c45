/** Core names the inputs it was given by field; in the editor they are these settings and controls. */
import { describeInput, isInputError, type InputField } from '../core/errors';

const IN_EDITOR: Partial<Record<InputField, string>> = {
  base: 'the Base branch setting (rolloutLens.baseRef)',
  trace: 'the trace file',
  scenario: 'the scenario',
  fault: 'the fault',
  start: 'the start time',
  from: 'the start of the replay',
  to: 'the end of the replay',
  step: 'the replay step',
  prometheus: 'the Prometheus URL (rolloutLens.prometheus.url or the policy\'s prometheus.address)',
};

/** An error as the editor shows it: bad input in the editor's words, anything else as its message. */
export function describeForEditor(e: unknown): string {
  if (isInputError(e)) return describeInput(e, IN_EDITOR);
  return e instanceof Error ? e.message : String(e);
}
