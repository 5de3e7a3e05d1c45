/**
 * What one CSV cell or JSON field may hold, as zod schemas: the definition the fast byte paths must agree
 * with, and the source of the message when a cell is wrong.
 */
import { z } from 'zod';
import { parseNumberText } from './numbers';
import { parseTimestampText, TIMESTAMP_EXPECTED } from './timestamps';

export const TimestampCell = z.string().transform((text, ctx) => {
  const t = parseTimestampText(text);
  if (Number.isNaN(t)) {
    ctx.addIssue({ code: 'custom', message: `timestamp ${show(text)} is not a date (${TIMESTAMP_EXPECTED})` });
    return z.NEVER;
  }
  return t;
});

/** A value: a number, or NaN/±Infinity (kept so they can be reported), or `empty`. */
export const ValueCell = z.string().transform((text, ctx) => {
  const v = parseNumberText(text);
  if (v === 'invalid') {
    ctx.addIssue({ code: 'custom', message: `value ${show(text)} is not a number (expected a number)` });
    return z.NEVER;
  }
  return v;
});

/** Quoted, cut short and with control characters escaped, so an error stays one readable line. */
export function show(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
