import { createHash } from 'node:crypto';
import type { ImageExtension } from './ports/media-store.js';

/** What a MediaStore names a file: the SHA-256 of its bytes in hex and an ImageExtension, nothing a path can hide in. */
export const MEDIA_NAME = /^[0-9a-f]{64}\.(png|jpg|webp)$/;

const CONTENT_TYPES: Record<ImageExtension, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

/** The name of `bytes` stored as `extension`: equal bytes, equal name. */
export function mediaName(bytes: Uint8Array, extension: ImageExtension): string {
  return `${createHash('sha256').update(bytes).digest('hex')}.${extension}`;
}

/** The content type a media name's extension stands for; null for anything that is not a media name. */
export function contentTypeOfName(name: string): string | null {
  const extension = MEDIA_NAME.exec(name)?.[1] as ImageExtension | undefined;
  return extension === undefined ? null : CONTENT_TYPES[extension];
}
