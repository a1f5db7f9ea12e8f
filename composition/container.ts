import 'reflect-metadata';
import { Container, type ServiceIdentifier } from 'inversify';
import type { Logger } from 'pino';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { createApp } from '../adapters/http/create-app.js';
import { Draining } from '../adapters/http/draining.js';
import type { Route, RouteModule } from '../adapters/http/route.js';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import type { JobHandler } from '../core/jobs/index.js';
import type { Clock } from '../core/shared/index.js';
import { APP as T, type KindHandler, type Token } from './app-tokens.js';
import type { Config } from './config.js';
import { FEATURE_MODULES } from './features/index.js';
import { IDENTITY } from './features/identity/ports.js';
import { IMAGES } from './features/images/ports.js';
import type { Persistence } from './persistence.js';

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

/** The one place that knows both core and adapters: the app's own bindings, then one module per feature (features/). */
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
  value(T.Persistence, persistence);
  value(T.TransactionRunner, persistence.transactions);
  value(T.RateLimiter, persistence.rateLimiter);

  container.load(...FEATURE_MODULES);

  container.bind(T.JobHandlers).toDynamicValue((context) => ({
    ...Object.fromEntries(context.getAll<KindHandler>(T.JobHandler).map(({ kind, handle }) => [kind, handle])),
    ...parts.jobHandlers,
  }));
  container.bind(T.Routes).toDynamicValue((context) => {
    const get = <V>(id: Token<V> | ServiceIdentifier<V>): V => context.get<V>(id);
    const env = { frontendUrl: config.frontendUrl, logger: parts.logger };
    const features = context
      .getAll<RouteModule<any>>(T.RouteModule)
      .flatMap((module) => module.build({ ...useCasesOf(module, get), ...env }));
    return [...features, ...get<Route[]>(T.ExtraRoutes)];
  });
  container.bind(T.App).toDynamicValue((context) =>
    createApp(config, {
      logger: parts.logger,
      sessionStore: context.get(IDENTITY.SessionStore),
      rateLimiter: context.get(T.RateLimiter),
      pingDatabase: () => persistence.ping(),
      pingMediaStore: context.get(IMAGES.MediaStoreProbe),
      inRequestScope: (work) => persistence.inRequestScope(work),
      metrics: context.get(T.Metrics),
      draining: context.get(T.Draining),
      routes: context.get<Route[]>(T.Routes),
      mediaStore: context.get(IMAGES.MediaStore),
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
