/**
 * File names are bytes: git stores whatever the file system gave it, and Linux allows any byte but
 * `/` and NUL. The change reader keeps each name's bytes for reading the file and shows it as text:
 * valid UTF-8 as is, and every byte that is not part of a valid UTF-8 sequence as `\xHH`
 * (two lowercase hex digits). So `003_<0xff>.sql` is shown as `003_\xff.sql`, and the same bytes
 * always give the same text.
 */
import { isUtf8 } from 'node:buffer';

/** The text shown for a file name given as bytes. */
export function displayPath(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let run = 0;
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', run, i) + `\\x${buf[i].toString(16).padStart(2, '0')}`;
    i++;
    run = i;
  }
  return out + buf.toString('utf8', run, i);
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    // No overlong forms (E0 80..9F) and no UTF-16 surrogates (ED A0..BF).
    const ok = c === 0xe0 ? cont(1, 0xa0) : c === 0xed ? cont(1, 0x80, 0x9f) : cont(1);
    return ok && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const ok = c === 0xf0 ? cont(1, 0x90) : c === 0xf4 ? cont(1, 0x80, 0x8f) : cont(1);
    return ok && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Splits `-z` output into its NUL-terminated records, as bytes. */
export function splitNul(out: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let nul = out.indexOf(0, start); nul !== -1; nul = out.indexOf(0, start)) {
    if (nul > start) parts.push(out.subarray(start, nul));
    start = nul + 1;
  }
  if (start < out.length) parts.push(out.subarray(start));
  return parts;
}

/** `root/rel` as bytes, for fs calls that must open exactly the file git named. */
export function joinPath(root: string, rel: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(root.endsWith('/') ? root : root + '/', 'utf8'), rel]);
}
