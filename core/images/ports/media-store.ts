export type ImageExtension = 'png' | 'jpg' | 'webp';

/**
 * Where generated images are kept. Contract (test/adapters/fs-media-store.test.ts):
 * the name is the SHA-256 of the bytes plus the extension (equal bytes, equal name; never a
 * user string); the file appears whole or not at all (temp file + rename); a failed write leaves
 * nothing behind.
 */
export interface MediaStore {
  /** Returns where the stored file is served, e.g. `/media/3f…a9.png` (a URL path the adapter decides). */
  save(bytes: Uint8Array, extension: ImageExtension): Promise<string>;
  /** The bytes of a file `save` stored, by the URL it returned; null when there is none (or the URL is not one of its). */
  read(url: string): Promise<Buffer | null>;
  /** Removes a file `save` stored, by the URL it returned; idempotent. Any other URL is left alone. */
  remove(url: string): Promise<void>;
}
