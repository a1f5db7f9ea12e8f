import 'reflect-metadata';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { createApp } from '../adapters/http/create-app.js';
import type { Route } from '../adapters/http/route.js';
import { profileRoutes } from '../adapters/http/routes/profile-routes.js';
import { signInRoutes } from '../adapters/http/routes/sign-in-routes.js';
import type { Clock } from '../core/ports/clock.js';
import { FsMediaStore } from '../adapters/media/fs-media-store.js';
import { InMemoryRateLimiter } from '../adapters/rate-limit/in-memory-rate-limiter.js';
import { imageRoutes } from '../adapters/http/routes/image-routes.js';
import { CompleteSignIn } from '../core/use-cases/complete-sign-in.js';
import { GenerateImage } from '../core/use-cases/generate-image.js';
import { GetCurrentUser } from '../core/use-cases/get-current-user.js';
import { StartSignIn } from '../core/use-cases/start-sign-in.js';
import { UnlinkKakao } from '../core/use-cases/unlink-kakao.js';
import { UpdateProfile } from '../core/use-cases/update-profile.js';
import { UpsertOAuthUser } from '../core/use-cases/upsert-oauth-user.js';
import type { Config } from './config-types.js';
import type { Persistence } from './persistence.js';
import { imageGenerator, signInProviders, type SignInProviders } from './providers.js';
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
  factory(T.SignInProviders, [T.Config, T.Logger], signInProviders);

  factory(T.GetCurrentUser, [T.Persistence], (p: Persistence) => new GetCurrentUser(p.users));
  factory(T.UpdateProfile, [T.Persistence, T.Clock, T.Config], (p: Persistence, clock: Clock, c: Config) => new UpdateProfile(p.users, clock, c.appTimezone));
  factory(T.UpsertOAuthUser, [T.Persistence], (p: Persistence) => new UpsertOAuthUser(p.users));
  factory(T.StartSignIn, [T.SignInProviders, T.Clock], (s: SignInProviders, clock: Clock) => new StartSignIn(s.oauth, clock));
  factory(
    T.CompleteSignIn, [T.SignInProviders, T.UpsertOAuthUser, T.Clock],
    (s: SignInProviders, upsert: UpsertOAuthUser, clock: Clock) => new CompleteSignIn(s.oauth, upsert, clock),
  );
  factory(T.UnlinkKakao, [T.Persistence, T.SignInProviders], (p: Persistence, s: SignInProviders) => new UnlinkKakao(p.users, s.kakaoUnlinker));

  factory(
    T.GenerateImage, [T.Config, T.Logger, T.Persistence, T.Clock],
    (c: Config, logger: Logger, p: Persistence, clock: Clock) =>
      new GenerateImage(imageGenerator(c, logger), new FsMediaStore(c.mediaRoot), p.personas, new InMemoryRateLimiter(clock), {
        maxImageBytes: c.ai.maxImageBytes,
        perMinute: c.imageRatePerMinute,
      }),
  );

  factory(
    T.Routes,
    [T.Config, T.Logger, T.GetCurrentUser, T.UpdateProfile, T.StartSignIn, T.CompleteSignIn, T.UnlinkKakao, T.GenerateImage, T.ExtraRoutes],
    (config: Config, logger: Logger, getCurrentUser: GetCurrentUser, updateProfile: UpdateProfile,
      startSignIn: StartSignIn, completeSignIn: CompleteSignIn, unlinkKakao: UnlinkKakao, generateImage: GenerateImage, extra: Route[]) => [
      ...signInRoutes({ startSignIn, completeSignIn, unlinkKakao, frontendUrl: config.frontendUrl, logger }),
      ...profileRoutes({ getCurrentUser, updateProfile }),
      ...imageRoutes({ generateImage, logger }),
      ...extra,
    ],
  );
  factory(T.App, [T.Config, T.Logger, T.Persistence, T.Routes], (config: Config, logger: Logger, p: Persistence, routes: Route[]) =>
    createApp(config, { logger, sessionStore: p.sessions, pingDatabase: () => p.ping(), perRequest: p.perRequest, routes }),
  );
  return container;
}

export function resolve<T>(container: Container, id: Token<T>): T {
  return container.get<T>(id);
}
