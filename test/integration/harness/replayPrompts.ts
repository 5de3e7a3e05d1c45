/**
 * Answers to a Prometheus replay's questions, given where a person would give them: the custom start
 * typed into the range picker, the confirmation of the URL, the progress notification's cancel
 * button, the file the fetched trace is saved to. What was asked is kept for the test to read.
 */
import type * as vscode from 'vscode';
import type { ReplayPrompts } from '../../../src/extension/prometheus';

export interface Script {
  /** Typed as the custom start (ISO-8601). */
  start: string;
  /** The answer to "Send the plan's Prometheus queries to …?"; none: the test fails if it is asked. */
  confirm?: (message: string, detail: string) => boolean | Promise<boolean>;
  /** Given the progress's cancel button while the fetch runs. */
  whileFetching?: (cancel: () => void) => void;
  /** Where "Save Trace…" saves; none: the offer is dismissed. */
  saveTo?: vscode.Uri;
}

export function scriptedPrompts(script: Script): ReplayPrompts & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async pick(items, options) {
      asked.push(`pick: ${options.title}`);
      return items.find((i) => /Custom start/.test(i.label));
    },
    async input(options) {
      asked.push(`input: ${options.title}`);
      if (!/start/.test(options.title ?? '')) return undefined;
      const invalid = await options.validateInput?.(script.start);
      if (invalid) throw new Error(`the start input refused ${script.start}: ${String(invalid)}`);
      return script.start;
    },
    async confirm(message, detail) {
      asked.push(`confirm: ${message}`);
      if (!script.confirm) throw new Error(`asked to confirm, unexpectedly: ${message}`);
      return script.confirm(message, detail);
    },
    progress(title, task) {
      asked.push(`progress: ${title}`);
      const cancel = new AbortController();
      script.whileFetching?.(() => cancel.abort(new Error('cancelled by the user')));
      return Promise.resolve(task(cancel.signal));
    },
    async saveTarget() {
      asked.push('save');
      return script.saveTo;
    },
  };
}
