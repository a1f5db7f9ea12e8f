import 'reflect-metadata';
import { Container } from 'inversify';
import type { Logger } from 'pino';
import { createApp } from '../adapters/http/create-app.js';
import { profileRoutes } from '../adapters/http/routes/profile-routes.js';
import type { Route } from '../adapters/http/route.js';
import { SystemClock } from '../adapters/clock/system-clock.js';
import type { Clock } from '../core/ports/clock.js';
import { GetCurrentUser } from '../core/use-cases/get-current-user.js';
import { UpdateProfile } from '../core/use-cases/update-profile.js';
import type { Config } from './config-types.js';
import type { Persistence } from './persistence.js';
import { TOKENS, type Token } from './tokens.js';

export interface ContainerParts {
  config: Config;
  logger: Logger;
  persistence: Persistence;
  /** Replaces the system clock (tests). */
  clock?: Clock;
  /** Mounted beside the app's routes (tests). */
  extraRoutes?: Route[];
}

/** The one place that knows both core and adapters: every binding of the app. */
export function buildContainer(parts: ContainerParts): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const value = <T>(id: Token<T>, v: T) => container.bind<T>(id).toConstantValue(v);
  value(TOKENS.Config, parts.config);
  value(TOKENS.Logger, parts.logger);
  value(TOKENS.Persistence, parts.persistence);
  value(TOKENS.Clock, parts.clock ?? new SystemClock());
  value(TOKENS.ExtraRoutes, parts.extraRoutes ?? []);

  container
    .bind(TOKENS.GetCurrentUser)
    .toResolvedValue((p: Persistence) => new GetCurrentUser(p.users), [TOKENS.Persistence]);
  container
    .bind(TOKENS.UpdateProfile)
    .toResolvedValue(
      (p: Persistence, clock: Clock, config: Config) => new UpdateProfile(p.users, clock, config.appTimezone),
      [TOKENS.Persistence, TOKENS.Clock, TOKENS.Config],
    );

  container.bind(TOKENS.App).toResolvedValue(
    (config: Config, logger: Logger, p: Persistence, getCurrentUser: GetCurrentUser, updateProfile: UpdateProfile, extra: Route[]) =>
      createApp(config, {
        logger,
        sessionStore: p.sessions,
        pingDatabase: () => p.ping(),
        perRequest: p.perRequest,
        routes: [...profileRoutes({ getCurrentUser, updateProfile }), ...extra],
      }),
    [TOKENS.Config, TOKENS.Logger, TOKENS.Persistence, TOKENS.GetCurrentUser, TOKENS.UpdateProfile, TOKENS.ExtraRoutes],
  );
  return container;
}

export function resolve<T>(container: Container, id: Token<T>): T {
  return container.get<T>(id);
}
