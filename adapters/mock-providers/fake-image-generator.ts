import { createHash } from 'node:crypto';
import type { ImageGenerator, ImageRequest } from '../../core/images/index.js';

const SIZE = 256;

type Rgb = [number, number, number];

/**
 * MOCK_PROVIDERS=1: an "AI" that needs no server. Draws a 256×256 PNG portrait placeholder (a soft
 * gradient behind a head-and-shoulders silhouette) whose colours come from a hash of the name, so the
 * same name always gets the same picture and different names look different.
 */
export class FakeImageGenerator implements ImageGenerator {
  async generate(request: ImageRequest): Promise<string> {
    const { PNG } = await import('pngjs'); // on first use: production never loads the fakes' PNG encoder
    return `data:image/png;base64,${drawPortrait(PNG, request.name).toString('base64')}`;
  }
}

function drawPortrait(PNG: typeof import('pngjs').PNG, name: string): Buffer {
  const hash = createHash('sha256').update(name, 'utf8').digest();
  const hue = (hash.readUInt16BE(0) / 65536) * 360;
  const shift = 30 + (hash[2] % 60);
  const top = hsl(hue, 0.55, 0.82);
  const bottom = hsl(hue + shift, 0.5, 0.62);
  const figure = hsl(hue + 180, 0.3, 0.35 + (hash[3] % 20) / 100);
  const headRadius = 40 + (hash[4] % 10);

  const png = new PNG({ width: SIZE, height: SIZE });
  for (let y = 0; y < SIZE; y++) {
    const background = mix(top, bottom, y / (SIZE - 1));
    for (let x = 0; x < SIZE; x++) {
      // Signed distances (negative inside), blended over about a pixel for soft edges.
      const head = Math.hypot(x - 128, y - 100) - headRadius;
      const shoulders = (Math.hypot((x - 128) / 92, (y - 262) / 96) - 1) * 92;
      const coverage = clamp(0.5 - Math.min(head, shoulders), 0, 1);
      const [r, g, b] = mix(background, figure, coverage * 0.85);
      const i = (y * SIZE + x) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * t)) as Rgb;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function hsl(hueDegrees: number, saturation: number, lightness: number): Rgb {
  const h = (((hueDegrees % 360) + 360) % 360) / 60;
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = chroma * (1 - Math.abs((h % 2) - 1));
  const [r, g, b] =
    h < 1
      ? [chroma, x, 0]
      : h < 2
        ? [x, chroma, 0]
        : h < 3
          ? [0, chroma, x]
          : h < 4
            ? [0, x, chroma]
            : h < 5
              ? [x, 0, chroma]
              : [chroma, 0, x];
  const m = lightness - chroma / 2;
  return [r, g, b].map((v) => Math.round((v + m) * 255)) as Rgb;
}
