import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { FakeInstagramPublisher } from '../../../adapters/mock-providers/fake-instagram-publisher.js';
import type { FakeMetaGraph } from '../../../adapters/mock-providers/fake-meta-graph.js';
import type { FakeInstagramLoginApi } from '../../../adapters/mock-providers/fake-instagram-login-api.js';
import { postRoutes } from '../../../adapters/http/routes/post-routes.js';
import { GotInstagramPublisher, type InstagramPublisherConfig } from '../../../adapters/meta/got-instagram-publisher.js';
import { UnnamedFiles, type ImageProcessor, type MediaLibrary, type MediaStore, type PublicMediaUrls } from '../../../core/images/index.js';
import { PageTokens, type InstagramLoginApi, type InstagramTokenStore, type MetaGraph } from '../../../core/instagram/index.js';
import type { JobQueue } from '../../../core/jobs/index.js';
import type { PersonaRepository } from '../../../core/personas/index.js';
import {
  CreatePost,
  DeletePost,
  EditPost,
  GetPost,
  ListPosts,
  PUBLISH_POST_JOB,
  PostQueue,
  PublishPost,
  PublishToInstagram,
  RetryPost,
  SchedulePost,
  UnschedulePost,
  type InstagramPublisher,
  type PostRepository,
} from '../../../core/publishing/index.js';
import type { Clock, TransactionRunner } from '../../../core/shared/index.js';
import { APP } from '../../app-tokens.js';
import type { Config } from '../../config.js';
import { binder } from '../feature.js';
import { IMAGES } from '../images/ports.js';
import { INSTAGRAM } from '../instagram/ports.js';
import { JOBS } from '../jobs/ports.js';
import { PERSONAS } from '../personas/ports.js';
import { PUBLISHING as T, PUBLISHING_STORES } from './ports.js';

/** Where publishing calls go: the Facebook Graph (Facebook Login links) and the Instagram Graph with its version (Instagram Login links). */
export const publisherConfig = (c: Config): InstagramPublisherConfig => ({
  appSecret: c.meta.appSecret,
  graphBaseUrl: c.meta.graphBaseUrl,
  instagramGraphBaseUrl: `${c.instagram.graphUrl}/${c.instagram.apiVersion}`,
});

/** Posts: written by the routes, published by the job worker. MOCK_PROVIDERS=1 publishes to the fake Graph API. */
export const publishingModule = new ContainerModule((options) => {
  const { stores, useCase, routes } = binder(options);
  const P = PERSONAS.PersonaRepository;
  stores(PUBLISHING_STORES);
  options
    .bind(T.InstagramPublisher)
    .toResolvedValue(
      (c: Config, logger: Logger, clock: Clock, meta: MetaGraph, instagram: InstagramLoginApi) =>
        c.mockProviders
          ? new FakeInstagramPublisher(
              (token) =>
                token.login === 'instagram'
                  ? (instagram as FakeInstagramLoginApi).igUserOfToken(token.value)
                  : (meta as FakeMetaGraph).igUserOfPageToken(token.value),
              clock,
            )
          : new GotInstagramPublisher(publisherConfig(c), logger),
      [APP.Config, APP.Logger, APP.Clock, INSTAGRAM.MetaGraph, INSTAGRAM.InstagramLoginApi],
    );

  useCase(
    PostQueue,
    [T.PostRepository, P, INSTAGRAM.InstagramTokenStore, JOBS.JobQueue, APP.TransactionRunner, APP.Clock],
    (posts: PostRepository, p: PersonaRepository, tokens: InstagramTokenStore, jobs: JobQueue, tx: TransactionRunner, clock: Clock) =>
      new PostQueue(posts, p, tokens, jobs, tx, clock),
  );
  useCase(
    CreatePost,
    [P, IMAGES.MediaLibrary, T.PostRepository, APP.Clock],
    (p: PersonaRepository, library: MediaLibrary, posts: PostRepository, clock: Clock) => new CreatePost(p, library, posts, clock),
  );
  useCase(ListPosts, [P, T.PostRepository], (p: PersonaRepository, posts: PostRepository) => new ListPosts(p, posts));
  useCase(GetPost, [T.PostRepository], (posts: PostRepository) => new GetPost(posts));
  useCase(
    EditPost,
    [IMAGES.MediaLibrary, T.PostRepository, APP.Clock, UnnamedFiles],
    (library: MediaLibrary, posts: PostRepository, clock: Clock, files: UnnamedFiles) => new EditPost(library, posts, clock, files),
  );
  useCase(
    DeletePost,
    [T.PostRepository, PostQueue, UnnamedFiles],
    (posts: PostRepository, queue: PostQueue, files: UnnamedFiles) => new DeletePost(posts, queue, files),
  );
  useCase(PublishPost, [T.PostRepository, PostQueue], (posts: PostRepository, queue: PostQueue) => new PublishPost(posts, queue));
  useCase(
    SchedulePost,
    [T.PostRepository, PostQueue, APP.Clock, APP.Config],
    (posts: PostRepository, queue: PostQueue, clock: Clock, c: Config) => new SchedulePost(posts, queue, clock, c.appTimezone),
  );
  useCase(UnschedulePost, [T.PostRepository, PostQueue], (posts: PostRepository, queue: PostQueue) => new UnschedulePost(posts, queue));
  useCase(RetryPost, [T.PostRepository, PostQueue], (posts: PostRepository, queue: PostQueue) => new RetryPost(posts, queue));

  useCase(
    PublishToInstagram,
    [
      T.PostRepository,
      P,
      PageTokens,
      INSTAGRAM.InstagramTokenStore,
      T.InstagramPublisher,
      IMAGES.MediaStore,
      IMAGES.PublicMediaUrls,
      IMAGES.ImageProcessor,
      APP.Clock,
      APP.Logger,
      APP.Config,
    ],
    (
      posts: PostRepository,
      p: PersonaRepository,
      pages: PageTokens,
      tokens: InstagramTokenStore,
      ig: InstagramPublisher,
      files: MediaStore,
      mediaUrls: PublicMediaUrls,
      images: ImageProcessor,
      clock: Clock,
      logger: Logger,
      c: Config,
    ) => new PublishToInstagram(posts, p, pages, tokens, ig, files, mediaUrls, images, clock, logger, c.publishing),
  );
  options
    .bind(APP.JobHandler)
    .toResolvedValue((publish: PublishToInstagram) => ({ kind: PUBLISH_POST_JOB, handle: publish.handle }), [PublishToInstagram]);

  routes(postRoutes);
});
