import type { Readable } from 'node:stream';

export type ImageExtension = 'png' | 'jpg' | 'webp';

/** A stored file as it is served: its bytes (whole, or streamed from the store), type, length and time. */
export interface StoredFile {
  body: Buffer | Readable;
  contentType: string;
  size: number;
  modified: Date;
}

/**
 * Where images are kept, on disk or in a bucket. Contract (test/contracts/media-store.contract.ts): the
 * name is the SHA-256 of the bytes plus the extension (equal bytes, equal name; never a user string); a
 * file appears whole or not at all, and a failed write leaves nothing a row could name (callers write
 * the row after `save` resolved). Every URL is `/media/<name>` on each store, so rows move between them.
 * A store that does not answer in time rejects with DomainError `media_store_unavailable`, never hangs.
 */
export interface MediaStore {
  /** Returns where the stored file is served, e.g. `/media/3f…a9.png` (a URL path the adapter decides). */
  save(bytes: Uint8Array, extension: ImageExtension): Promise<string>;
  /** The bytes of a file `save` stored, by the URL it returned; null when there is none (or the URL is not one of its). */
  read(url: string): Promise<Buffer | null>;
  /** The file to serve at `url` (its body may be a stream to consume or destroy); null as for `read`. */
  open(url: string): Promise<StoredFile | null>;
  /** An absolute URL that serves the file without this server (a public bucket or CDN); null when there is none. */
  directUrl(url: string): string | null;
  /** Removes a file `save` stored, by the URL it returned; idempotent. Any other URL is left alone. */
  remove(url: string): Promise<void>;
}
