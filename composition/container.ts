import 'reflect-metadata';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { AesGcmTokenCipher } from '../adapters/crypto/aes-gcm-token-cipher.js';
import { createApp } from '../adapters/http/create-app.js';
import type { Route } from '../adapters/http/route.js';
import { FsMediaStore } from '../adapters/media/fs-media-store.js';
import { InMemoryRateLimiter } from '../adapters/rate-limit/in-memory-rate-limiter.js';
import { PersonaTokenReader } from '../core/persona-token.js';
import type { Clock } from '../core/ports/clock.js';
import type { MetaGraph } from '../core/ports/meta-graph.js';
import type { TokenCipher } from '../core/ports/token-cipher.js';
import { CompleteInstagramLink } from '../core/use-cases/complete-instagram-link.js';
import { CompleteSignIn } from '../core/use-cases/complete-sign-in.js';
import { CreatePersona } from '../core/use-cases/create-persona.js';
import { GenerateImage } from '../core/use-cases/generate-image.js';
import { GetCurrentUser } from '../core/use-cases/get-current-user.js';
import { GetPersona } from '../core/use-cases/get-persona.js';
import { LinkInstagramPersona } from '../core/use-cases/link-instagram-persona.js';
import { ListInstagramAccounts } from '../core/use-cases/list-instagram-accounts.js';
import { ListPersonas } from '../core/use-cases/list-personas.js';
import { StartInstagramLink } from '../core/use-cases/start-instagram-link.js';
import { StartSignIn } from '../core/use-cases/start-sign-in.js';
import { UnlinkInstagramPersona } from '../core/use-cases/unlink-instagram-persona.js';
import { UnlinkKakao } from '../core/use-cases/unlink-kakao.js';
import { UpdateProfile } from '../core/use-cases/update-profile.js';
import { UpsertOAuthUser } from '../core/use-cases/upsert-oauth-user.js';
import type { Config } from './config-types.js';
import type { Persistence } from './persistence.js';
import { imageGenerator, metaGraph, signInProviders, type SignInProviders } from './providers.js';
import { appRoutes } from './routes.js';
import { TOKENS as T, type Token } from './tokens.js';

export interface ContainerParts {
  config: Config;
  logger: Logger;
  persistence: Persistence;
  /** Replaces the system clock (tests). */
  clock?: Clock;
  /** Mounted beside the app's routes (tests). */
  extraRoutes?: Route[];
}

type Tokens<A extends unknown[]> = { [K in keyof A]: Token<A[K]> };
type P = Persistence;

/** The one place that knows both core and adapters: every binding of the app. */
export function buildContainer(parts: ContainerParts): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const value = <V>(id: Token<V>, v: V) => container.bind<V>(id).toConstantValue(v);
  const factory = <V, A extends unknown[]>(id: Token<V>, deps: Tokens<A>, make: (...args: A) => V) =>
    container.bind<V>(id).toResolvedValue(make, deps as never);

  value(T.Config, parts.config);
  value(T.Logger, parts.logger);
  value(T.Persistence, parts.persistence);
  value(T.Clock, parts.clock ?? new SystemClock());
  value(T.ExtraRoutes, parts.extraRoutes ?? []);

  // Outbound adapters, chosen from the configuration (fakes with MOCK_PROVIDERS=1).
  factory(T.SignInProviders, [T.Config, T.Logger], signInProviders);
  factory(T.MetaGraph, [T.Config, T.Logger], metaGraph);
  factory(T.TokenCipher, [T.Config], (c: Config) => new AesGcmTokenCipher(c.tokenEncryptionKey, c.previousTokenEncryptionKeys));
  factory(T.PersonaTokenReader, [T.Persistence, T.TokenCipher, T.Clock, T.Config], (p: P, cipher: TokenCipher, clock: Clock, c: Config) =>
    new PersonaTokenReader(p.instagramTokens, cipher, clock, c.igLongLivedUserToken));

  // Profile and sign-in.
  factory(T.GetCurrentUser, [], () => new GetCurrentUser());
  factory(T.UpdateProfile, [T.Persistence, T.Clock, T.Config], (p: P, clock: Clock, c: Config) => new UpdateProfile(p.users, clock, c.appTimezone));
  factory(T.UpsertOAuthUser, [T.Persistence], (p: P) => new UpsertOAuthUser(p.users));
  factory(T.StartSignIn, [T.SignInProviders, T.Clock], (s: SignInProviders, clock: Clock) => new StartSignIn(s.oauth, clock));
  factory(T.CompleteSignIn, [T.SignInProviders, T.UpsertOAuthUser, T.Clock], (s: SignInProviders, upsert: UpsertOAuthUser, clock: Clock) =>
    new CompleteSignIn(s.oauth, upsert, clock));
  factory(T.UnlinkKakao, [T.Persistence, T.SignInProviders], (p: P, s: SignInProviders) => new UnlinkKakao(p.users, s.kakaoUnlinker));

  // Images and personas.
  factory(T.GenerateImage, [T.Config, T.Logger, T.Persistence, T.Clock], (c: Config, logger: Logger, p: P, clock: Clock) =>
    new GenerateImage(imageGenerator(c, logger), new FsMediaStore(c.mediaRoot), p.personas, new InMemoryRateLimiter(clock), {
      maxImageBytes: c.ai.maxImageBytes,
      perMinute: c.imageRatePerMinute,
    }));
  factory(T.CreatePersona, [T.Persistence], (p: P) => new CreatePersona(p.personas));
  factory(T.ListPersonas, [T.Persistence], (p: P) => new ListPersonas(p.personas));
  factory(T.GetPersona, [T.Persistence], (p: P) => new GetPersona(p.personas));

  // Instagram per persona.
  factory(T.StartInstagramLink, [T.Persistence, T.MetaGraph, T.Clock, T.Config], (p: P, meta: MetaGraph, clock: Clock, c: Config) =>
    new StartInstagramLink(p.personas, meta, clock, c.sessionSecret));
  factory(
    T.CompleteInstagramLink, [T.Persistence, T.MetaGraph, T.TokenCipher, T.Clock, T.Config],
    (p: P, meta: MetaGraph, cipher: TokenCipher, clock: Clock, c: Config) =>
      new CompleteInstagramLink(p.personas, p.instagramTokens, meta, cipher, clock, c.sessionSecret),
  );
  factory(T.ListInstagramAccounts, [T.Persistence, T.PersonaTokenReader, T.MetaGraph], (p: P, reader: PersonaTokenReader, meta: MetaGraph) =>
    new ListInstagramAccounts(p.personas, reader, meta));
  factory(
    T.LinkInstagramPersona, [T.Persistence, T.PersonaTokenReader, T.MetaGraph, T.Clock],
    (p: P, reader: PersonaTokenReader, meta: MetaGraph, clock: Clock) => new LinkInstagramPersona(p.personas, reader, meta, clock),
  );
  factory(T.UnlinkInstagramPersona, [T.Persistence], (p: P) => new UnlinkInstagramPersona(p.personas));

  // The HTTP app: routes get the use cases they need, never the container.
  container.bind(T.Routes).toDynamicValue(({ get }) => appRoutes((id) => get(id)));
  factory(T.App, [T.Config, T.Logger, T.Persistence, T.Routes], (c: Config, logger: Logger, p: P, routes: Route[]) =>
    createApp(c, { logger, sessionStore: p.sessions, pingDatabase: () => p.ping(), routes }));
  return container;
}

export function resolve<T>(container: Container, id: Token<T>): T {
  return container.get<T>(id);
}
