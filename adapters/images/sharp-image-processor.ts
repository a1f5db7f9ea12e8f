import type { Sharp } from 'sharp';
import type { ImageInfo, ImageProcessor, ImageType, InstagramImageTarget } from '../../core/images/index.js';

const TYPES: Partial<Record<string, ImageType>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** Instagram's limits for a feed image (API.md, "How a post goes out"); a story's frame below. */
const MAX_WIDTH = 1440;
const MIN_RATIO = 4 / 5;
const MAX_RATIO = 1.91;
/** The tallest image that still fits MAX_WIDTH once padded to MIN_RATIO. */
const MAX_HEIGHT = MAX_WIDTH / MIN_RATIO;
/** A story's frame (9:16): every story image is exactly this size. */
const STORY = { width: 1080, height: 1920 } as const;
const QUALITIES = [90, 80, 70, 60, 50, 40];
const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };

export interface SharpImageProcessorOptions {
  /**
   * Images with more pixels are refused before they are decoded: a small PNG can declare a huge
   * canvas (a decompression bomb). 50 MP is above any phone camera's and a few hundred MB decoded.
   */
  maxPixels?: number;
  /** Instagram's limit unless given (tests): 8 MiB. */
  maxJpegBytes?: number;
}

type SharpFactory = (typeof import('sharp'))['default'];
let loading: Promise<SharpFactory> | undefined;
/** sharp (libvips) is loaded on first use: ~90 ms and ~20 MB at start that most processes never need. */
const loadSharp = (): Promise<SharpFactory> => (loading ??= import('sharp').then((module) => module.default));

/**
 * libvips through sharp. Any invalid pixel data fails (failOn 'error', which includes a truncated
 * file), and output never carries the input's metadata (EXIF, GPS): sharp strips it by default.
 */
export class SharpImageProcessor implements ImageProcessor {
  private readonly maxPixels: number;
  private readonly maxJpegBytes: number;

  constructor(options: SharpImageProcessorOptions = {}) {
    this.maxPixels = options.maxPixels ?? 50_000_000;
    this.maxJpegBytes = options.maxJpegBytes ?? 8 * 1024 * 1024;
  }

  async inspect(bytes: Uint8Array): Promise<ImageInfo | null> {
    try {
      const image = await this.open(bytes);
      const { format, autoOrient, pages } = await image.metadata();
      // The size the viewer sees: EXIF's orientation applied.
      const { width, height } = autoOrient;
      const contentType = TYPES[format];
      if (!contentType || !width || !height || (pages ?? 1) > 1) return null;
      await image.stats(); // decodes every pixel: a corrupt or truncated body fails here
      return { contentType, width, height };
    } catch {
      return null;
    }
  }

  async prepareForInstagram(bytes: Uint8Array, target: InstagramImageTarget = 'feed'): Promise<Buffer> {
    const decoded = await this.inspect(bytes);
    if (!decoded) throw new Error('not a decodable PNG, JPEG or WebP image');
    const { imageWidth, imageHeight, canvasWidth, canvasHeight } = target === 'story' ? storyLayout(decoded) : feedLayout(decoded);
    const left = Math.floor((canvasWidth - imageWidth) / 2);
    const top = Math.floor((canvasHeight - imageHeight) / 2);
    const padded = await (
      await this.open(bytes)
    )
      .autoOrient()
      .resize(imageWidth, imageHeight, { fit: 'fill' })
      .flatten({ background: WHITE })
      .extend({ left, right: canvasWidth - imageWidth - left, top, bottom: canvasHeight - imageHeight - top, background: WHITE })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: padded.info.width, height: padded.info.height, channels: padded.info.channels } };
    const sharp = await loadSharp();
    for (const quality of QUALITIES) {
      const jpeg = await sharp(padded.data, raw).jpeg({ quality, mozjpeg: true }).toBuffer();
      if (jpeg.length <= this.maxJpegBytes) return jpeg;
    }
    throw new Error(`no JPEG quality down to ${QUALITIES.at(-1)} fits ${this.maxJpegBytes} bytes`);
  }

  private async open(bytes: Uint8Array): Promise<Sharp> {
    const sharp = await loadSharp();
    return sharp(bytes, { limitInputPixels: this.maxPixels, failOn: 'error' });
  }
}

/** The image's size once scaled, and the canvas it is centred on (the rest white). */
interface Layout {
  imageWidth: number;
  imageHeight: number;
  canvasWidth: number;
  canvasHeight: number;
}

/** A feed image: shrunk to fit MAX_WIDTH (never enlarged), padded into MIN_RATIO … MAX_RATIO. */
function feedLayout({ width, height }: ImageInfo): Layout {
  const scale = Math.min(1, MAX_WIDTH / width, MAX_HEIGHT / height);
  const imageWidth = Math.max(1, Math.round(width * scale));
  const imageHeight = Math.max(1, Math.round(height * scale));
  // Pad, never crop: too tall gets white sides, too wide white bands above and below.
  const canvasWidth = Math.max(imageWidth, Math.ceil(imageHeight * MIN_RATIO));
  const canvasHeight = Math.max(imageHeight, Math.ceil(canvasWidth / MAX_RATIO));
  return { imageWidth, imageHeight, canvasWidth, canvasHeight };
}

/**
 * A story: scaled (up or down) until it touches the frame's sides or its top and bottom, then padded to exactly
 * the frame: a wider image gets white bands above and below, a narrower one white sides.
 */
function storyLayout({ width, height }: ImageInfo): Layout {
  const scale = Math.min(STORY.width / width, STORY.height / height);
  const imageWidth = Math.min(STORY.width, Math.max(1, Math.round(width * scale)));
  const imageHeight = Math.min(STORY.height, Math.max(1, Math.round(height * scale)));
  return { imageWidth, imageHeight, canvasWidth: STORY.width, canvasHeight: STORY.height };
}
