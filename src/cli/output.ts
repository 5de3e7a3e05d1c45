/** Output helpers shared by the subcommands: colour only on a TTY, JSON always as one document. */

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;

const codes: Record<string, [number, number]> = {
  bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39], cyan: [36, 39],
};

export function paint(style: keyof typeof codes, text: string): string {
  if (!useColor) return text;
  const [a, b] = codes[style];
  return `\u001b[${a}m${text}\u001b[${b}m`;
}

export function tierColor(tier: string, text = tier): string {
  switch (tier) {
    case 'HIGH': return paint('red', paint('bold', text));
    case 'MEDIUM': return paint('yellow', text);
    case 'LOW': return paint('cyan', text);
    default: return paint('green', text);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(toJson(value) + '\n');
}

/**
 * JSON has no infinity and JSON.stringify would write it as null, which reads as "no value". An
 * infinite reading is written the way Prometheus writes it, as the string "+Inf" or "-Inf".
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : v), 2);
}

/** Pads or cuts a string to a width, counting code points. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length > width) return chars.slice(0, Math.max(0, width - 1)).join('') + '…';
  return text + ' '.repeat(width - chars.length);
}
