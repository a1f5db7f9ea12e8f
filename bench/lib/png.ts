/**
 * The image GET /media serves: a PNG of pseudo-random noise (so deflate cannot shrink it much below
 * its ~200 KB of pixels), named like the media store names files: the SHA-256 of its bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const SIDE = 256;

export interface MediaFile {
  name: string;
  bytes: Buffer;
}

export function writeNoisePng(mediaRoot: string): MediaFile {
  const png = new PNG({ width: SIDE, height: SIDE });
  let state = 0x9e3779b9; // xorshift32: the same image, hence the same name, on every run
  for (let i = 0; i < png.data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    png.data[i] = i % 4 === 3 ? 255 : state & 0xff;
  }
  const bytes = PNG.sync.write(png, { colorType: 2 });
  const name = `${createHash('sha256').update(bytes).digest('hex')}.png`;
  mkdirSync(mediaRoot, { recursive: true });
  writeFileSync(join(mediaRoot, name), bytes);
  return { name, bytes };
}
