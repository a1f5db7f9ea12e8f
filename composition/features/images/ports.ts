import { InMemoryMediaLibrary } from '../../../adapters/in-memory/in-memory-media-library.js';
import { MikroOrmMediaLibrary } from '../../../adapters/persistence/mikro-orm-media-library.js';
import type { ImageGenerator, ImageProcessor, MediaLibrary, MediaStore, PublicMediaUrls } from '../../../core/images/index.js';
import type { Probe } from '../../../adapters/http/readiness.js';
import { token } from '../../app-tokens.js';
import { store } from '../feature.js';

export const IMAGES = {
  MediaLibrary: token<MediaLibrary>('MediaLibrary'),
  MediaStore: token<MediaStore>('MediaStore'),
  /** Where Meta fetches stored files from: PUBLIC_MEDIA_BASE_URL, or presigned URLs of the bucket. */
  PublicMediaUrls: token<PublicMediaUrls>('PublicMediaUrls'),
  /** What /health/ready asks of the bucket (a cached HeadBucket) with MEDIA_STORE=s3; null for the disk store. */
  MediaStoreProbe: token<Probe | null>('MediaStoreProbe'),
  ImageProcessor: token<ImageProcessor>('ImageProcessor'),
  /** Null when no AI server is configured (every image falls back to the SVG card). */
  ImageGenerator: token<ImageGenerator | null>('ImageGenerator'),
};

export const IMAGES_STORES = {
  mediaLibrary: store(IMAGES.MediaLibrary, MikroOrmMediaLibrary, () => new InMemoryMediaLibrary()),
};
