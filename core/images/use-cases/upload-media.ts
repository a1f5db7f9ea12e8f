import { errors, hasErrorCode, message } from '../../shared/index.js';
import { sniffImage } from '../image-data.js';
import { MediaWriteFailed, type MediaKeeper } from '../media-keeper.js';
import type { ImageType } from '../ports/image-processor.js';
import type { Media } from '../ports/media-library.js';

export interface UploadMediaInput {
  userId: number;
  /** The type the client declared (Content-Type); the bytes must be it. */
  contentType: ImageType;
  bytes: Buffer;
}

/** An image the user sends: kept only when its magic numbers and its decoding both say it is the declared type. */
export class UploadMedia {
  constructor(private readonly keeper: MediaKeeper) {}

  async execute(input: UploadMediaInput): Promise<Media> {
    const sniffed = sniffImage(input.bytes);
    if (sniffed?.mimeType !== input.contentType)
      throw errors.mediaInvalid(message('upload_not_declared_type', { type: input.contentType }));
    const kept = await this.keeper.keep(input.userId, { bytes: input.bytes, ...sniffed }, 'upload').catch((error: unknown) => {
      // A bucket that does not answer is the caller's 503, not a bug.
      throw error instanceof MediaWriteFailed && hasErrorCode(error.cause, 'media_store_unavailable') ? error.cause : error;
    });
    if (!kept) throw errors.mediaInvalid(message('upload_undecodable', { type: input.contentType }));
    return kept;
  }
}
