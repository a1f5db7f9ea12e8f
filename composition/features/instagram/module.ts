import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { AesGcmTokenCipher } from '../../../adapters/crypto/aes-gcm-token-cipher.js';
import { FakeInstagramLoginApi } from '../../../adapters/mock-providers/fake-instagram-login-api.js';
import { FakeMetaGraph } from '../../../adapters/mock-providers/fake-meta-graph.js';
import { instagramLoginRoutes } from '../../../adapters/http/routes/instagram-login-routes.js';
import { instagramAccountRoutes } from '../../../adapters/http/routes/instagram-account-routes.js';
import { instagramOAuthRoutes } from '../../../adapters/http/routes/instagram-oauth-routes.js';
import { GotInstagramLoginApi } from '../../../adapters/meta/got-instagram-login-api.js';
import { GotMetaGraph } from '../../../adapters/meta/got-meta-graph.js';
import {
  CHECK_TOKENS_JOB,
  CheckTokens,
  CompleteInstagramLink,
  CompleteInstagramLoginLink,
  GetInstagramStatus,
  InstagramLoginTokenRefresher,
  LinkInstagramPersona,
  ListInstagramAccounts,
  PageTokens,
  PersonaTokenReader,
  StartInstagramLink,
  UnlinkInstagramPersona,
  type InstagramLoginApi,
  type InstagramTokenStore,
  type MetaGraph,
  type TokenCipher,
} from '../../../core/instagram/index.js';
import type { JobQueue } from '../../../core/jobs/index.js';
import type { PersonaRepository } from '../../../core/personas/index.js';
import type { InstagramPublisher, PostRepository } from '../../../core/publishing/index.js';
import type { Clock, TransactionRunner } from '../../../core/shared/index.js';
import { APP } from '../../app-tokens.js';
import type { Config } from '../../config.js';
import { binder } from '../feature.js';
import { JOBS } from '../jobs/ports.js';
import { PERSONAS } from '../personas/ports.js';
import { PUBLISHING } from '../publishing/ports.js';
import { INSTAGRAM as T, INSTAGRAM_STORES } from './ports.js';

export const metaRedirectUri = (config: Config) => config.meta.redirectUri ?? `${config.backendUrl}/oauth/instagram/callback`;
export const instagramLoginRedirectUri = (config: Config) =>
  config.instagram.redirectUri ?? `${config.backendUrl}/oauth/instagram-login/callback`;
const scopesOf = (list: string) => list.split(',').filter(Boolean);

/** Instagram per persona: both link paths, the sealed tokens, the daily token check and refresh. MOCK_PROVIDERS=1 binds the fakes of both. */
export const instagramModule = new ContainerModule((options) => {
  const { stores, useCase, routes } = binder(options);
  const P = PERSONAS.PersonaRepository;
  stores(INSTAGRAM_STORES);
  options
    .bind(T.TokenCipher)
    .toResolvedValue((c: Config) => new AesGcmTokenCipher(c.tokenEncryptionKey, c.previousTokenEncryptionKeys), [APP.Config]);
  options
    .bind(T.MetaGraph)
    .toResolvedValue(
      (c: Config, logger: Logger) =>
        c.mockProviders
          ? new FakeMetaGraph(metaRedirectUri(c), c.meta.scopes.split(','))
          : new GotMetaGraph({ ...c.meta, redirectUri: metaRedirectUri(c) }, logger),
      [APP.Config, APP.Logger],
    );
  options
    .bind(T.InstagramLoginApi)
    .toResolvedValue(
      (c: Config, logger: Logger) =>
        c.mockProviders
          ? new FakeInstagramLoginApi(instagramLoginRedirectUri(c), scopesOf(c.instagram.scopes))
          : new GotInstagramLoginApi({ ...c.instagram, redirectUri: instagramLoginRedirectUri(c) }, logger),
      [APP.Config, APP.Logger],
    );

  useCase(
    PersonaTokenReader,
    [T.InstagramTokenStore, T.TokenCipher, APP.Clock, APP.Config],
    (tokens: InstagramTokenStore, cipher: TokenCipher, clock: Clock, c: Config) =>
      new PersonaTokenReader(tokens, cipher, clock, c.igLongLivedUserToken),
  );
  useCase(
    StartInstagramLink,
    [P, T.MetaGraph, T.InstagramLoginApi, APP.Clock, APP.Config],
    (p: PersonaRepository, meta: MetaGraph, instagram: InstagramLoginApi, clock: Clock, c: Config) =>
      new StartInstagramLink(p, { facebook: meta, instagram }, clock, c.sessionSecret),
  );
  useCase(
    CompleteInstagramLink,
    [P, T.InstagramTokenStore, T.MetaGraph, T.TokenCipher, APP.Clock, APP.TransactionRunner, APP.Config],
    (
      p: PersonaRepository,
      tokens: InstagramTokenStore,
      meta: MetaGraph,
      cipher: TokenCipher,
      clock: Clock,
      tx: TransactionRunner,
      c: Config,
    ) =>
      new CompleteInstagramLink(p, tokens, meta, cipher, clock, tx, {
        stateSecrets: [c.sessionSecret, ...c.previousSessionSecrets],
        requiredPermissions: scopesOf(c.meta.scopes),
      }),
  );
  useCase(
    CompleteInstagramLoginLink,
    [P, T.InstagramTokenStore, T.InstagramLoginApi, T.TokenCipher, APP.Clock, APP.TransactionRunner, APP.Config],
    (
      p: PersonaRepository,
      tokens: InstagramTokenStore,
      instagram: InstagramLoginApi,
      cipher: TokenCipher,
      clock: Clock,
      tx: TransactionRunner,
      c: Config,
    ) =>
      new CompleteInstagramLoginLink(p, tokens, instagram, cipher, clock, tx, {
        stateSecrets: [c.sessionSecret, ...c.previousSessionSecrets],
        requiredPermissions: scopesOf(c.instagram.scopes),
      }),
  );
  useCase(
    InstagramLoginTokenRefresher,
    [T.InstagramTokenStore, T.TokenCipher, T.InstagramLoginApi, APP.Clock],
    (tokens: InstagramTokenStore, cipher: TokenCipher, instagram: InstagramLoginApi, clock: Clock) =>
      new InstagramLoginTokenRefresher(tokens, cipher, instagram, clock),
  );
  useCase(
    ListInstagramAccounts,
    [P, PersonaTokenReader, T.MetaGraph],
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
    [P, PersonaTokenReader, T.MetaGraph, APP.Clock, PageTokens],
    (p: PersonaRepository, reader: PersonaTokenReader, meta: MetaGraph, clock: Clock, pages: PageTokens) =>
      new LinkInstagramPersona(p, reader, meta, clock, pages),
  );
  useCase(UnlinkInstagramPersona, [P], (personas: PersonaRepository) => new UnlinkInstagramPersona(personas));
  useCase(
    GetInstagramStatus,
    [P, T.InstagramTokenStore, PageTokens, PUBLISHING.InstagramPublisher, PUBLISHING.PostRepository],
    (p: PersonaRepository, tokens: InstagramTokenStore, pages: PageTokens, publisher: InstagramPublisher, posts: PostRepository) =>
      new GetInstagramStatus(p, tokens, pages, publisher, posts),
  );
  useCase(
    CheckTokens,
    [
      P,
      PageTokens,
      T.InstagramTokenStore,
      PUBLISHING.InstagramPublisher,
      JOBS.JobQueue,
      APP.Clock,
      APP.Logger,
      InstagramLoginTokenRefresher,
    ],
    (
      p: PersonaRepository,
      pages: PageTokens,
      tokens: InstagramTokenStore,
      ig: InstagramPublisher,
      jobs: JobQueue,
      clock: Clock,
      logger: Logger,
      refresher: InstagramLoginTokenRefresher,
    ) => new CheckTokens(p, pages, tokens, ig, jobs, clock, logger, refresher),
  );
  options
    .bind(APP.JobHandler)
    .toResolvedValue((checkTokens: CheckTokens) => ({ kind: CHECK_TOKENS_JOB, handle: checkTokens.handle }), [CheckTokens]);

  routes(instagramOAuthRoutes, instagramLoginRoutes, instagramAccountRoutes);
});
