/**
 * A YAML emitter for plain JSON values (what `JSON.parse` returns), enough for Kubernetes manifests.
 * Strings are double-quoted whenever plain style could be read back as something else (a number, a boolean,
 * null, a comment, a flow collection…); double-quoted YAML accepts JSON's escapes, so `JSON.stringify` quotes them.
 */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

// YAML 1.1 and 1.2 scalars that a plain string would turn into something else.
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\.inf|\.nan)|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?|0x[0-9a-f_]+|0o?[0-7_]+|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?)$/i;
const SAFE = /^[A-Za-z0-9_./()$][^\n\r\t"'\\]*$/;

function scalarString(s: string): string {
  const plain = s !== '' && SAFE.test(s) && !RESERVED.test(s) && !/:(?:\s|$)|\s#|\s$/.test(s) && /^[\x20-\x7e]*$/.test(s);
  return plain ? s : JSON.stringify(s);
}

function scalar(v: Json): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'string') return scalarString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`YAML: cannot write the number ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  return Object.keys(v).length === 0 ? '{}' : undefined;
}

function block(v: Json, indent: string): string[] {
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      const s = scalar(item);
      if (s !== undefined) return [`${indent}- ${s}`];
      // The first line of a nested block sits after the dash; the rest keep the dash's width.
      const [first, ...rest] = block(item, indent + '  ');
      return Array.isArray(item) ? [`${indent}-`, first, ...rest] : [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  return Object.entries(v as Record<string, Json>).flatMap(([key, value]) => {
    const k = scalarString(key);
    const s = scalar(value);
    if (s !== undefined) return [`${indent}${k}: ${s}`];
    return [`${indent}${k}:`, ...block(value, Array.isArray(value) ? indent : indent + '  ')];
  });
}

/** One YAML document for a value. */
export function toYaml(value: unknown): string {
  const v = JSON.parse(JSON.stringify(value)) as Json;
  const s = scalar(v);
  return (s !== undefined ? s : block(v, '').join('\n')) + '\n';
}

/** Several documents separated by `---`, as `kubectl apply -f` reads them, after `notes` as comment lines. */
export function toYamlDocuments(values: readonly unknown[], notes: readonly string[] = []): string {
  const head = notes.map((n) => `# ${n.replace(/[\r\n]+/g, ' ')}\n`).join('');
  return head + values.map((v) => toYaml(v)).join('---\n');
}
