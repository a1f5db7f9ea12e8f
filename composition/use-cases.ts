import type { Container, ServiceIdentifier } from 'inversify';
import {
  PageTokens,
  PersonaTokenReader,
  type InstagramTokenStore,
  type MetaGraph,
  type TokenCipher,
  CheckTokens,
  CompleteInstagramLink,
  GetInstagramStatus,
  LinkInstagramPersona,
  ListInstagramAccounts,
  StartInstagramLink,
  UnlinkInstagramPersona,
} from '../core/instagram/index.js';
import type { Clock, RateLimiter, TransactionRunner } from '../core/shared/index.js';
import {
  type ImageGenerator,
  type ImageProcessor,
  type MediaLibrary,
  type MediaStore,
  GenerateImage,
  ListMedia,
  UploadMedia,
  MediaKeeper,
} from '../core/images/index.js';
import {
  type InstagramPublisher,
  type PostRepository,
  CreatePost,
  DeletePost,
  EditPost,
  GetPost,
  ListPosts,
  PublishPost,
  RetryPost,
  SchedulePost,
  UnschedulePost,
  PublishToInstagram,
  PostQueue,
} from '../core/publishing/index.js';
import type { JobQueue } from '../core/jobs/index.js';
import {
  type MetaDeletionRequests,
  DeauthorizeMetaUser,
  DeleteAccount,
  GetMetaDeletionStatus,
  RequestMetaDataDeletion,
  ReceiveKakaoUnlinkNotice,
  UnlinkKakao,
  UnnamedFiles,
  UserEraser,
} from '../core/your-data/index.js';
import {
  type KakaoUnlinker,
  type OAuthProvider,
  type SessionStore,
  type UsedStateStore,
  type UserRepository,
  CompleteSignIn,
  GetCurrentUser,
  StartSignIn,
  UpdateProfile,
  UpsertOAuthUser,
} from '../core/identity/index.js';
import { type PersonaRepository, CreatePersona, GetPersona, ListPersonas } from '../core/personas/index.js';
import { GENDERS } from '../adapters/http/schemas.js';
import { DELETION_STATUS_PATH } from '../adapters/http/routes/meta-notice-routes.js';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { TOKENS as T } from './tokens.js';

type Ids<A extends unknown[]> = { [K in keyof A]: ServiceIdentifier<A[K]> };

/**
 * Every use case, bound by its class to a factory over the ports it takes. Adding a use case: one
 * line here, and the route module that names it.
 */
export function bindUseCases(container: Container): void {
  const useCase = <V, A extends unknown[]>(id: ServiceIdentifier<V>, deps: Ids<A>, make: (...args: A) => V) =>
    container.bind<V>(id).toResolvedValue(make, deps as never);
  type Oauth = OAuthProvider;

  // Profile and sign-in.
  useCase(GetCurrentUser, [], () => new GetCurrentUser());
  useCase(
    UpdateProfile,
    [T.UserRepository, T.Clock, T.Config],
    (u: UserRepository, clock: Clock, c: Config) => new UpdateProfile(u, clock, c.appTimezone, GENDERS),
  );
  useCase(UpsertOAuthUser, [T.UserRepository], (users: UserRepository) => new UpsertOAuthUser(users));
  useCase(
    StartSignIn,
    [T.KakaoOAuth, T.GoogleOAuth, T.Clock],
    (kakao: Oauth, google: Oauth, clock: Clock) => new StartSignIn({ kakao, google }, clock),
  );
  useCase(
    CompleteSignIn,
    [T.KakaoOAuth, T.GoogleOAuth, UpsertOAuthUser, T.UsedStateStore, T.Clock],
    (kakao: Oauth, google: Oauth, upsert: UpsertOAuthUser, used: UsedStateStore, clock: Clock) =>
      new CompleteSignIn({ kakao, google }, upsert, used, clock),
  );
  useCase(UnlinkKakao, [T.UserRepository, T.KakaoUnlinker], (users: UserRepository, kakao: KakaoUnlinker) => new UnlinkKakao(users, kakao));

  // Images, the media library and personas.
  useCase(
    MediaKeeper,
    [T.MediaStore, T.MediaLibrary, T.ImageProcessor, T.Clock],
    (files: MediaStore, library: MediaLibrary, images: ImageProcessor, clock: Clock) => new MediaKeeper(files, library, images, clock),
  );
  useCase(
    GenerateImage,
    [T.ImageGenerator, MediaKeeper, T.PersonaRepository, T.RateLimiter, T.Config],
    (generator: ImageGenerator | null, keeper: MediaKeeper, personas: PersonaRepository, limiter: RateLimiter, c: Config) =>
      new GenerateImage(generator, keeper, personas, limiter, { maxImageBytes: c.ai.maxImageBytes, perMinute: c.imageRatePerMinute }),
  );
  useCase(UploadMedia, [MediaKeeper], (keeper: MediaKeeper) => new UploadMedia(keeper));
  useCase(ListMedia, [T.MediaLibrary], (library: MediaLibrary) => new ListMedia(library));
  useCase(CreatePersona, [T.PersonaRepository], (personas: PersonaRepository) => new CreatePersona(personas));
  useCase(ListPersonas, [T.PersonaRepository], (personas: PersonaRepository) => new ListPersonas(personas));
  useCase(GetPersona, [T.PersonaRepository], (personas: PersonaRepository) => new GetPersona(personas));

  // Instagram per persona.
  useCase(
    PersonaTokenReader,
    [T.InstagramTokenStore, T.TokenCipher, T.Clock, T.Config],
    (tokens: InstagramTokenStore, cipher: TokenCipher, clock: Clock, c: Config) =>
      new PersonaTokenReader(tokens, cipher, clock, c.igLongLivedUserToken),
  );
  useCase(
    StartInstagramLink,
    [T.PersonaRepository, T.MetaGraph, T.Clock, T.Config],
    (p: PersonaRepository, meta: MetaGraph, clock: Clock, c: Config) => new StartInstagramLink(p, meta, clock, c.sessionSecret),
  );
  useCase(
    CompleteInstagramLink,
    [T.PersonaRepository, T.InstagramTokenStore, T.MetaGraph, T.TokenCipher, T.Clock, T.Config],
    (p: PersonaRepository, tokens: InstagramTokenStore, meta: MetaGraph, cipher: TokenCipher, clock: Clock, c: Config) =>
      new CompleteInstagramLink(p, tokens, meta, cipher, clock, {
        stateSecrets: [c.sessionSecret, ...c.previousSessionSecrets],
        requiredPermissions: c.meta.scopes.split(',').filter(Boolean),
      }),
  );
  useCase(
    ListInstagramAccounts,
    [T.PersonaRepository, PersonaTokenReader, T.MetaGraph],
    (p: PersonaRepository, reader: PersonaTokenReader, meta: MetaGraph) => new ListInstagramAccounts(p, reader, meta),
  );
  useCase(
    PageTokens,
    [T.InstagramTokenStore, T.TokenCipher, PersonaTokenReader, T.MetaGraph],
    (tokens: InstagramTokenStore, cipher: TokenCipher, reader: PersonaTokenReader, meta: MetaGraph) =>
      new PageTokens(tokens, cipher, reader, meta),
  );
  useCase(
    LinkInstagramPersona,
    [T.PersonaRepository, PersonaTokenReader, T.MetaGraph, T.Clock, PageTokens],
    (p: PersonaRepository, reader: PersonaTokenReader, meta: MetaGraph, clock: Clock, pages: PageTokens) =>
      new LinkInstagramPersona(p, reader, meta, clock, pages),
  );
  useCase(UnlinkInstagramPersona, [T.PersonaRepository], (personas: PersonaRepository) => new UnlinkInstagramPersona(personas));
  useCase(
    GetInstagramStatus,
    [T.PersonaRepository, T.InstagramTokenStore, PageTokens, T.InstagramPublisher, T.PostRepository],
    (p: PersonaRepository, tokens: InstagramTokenStore, pages: PageTokens, publisher: InstagramPublisher, posts: PostRepository) =>
      new GetInstagramStatus(p, tokens, pages, publisher, posts),
  );

  // Posts: written here, published by the worker.
  useCase(
    PostQueue,
    [T.PostRepository, T.PersonaRepository, T.InstagramTokenStore, T.JobQueue, T.TransactionRunner, T.Clock],
    (posts: PostRepository, p: PersonaRepository, tokens: InstagramTokenStore, jobs: JobQueue, tx: TransactionRunner, clock: Clock) =>
      new PostQueue(posts, p, tokens, jobs, tx, clock),
  );
  useCase(
    CreatePost,
    [T.PersonaRepository, T.MediaLibrary, T.PostRepository, T.Clock],
    (p: PersonaRepository, library: MediaLibrary, posts: PostRepository, clock: Clock) => new CreatePost(p, library, posts, clock),
  );
  useCase(ListPosts, [T.PersonaRepository, T.PostRepository], (p: PersonaRepository, posts: PostRepository) => new ListPosts(p, posts));
  useCase(GetPost, [T.PostRepository], (posts: PostRepository) => new GetPost(posts));
  useCase(
    EditPost,
    [T.MediaLibrary, T.PostRepository, T.Clock],
    (library: MediaLibrary, posts: PostRepository, clock: Clock) => new EditPost(library, posts, clock),
  );
  useCase(DeletePost, [T.PostRepository, PostQueue], (posts: PostRepository, queue: PostQueue) => new DeletePost(posts, queue));
  useCase(PublishPost, [T.PostRepository, PostQueue], (posts: PostRepository, queue: PostQueue) => new PublishPost(posts, queue));
  useCase(
    SchedulePost,
    [T.PostRepository, PostQueue, T.Clock, T.Config],
    (posts: PostRepository, queue: PostQueue, clock: Clock, c: Config) => new SchedulePost(posts, queue, clock, c.appTimezone),
  );
  useCase(UnschedulePost, [T.PostRepository, PostQueue], (posts: PostRepository, queue: PostQueue) => new UnschedulePost(posts, queue));
  useCase(RetryPost, [T.PostRepository, PostQueue], (posts: PostRepository, queue: PostQueue) => new RetryPost(posts, queue));

  // The job worker's handlers.
  useCase(
    PublishToInstagram,
    [
      T.PostRepository,
      T.PersonaRepository,
      PageTokens,
      T.InstagramTokenStore,
      T.InstagramPublisher,
      T.MediaStore,
      T.ImageProcessor,
      T.Clock,
      T.Logger,
      T.Config,
    ],
    (
      posts: PostRepository,
      p: PersonaRepository,
      pages: PageTokens,
      tokens: InstagramTokenStore,
      ig: InstagramPublisher,
      files: MediaStore,
      images: ImageProcessor,
      clock: Clock,
      logger: Logger,
      c: Config,
    ) => new PublishToInstagram(posts, p, pages, tokens, ig, files, images, clock, logger, c.publishing),
  );
  useCase(
    CheckTokens,
    [T.PersonaRepository, PageTokens, T.InstagramTokenStore, T.InstagramPublisher, T.JobQueue, T.Clock, T.Logger],
    (
      p: PersonaRepository,
      pages: PageTokens,
      tokens: InstagramTokenStore,
      ig: InstagramPublisher,
      jobs: JobQueue,
      clock: Clock,
      logger: Logger,
    ) => new CheckTokens(p, pages, tokens, ig, jobs, clock, logger),
  );

  // Meta's deauthorize and data-deletion notices.
  useCase(
    DeauthorizeMetaUser,
    [T.PersonaRepository, T.PostRepository, T.TransactionRunner, UnnamedFiles, T.Config],
    (p: PersonaRepository, posts: PostRepository, tx: TransactionRunner, files: UnnamedFiles, c: Config) =>
      new DeauthorizeMetaUser(p, posts, tx, files, c.meta.appSecret),
  );
  useCase(
    RequestMetaDataDeletion,
    [DeauthorizeMetaUser, T.MetaDeletionRequests, T.Clock, T.Config],
    (deauthorize: DeauthorizeMetaUser, requests: MetaDeletionRequests, clock: Clock, c: Config) =>
      new RequestMetaDataDeletion(deauthorize, requests, clock, `${c.backendUrl}${DELETION_STATUS_PATH}`),
  );
  useCase(GetMetaDeletionStatus, [T.MetaDeletionRequests], (requests: MetaDeletionRequests) => new GetMetaDeletionStatus(requests));
  // Deleting a user's data. Every store of user data is listed here, and every row that may name a media file.
  useCase(
    UnnamedFiles,
    [T.PersonaRepository, T.MediaLibrary, T.PostRepository, T.MediaStore],
    (p: PersonaRepository, library: MediaLibrary, posts: PostRepository, media: MediaStore) => new UnnamedFiles([p, library, posts], media),
  );
  useCase(
    UserEraser,
    [
      T.UserRepository,
      T.SessionStore,
      T.InstagramTokenStore,
      T.PostRepository,
      T.PersonaRepository,
      T.MediaLibrary,
      UnnamedFiles,
      T.TransactionRunner,
    ],
    (
      u: UserRepository,
      s: SessionStore,
      tokens: InstagramTokenStore,
      posts: PostRepository,
      p: PersonaRepository,
      library: MediaLibrary,
      files: UnnamedFiles,
      tx: TransactionRunner,
    ) => new UserEraser(u, [s, tokens, posts, p, library], files, tx),
  );
  useCase(DeleteAccount, [T.KakaoUnlinker, UserEraser], (kakao: KakaoUnlinker, eraser: UserEraser) => new DeleteAccount(kakao, eraser));
  useCase(
    ReceiveKakaoUnlinkNotice,
    [T.UserRepository, UserEraser, T.Config],
    (users: UserRepository, eraser: UserEraser, c: Config) => new ReceiveKakaoUnlinkNotice(users, eraser, c.kakao),
  );
}
