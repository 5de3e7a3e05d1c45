// Draws media/icon.png (128×128): four rising bars in the tier colours (ZERO → HIGH) inside a
// lens ring, on a dark rounded square. Plain zlib + PNG chunks, anti-aliased by 4×4 supersampling.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const SS = 4;
const bg = [30, 30, 30];
const ring = [220, 220, 220];
const bars = [
  { x0: 36, x1: 48, top: 78, c: [137, 209, 133] },
  { x0: 51, x1: 63, top: 64, c: [55, 148, 255] },
  { x0: 66, x1: 78, top: 50, c: [209, 134, 22] },
  { x0: 81, x1: 93, top: 36, c: [241, 76, 76] },
];

function sample(x, y) {
  // Rounded square.
  const r = 22;
  const cx = Math.min(Math.max(x, r), N - r);
  const cy = Math.min(Math.max(y, r), N - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  const d = Math.hypot(x - 64, y - 62);
  if (d > 44 && d < 52) return ring;
  // The lens handle, down to the right.
  const t = ((x - 64) + (y - 62)) / 2;
  const off = Math.abs((x - 64) - (y - 62)) / Math.SQRT2;
  if (t > 36 && t < 58 && off < 6) return ring;
  for (const b of bars) if (x >= b.x0 && x < b.x1 && y >= b.top && y < 90) return b.c;
  return bg;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++)
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a++;
      }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    raw[o] = a ? r / a : 0;
    raw[o + 1] = a ? g / a : 0;
    raw[o + 2] = a ? b / a : 0;
    raw[o + 3] = (a / (SS * SS)) * 255;
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, sum]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../icon.png', import.meta.url), png);
console.log(`media/icon.png: ${png.length} bytes`);
