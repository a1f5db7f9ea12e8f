import type { CheckedImage } from './image-data.js';
import type { Clock } from '../shared/index.js';
import type { ImageProcessor } from './ports/image-processor.js';
import type { Media, MediaLibrary, MediaSource } from './ports/media-library.js';
import type { MediaStore } from './ports/media-store.js';

/** The MediaStore could not write the file (the cause is kept); nothing was added to the library. */
export class MediaWriteFailed extends Error {
  constructor(cause: unknown) {
    super('the media file could not be written', { cause });
    this.name = 'MediaWriteFailed';
  }
}

/** Puts an image into a user's media library: decoded first, then the file, then the row. */
export class MediaKeeper {
  constructor(
    private readonly files: MediaStore,
    private readonly library: MediaLibrary,
    private readonly images: ImageProcessor,
    private readonly clock: Clock,
  ) {}

  /** The new row; null (and nothing written) when the bytes do not decode as the type their magic numbers name. */
  async keep(userId: number, image: CheckedImage, source: MediaSource): Promise<Media | null> {
    const decoded = await this.images.inspect(image.bytes);
    if (decoded?.contentType !== image.mimeType) return null;
    const url = await this.files.save(image.bytes, image.extension).catch((error: unknown) => {
      throw new MediaWriteFailed(error);
    });
    const { contentType, width, height } = decoded;
    return this.library.add({ userId, url, contentType, width, height, bytes: image.bytes.length, source }, this.clock.now());
  }
}
