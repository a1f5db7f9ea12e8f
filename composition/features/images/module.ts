import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { GotImageGenerator } from '../../../adapters/ai/got-image-generator.js';
import { FakeImageGenerator } from '../../../adapters/mock-providers/fake-image-generator.js';
import { imageRoutes } from '../../../adapters/http/routes/image-routes.js';
import { cachedProbe } from '../../../adapters/http/readiness.js';
import { mediaLibraryRoutes } from '../../../adapters/http/routes/media-library-routes.js';
import { MEDIA_URL_PATH } from '../../../adapters/http/routes/media-routes.js';
import { SharpImageProcessor } from '../../../adapters/images/sharp-image-processor.js';
import { FsMediaStore } from '../../../adapters/media/fs-media-store.js';
import { BaseUrlMediaUrls, PresignedMediaUrls } from '../../../adapters/media/public-media-urls.js';
import { S3MediaStore } from '../../../adapters/media/s3-media-store.js';
import {
  GenerateImage,
  ListMedia,
  MediaKeeper,
  UnnamedFiles,
  UploadMedia,
  type ImageGenerator,
  type ImageProcessor,
  type MediaLibrary,
  type MediaStore,
} from '../../../core/images/index.js';
import type { PersonaRepository } from '../../../core/personas/index.js';
import type { PostRepository } from '../../../core/publishing/index.js';
import type { Clock, RateLimiter } from '../../../core/shared/index.js';
import { APP } from '../../app-tokens.js';
import type { Config } from '../../config.js';
import { binder } from '../feature.js';
import { PERSONAS } from '../personas/ports.js';
import { PUBLISHING } from '../publishing/ports.js';
import { IMAGES as T, IMAGES_STORES } from './ports.js';

/** How long /health/ready's answer about the bucket is kept. */
const READY_CACHE_MS = 5000;

/** Image generation (the AI server, else the SVG card) and the media library. */
export const imagesModule = new ContainerModule((options) => {
  const { stores, useCase, routes } = binder(options);
  stores(IMAGES_STORES);
  options.bind(T.ImageProcessor).toConstantValue(new SharpImageProcessor());
  // MEDIA_STORE=s3: the bucket; else the files under MEDIA_ROOT. Both serve the same URLs.
  options
    .bind(T.MediaStore)
    .toResolvedValue(
      (c: Config, logger: Logger) =>
        c.s3 ? new S3MediaStore(c.s3, MEDIA_URL_PATH, logger) : new FsMediaStore(c.mediaRoot, MEDIA_URL_PATH),
      [APP.Config, APP.Logger],
    );
  options
    .bind(T.PublicMediaUrls)
    .toResolvedValue(
      (c: Config, files: MediaStore) =>
        c.s3 && files instanceof S3MediaStore
          ? new PresignedMediaUrls(files, c.s3.presignSeconds)
          : new BaseUrlMediaUrls(c.publishing.publicMediaBaseUrl),
      [APP.Config, T.MediaStore],
    );
  // /health/ready's HeadBucket, asked at most once per READY_CACHE_MS however many probes arrive.
  options
    .bind(T.MediaStoreProbe)
    .toResolvedValue(
      (files: MediaStore, clock: Clock) => (files instanceof S3MediaStore ? cachedProbe(() => files.ping(), READY_CACHE_MS, clock) : null),
      [T.MediaStore, APP.Clock],
    );
  // The AI client only with AI_SERVICE_URL; MOCK_PROVIDERS=1 binds the in-process fake.
  options.bind(T.ImageGenerator).toResolvedValue(
    (c: Config, logger: Logger) => {
      if (c.mockProviders) return new FakeImageGenerator();
      const { serviceUrl, timeoutMs, maxImageBytes } = c.ai;
      return serviceUrl ? new GotImageGenerator({ serviceUrl, timeoutMs, maxImageBytes }, logger) : null;
    },
    [APP.Config, APP.Logger],
  );

  useCase(
    MediaKeeper,
    [T.MediaStore, T.MediaLibrary, T.ImageProcessor, APP.Clock],
    (files: MediaStore, library: MediaLibrary, images: ImageProcessor, clock: Clock) => new MediaKeeper(files, library, images, clock),
  );
  useCase(
    GenerateImage,
    [T.ImageGenerator, MediaKeeper, PERSONAS.PersonaRepository, APP.RateLimiter, APP.Config],
    (generator: ImageGenerator | null, keeper: MediaKeeper, personas: PersonaRepository, limiter: RateLimiter, c: Config) =>
      new GenerateImage(generator, keeper, personas, limiter, { maxImageBytes: c.ai.maxImageBytes, perMinute: c.imageRatePerMinute }),
  );
  useCase(UploadMedia, [MediaKeeper], (keeper: MediaKeeper) => new UploadMedia(keeper));
  // Every row that may name a media file: a file goes only once none of them does.
  useCase(
    UnnamedFiles,
    [PERSONAS.PersonaRepository, T.MediaLibrary, PUBLISHING.PostRepository, T.MediaStore],
    (p: PersonaRepository, library: MediaLibrary, posts: PostRepository, media: MediaStore) => new UnnamedFiles([p, library, posts], media),
  );
  useCase(ListMedia, [T.MediaLibrary], (library: MediaLibrary) => new ListMedia(library));
  routes(imageRoutes, mediaLibraryRoutes);
});
