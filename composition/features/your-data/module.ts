import { ContainerModule } from 'inversify';
import { DELETION_STATUS_PATH, instagramLoginNoticeRoutes, metaNoticeRoutes } from '../../../adapters/http/routes/meta-notice-routes.js';
import { yourDataRoutes } from '../../../adapters/http/routes/your-data-routes.js';
import type { KakaoUnlinker, SessionStore, UserRepository } from '../../../core/identity/index.js';
import { UnnamedFiles, type MediaLibrary } from '../../../core/images/index.js';
import type { InsightsStore } from '../../../core/insights/index.js';
import type { InstagramTokenStore } from '../../../core/instagram/index.js';
import type { PersonaRepository } from '../../../core/personas/index.js';
import type { PostRepository } from '../../../core/publishing/index.js';
import type { Clock, TransactionRunner } from '../../../core/shared/index.js';
import {
  DeauthorizeMetaUser,
  DeleteAccount,
  GetMetaDeletionStatus,
  ReceiveKakaoUnlinkNotice,
  RequestMetaDataDeletion,
  UserEraser,
  type MetaDeletionRequests,
} from '../../../core/your-data/index.js';
import { APP } from '../../app-tokens.js';
import type { Config } from '../../config.js';
import { binder } from '../feature.js';
import { IDENTITY } from '../identity/ports.js';
import { IMAGES } from '../images/ports.js';
import { INSIGHTS } from '../insights/ports.js';
import { INSTAGRAM } from '../instagram/ports.js';
import { PERSONAS } from '../personas/ports.js';
import { PUBLISHING } from '../publishing/ports.js';
import { YOUR_DATA as T, YOUR_DATA_STORES } from './ports.js';

/** Deleting a user's data (the account, Kakao's unlink notice, Meta's deauthorize and data-deletion notices). */
export const yourDataModule = new ContainerModule((options) => {
  const { stores, useCase, routes } = binder(options);
  const P = PERSONAS.PersonaRepository;
  const POSTS = PUBLISHING.PostRepository;
  stores(YOUR_DATA_STORES);

  useCase(
    DeauthorizeMetaUser,
    [P, POSTS, INSIGHTS.InsightsStore, APP.TransactionRunner, UnnamedFiles, APP.Config],
    (p: PersonaRepository, posts: PostRepository, insights: InsightsStore, tx: TransactionRunner, files: UnnamedFiles, c: Config) =>
      new DeauthorizeMetaUser(p, posts, insights, tx, files, { facebook: c.meta.appSecret, instagram: c.instagram.appSecret }),
  );
  useCase(
    RequestMetaDataDeletion,
    [DeauthorizeMetaUser, T.MetaDeletionRequests, APP.Clock, APP.Config],
    (deauthorize: DeauthorizeMetaUser, requests: MetaDeletionRequests, clock: Clock, c: Config) =>
      new RequestMetaDataDeletion(deauthorize, requests, clock, `${c.backendUrl}${DELETION_STATUS_PATH}`),
  );
  useCase(GetMetaDeletionStatus, [T.MetaDeletionRequests], (requests: MetaDeletionRequests) => new GetMetaDeletionStatus(requests));
  // Every store of user data is listed here (UnnamedFiles, in the images module, lists every row that may name a file).
  useCase(
    UserEraser,
    [
      IDENTITY.UserRepository,
      IDENTITY.SessionStore,
      INSTAGRAM.InstagramTokenStore,
      INSIGHTS.InsightsStore,
      POSTS,
      P,
      IMAGES.MediaLibrary,
      UnnamedFiles,
      APP.TransactionRunner,
    ],
    (
      u: UserRepository,
      s: SessionStore,
      tokens: InstagramTokenStore,
      insights: InsightsStore,
      posts: PostRepository,
      p: PersonaRepository,
      library: MediaLibrary,
      files: UnnamedFiles,
      tx: TransactionRunner,
    ) => new UserEraser(u, [s, tokens, insights, posts, p, library], files, tx),
  );
  useCase(
    DeleteAccount,
    [IDENTITY.KakaoUnlinker, UserEraser],
    (kakao: KakaoUnlinker, eraser: UserEraser) => new DeleteAccount(kakao, eraser),
  );
  useCase(
    ReceiveKakaoUnlinkNotice,
    [IDENTITY.UserRepository, UserEraser, APP.Config],
    (users: UserRepository, eraser: UserEraser, c: Config) => new ReceiveKakaoUnlinkNotice(users, eraser, c.kakao),
  );

  routes(metaNoticeRoutes, instagramLoginNoticeRoutes, yourDataRoutes);
});
