export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp';

/** What decoding an image found: its real format and its size in pixels. */
export interface ImageInfo {
  contentType: ImageType;
  width: number;
  height: number;
}

/** Where on Instagram a prepared image goes: a feed post's image (the default) or a story. */
export type InstagramImageTarget = 'feed' | 'story';

/** Decodes and re-encodes images (a native library behind it: the adapter caps what it will decode). */
export interface ImageProcessor {
  /**
   * Decodes the whole image: its format and size, or null when the bytes are not one PNG, JPEG or WebP
   * image that decodes, or hold more pixels than the adapter allows (a decompression bomb).
   */
  inspect(bytes: Uint8Array): Promise<ImageInfo | null>;
  /**
   * The image as Instagram takes it: a JPEG in sRGB of at most 8 MiB, padded (never cropped). `feed`: at most
   * 1440 px wide, into the 4:5 … 1.91:1 aspect range; `story`: scaled to fit 1080×1920 (9:16) and padded to
   * exactly that. Rejects for bytes that `inspect` answers null for.
   */
  prepareForInstagram(bytes: Uint8Array, target?: InstagramImageTarget): Promise<Buffer>;
}
