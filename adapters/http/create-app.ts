import type Koa from 'koa';
import type { Logger } from 'pino';
import type { RateLimiter } from '../../core/shared/index.js';
import type { SessionStore } from '../../core/identity/index.js';
import type { MediaStore } from '../../core/images/index.js';
import { AdmittingKoa } from './admitting-koa.js';
import type { AppState } from './app-state.js';
import { clientRateLimit } from './client-rate-limit.js';
import { CookieSigner } from './cookie-signer.js';
import type { Draining } from './draining.js';
import { metricsRoute, type HttpMetrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { plumbing } from './plumbing.js';
import type { Probe } from './readiness.js';
import { registerRoutes } from './register-routes.js';
import type { Route } from './route.js';
import { docsRoutes } from './routes/docs-routes.js';
import { mediaRoutes } from './routes/media-routes.js';
import { serviceRoutes } from './routes/service-routes.js';
import { sessionMiddleware } from './session.js';
import { TurnAdmission } from './turn-admission.js';

export interface HttpOptions {
  production: boolean;
  backendUrl: string;
  frontendUrl: string;
  strictCors: boolean;
  sessionSecret: string;
  /** Former session secrets: they still verify cookie signatures, never sign. */
  previousSessionSecrets: string[];
  sessionCookieName: string;
  sessionTtlSeconds: number;
  bodyLimit: number;
  /** Bytes, for POST /api/media. */
  mediaUploadLimit: number;
  signInRatePerMinute: number;
  metricsToken: string | null;
}

export interface HttpDeps {
  logger: Logger;
  sessionStore: SessionStore;
  /** Counts the per-client budgets that routes declare (clientRateLimit). */
  rateLimiter: RateLimiter;
  /** The feature routes; the service routes (/, /health …) are added here. */
  routes: Route[];
  /** What GET /media/<file> serves. */
  mediaStore: MediaStore;
  pingDatabase: Probe;
  /** The bucket's readiness with MEDIA_STORE=s3 (cached: readiness.ts); null otherwise. */
  pingMediaStore: Probe | null;
  /** Persistence's unit-of-work scope, around every route that reads the session (and so the database). */
  inRequestScope<T>(work: () => Promise<T>): Promise<T>;
  metrics: HttpMetrics;
  /** Set when the process shuts down (readiness 503, connections closed after each answer). */
  draining: Draining;
}

/** Measured with npm run bench (docs/performance.md): accept() comes round every few ms, and no route waits on the loop's own work. */
const TURN_BUDGET_MS = 2;

export function createApp(options: HttpOptions, deps: HttpDeps): Koa<AppState> {
  const app = new AdmittingKoa(new TurnAdmission(TURN_BUDGET_MS));
  const secure = new URL(options.backendUrl).protocol === 'https:';
  app.keys = new CookieSigner([options.sessionSecret, ...options.previousSessionSecrets]);
  app.proxy = secure; // koa refuses Secure cookies over what it believes is plain http
  // Behind the one proxy that terminates TLS, the client is the address it appended to X-Forwarded-For
  // (the last); earlier entries are whatever the client sent. Without a trusted proxy koa reads none.
  app.maxIpsCount = 1;
  app.silent = true; // plumbing's error answer logs what matters; koa's default would print stacks

  const routes: Route[] = [...deps.routes, ...mediaRoutes(deps.mediaStore), ...docsRoutes()];
  routes.push(
    metricsRoute(deps.metrics, { token: options.metricsToken, production: options.production }),
    ...serviceRoutes({
      pingDatabase: deps.pingDatabase,
      pingMediaStore: deps.pingMediaStore,
      draining: deps.draining,
      production: options.production,
      allRoutes: () => routes,
      openApi: () => openApi,
    }),
  );
  const openApi = buildOpenApi(routes, { cookieName: options.sessionCookieName });
  const session = sessionMiddleware(app, {
    store: deps.sessionStore,
    cookieName: options.sessionCookieName,
    ttlSeconds: options.sessionTtlSeconds,
    secure,
  });
  const routeRequest = registerRoutes(routes, {
    bodyLimit: options.bodyLimit,
    uploadLimit: options.mediaUploadLimit,
    trustedOrigins: [options.frontendUrl, options.backendUrl],
    session: (ctx, next) => deps.inRequestScope(() => session(ctx, next)),
    limitClient: clientRateLimit(deps.rateLimiter, options.signInRatePerMinute, deps.logger),
  });

  const { logger, metrics, draining } = deps;
  app.use(
    plumbing({
      logger,
      metrics,
      draining,
      frontendUrl: options.frontendUrl,
      strictCors: options.strictCors,
    }),
  );
  app.use(routeRequest);
  return app;
}
