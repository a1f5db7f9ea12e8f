import 'reflect-metadata';
import { Container, type ServiceIdentifier } from 'inversify';
import type { Logger } from 'pino';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { AesGcmTokenCipher } from '../adapters/crypto/aes-gcm-token-cipher.js';
import { createApp } from '../adapters/http/create-app.js';
import { Draining } from '../adapters/http/draining.js';
import { PendingSignInCookie } from '../adapters/http/pending-sign-in-cookie.js';
import type { Route, RouteModule } from '../adapters/http/route.js';
import { FEATURE_ROUTE_MODULES } from '../adapters/http/routes/index.js';
import { MEDIA_URL_PATH } from '../adapters/http/routes/media-routes.js';
import { SharpImageProcessor } from '../adapters/images/sharp-image-processor.js';
import { FsMediaStore } from '../adapters/media/fs-media-store.js';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import type { JobHandler } from '../core/jobs/index.js';
import { PUBLISH_POST_JOB, PublishToInstagram } from '../core/publishing/index.js';
import type { Clock, RateLimiter } from '../core/shared/index.js';
import type { SessionStore } from '../core/identity/index.js';
import { CHECK_TOKENS_JOB, CheckTokens } from '../core/instagram/index.js';
import type { Config } from './config.js';
import { deriveKey } from './config/typed-config.js';
import type { Persistence } from './persistence.js';
import { bindProviders, rebindFakeProviders } from './providers.js';
import { TOKENS as T, type Token } from './tokens.js';
import { bindUseCases } from './use-cases.js';

/** HKDF info of the key that seals the pending sign-in cookie (derived from each session secret). */
const SIGN_IN_COOKIE_KEY_INFO = 'selfstar pending sign-in cookie';

export interface ContainerParts {
  config: Config;
  logger: Logger;
  persistence: Persistence;
  /** The metrics the persistence already reports to (serve.ts); a fresh set otherwise. */
  metrics?: PrometheusMetrics;
  /** Replaces the system clock (tests). */
  clock?: Clock;
  /** Job handlers by kind, beside the app's (tests). */
  jobHandlers?: Readonly<Record<string, JobHandler>>;
  /** Mounted beside the app's routes (tests). */
  extraRoutes?: Route[];
  /** Called after every binding is made and before anything is resolved: a test swaps adapters here with `rebind`. */
  rebind?: (container: Container) => void;
}

/** The one place that knows both core and adapters: every binding of the app. */
export function buildContainer(parts: ContainerParts): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const value = <V>(id: Token<V>, v: V) => container.bind<V>(id).toConstantValue(v);
  const { config, persistence } = parts;

  value(T.Config, config);
  value(T.Logger, parts.logger);
  value(T.Clock, parts.clock ?? new SystemClock());
  value(T.ExtraRoutes, parts.extraRoutes ?? []);
  value(T.Metrics, parts.metrics ?? new PrometheusMetrics());
  value(T.Draining, new Draining());

  // Driven ports, one token each.
  value(T.UserRepository, persistence.users);
  value(T.SessionStore, persistence.sessions);
  value(T.PersonaRepository, persistence.personas);
  value(T.InstagramTokenStore, persistence.instagramTokens);
  value(T.MetaDeletionRequests, persistence.metaDeletionRequests);
  value(T.UsedStateStore, persistence.usedStates);
  value(T.TransactionRunner, persistence.transactions);
  value(T.MediaLibrary, persistence.mediaLibrary);
  value(T.PostRepository, persistence.posts);
  value(T.ImageProcessor, new SharpImageProcessor());
  value(T.JobQueue, persistence.jobs);
  container.bind(T.JobHandlers).toResolvedValue(
    (publish: PublishToInstagram, checkTokens: CheckTokens) => ({
      [PUBLISH_POST_JOB]: publish.handle,
      [CHECK_TOKENS_JOB]: checkTokens.handle,
      ...parts.jobHandlers,
    }),
    [PublishToInstagram, CheckTokens],
  );
  container.bind(T.MediaStore).toResolvedValue((c: Config) => new FsMediaStore(c.mediaRoot, MEDIA_URL_PATH), [T.Config]);
  value(T.RateLimiter, persistence.rateLimiter);
  container
    .bind(T.TokenCipher)
    .toResolvedValue((c: Config) => new AesGcmTokenCipher(c.tokenEncryptionKey, c.previousTokenEncryptionKeys), [T.Config]);
  container.bind(PendingSignInCookie).toResolvedValue(
    (c: Config) => {
      const [key, ...previous] = [c.sessionSecret, ...c.previousSessionSecrets].map((secret) => deriveKey(secret, SIGN_IN_COOKIE_KEY_INFO));
      const cipher = new AesGcmTokenCipher(key, previous);
      return new PendingSignInCookie(cipher, { name: `${c.sessionCookieName}_signin`, backendUrl: c.backendUrl });
    },
    [T.Config],
  );
  bindProviders(container);
  if (config.mockProviders) rebindFakeProviders(container, config);

  bindUseCases(container);

  container.bind(T.Routes).toDynamicValue((context) => {
    const get = <V>(id: Token<V> | ServiceIdentifier<V>): V => context.get<V>(id);
    const env = { frontendUrl: config.frontendUrl, logger: parts.logger };
    const features = FEATURE_ROUTE_MODULES.flatMap((module) => module.build({ ...useCasesOf(module, get), ...env }));
    return [...features, ...get<Route[]>(T.ExtraRoutes)];
  });
  container.bind(T.App).toDynamicValue((context) =>
    createApp(config, {
      logger: parts.logger,
      sessionStore: context.get<SessionStore>(T.SessionStore),
      rateLimiter: context.get<RateLimiter>(T.RateLimiter),
      pingDatabase: () => persistence.ping(),
      inRequestScope: (work) => persistence.inRequestScope(work),
      metrics: context.get(T.Metrics),
      draining: context.get(T.Draining),
      routes: context.get<Route[]>(T.Routes),
    }),
  );
  parts.rebind?.(container);
  return container;
}

/** The instances of the use cases a route module names: routes get use cases, never the container. */
function useCasesOf(module: RouteModule, get: <V>(id: ServiceIdentifier<V>) => V): Record<string, object> {
  return Object.fromEntries(Object.entries(module.needs).map(([name, useCase]) => [name, get(useCase as ServiceIdentifier<object>)]));
}

export function resolve<T>(container: Container, id: Token<T>): T {
  return container.get<T>(id);
}
