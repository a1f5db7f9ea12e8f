import { errors } from '../errors.js';
import { sniffImage } from '../image-data.js';
import type { MediaKeeper } from '../media-keeper.js';
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
      throw errors.mediaInvalid({ en: `The bytes are not ${input.contentType}.`, ko: `${input.contentType} 이미지가 아니에요.` });
    const kept = await this.keeper.keep(input.userId, { bytes: input.bytes, ...sniffed }, 'upload');
    if (!kept)
      throw errors.mediaInvalid({
        en: `The ${input.contentType} image does not decode.`,
        ko: `${input.contentType} 이미지를 읽을 수 없어요.`,
      });
    return kept;
  }
}
