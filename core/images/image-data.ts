import { ImageGenerationFailed } from './ports/image-generator.js';
import type { ImageType } from './ports/image-processor.js';
import type { ImageExtension } from './ports/media-store.js';

export interface CheckedImage {
  bytes: Buffer;
  mimeType: ImageType;
  extension: ImageExtension;
}

const DATA_URI = /^data:image\/(?:png|jpeg|jpg|webp);base64,([A-Za-z0-9+/]*={0,2})$/;
const LONGEST_PREFIX = 'data:image/jpeg;base64,'.length;

/**
 * Checks an image data URI as docs/security.md asks: a strict pattern, the encoded length capped
 * before decoding (Node's base64 decoder never fails, it skips junk), then the real type by magic
 * bytes and the decoded size. Rejects with ImageGenerationFailed naming the reason.
 */
export function checkImageDataUri(uri: string, maxBytes: number): CheckedImage {
  if (uri.length > LONGEST_PREFIX + Math.ceil(maxBytes / 3) * 4) throw new ImageGenerationFailed('too_large');
  const base64 = DATA_URI.exec(uri)?.[1];
  if (base64 === undefined || base64.length === 0 || base64.length % 4 !== 0) {
    throw new ImageGenerationFailed('invalid_data_uri');
  }
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > maxBytes) throw new ImageGenerationFailed('too_large');
  const type = sniffImage(bytes);
  if (!type) throw new ImageGenerationFailed('not_an_image');
  return { bytes, ...type };
}

/** The image data URI of checked bytes, with the type the bytes really have. */
export function imageDataUri(image: CheckedImage): string {
  return `data:${image.mimeType};base64,${image.bytes.toString('base64')}`;
}

/** The image type the bytes start with (their magic numbers), or null. */
export function sniffImage(bytes: Uint8Array): Pick<CheckedImage, 'mimeType' | 'extension'> | null {
  const starts = (signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mimeType: 'image/png', extension: 'png' };
  if (starts([0xff, 0xd8, 0xff])) return { mimeType: 'image/jpeg', extension: 'jpg' };
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return { mimeType: 'image/webp', extension: 'webp' };
  return null;
}
