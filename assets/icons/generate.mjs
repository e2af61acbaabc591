// Draws the Loginscope icon (a lens over a keyhole) and writes icon.png, 512x512 RGBA, with only node:zlib.
// Run: node assets/icons/generate.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // per axis, for anti-aliased edges

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

const roundedRect = (x, y, r) => {
  const qx = Math.abs(x - SIZE / 2) - (SIZE / 2 - r);
  const qy = Math.abs(y - SIZE / 2) - (SIZE / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const capsule = (x, y, ax, ay, bx, by, r) => {
  const [px, py, dx, dy] = [x - ax, y - ay, bx - ax, by - ay];
  const h = clamp((px * dx + py * dy) / (dx * dx + dy * dy), 0, 1);
  return Math.hypot(px - dx * h, py - dy * h) - r;
};
const box = (x, y, cx, cy, hw, hh) => {
  const qx = Math.abs(x - cx) - hw;
  const qy = Math.abs(y - cy) - hh;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
};

const LENS = { x: 222, y: 222, r: 132, ring: 30 };
const layers = [
  { inside: (x, y) => roundedRect(x, y, 112) <= 0, color: (x, y) => mix(hex('#1d2a48'), hex('#0d1424'), y / SIZE) },
  { inside: (x, y) => circle(x, y, LENS.x, LENS.y, LENS.r) <= 0, color: () => hex('#22325a') },
  { inside: (x, y) => capsule(x, y, 322, 322, 410, 410, 30) <= 0, color: () => hex('#2dd4bf') },
  { inside: (x, y) => Math.abs(circle(x, y, LENS.x, LENS.y, LENS.r)) <= LENS.ring / 2, color: (x, y) => mix(hex('#5eead4'), hex('#14b8a6'), (x + y) / (2 * SIZE)) },
  {
    inside: (x, y) => circle(x, y, LENS.x, LENS.y - 26, 36) <= 0 || box(x, y, LENS.x, LENS.y + 30, 17, 50) <= 0,
    color: () => hex('#f2b33d'),
  },
];

const pixels = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [px, py] = [x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES];
        let color = null;
        for (const layer of layers) if (layer.inside(px, py)) color = layer.color(px, py);
        if (color) [r, g, b, a] = [r + color[0], g + color[1], b + color[2], a + 1];
      }
    }
    const i = (y * SIZE + x) * 4;
    if (a > 0) [pixels[i], pixels[i + 1], pixels[i + 2]] = [r / a, g / a, b / a].map(Math.round);
    pixels[i + 3] = Math.round((a / (SAMPLES * SAMPLES)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) pixels.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
