import { createHmac } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { Draining } from '../../adapters/http/draining.js';
import { buildOpenApi } from '../../adapters/http/openapi.js';
import type { Route } from '../../adapters/http/route.js';
import { serviceRoutes } from '../../adapters/http/routes/service-routes.js';
import { newSessionId } from '../../adapters/http/session.js';
import type { Clock } from '../../core/shared/index.js';
import { loadConfig, type Config } from '../../composition/config.js';
import { buildContainer, resolve, type ContainerParts } from '../../composition/container.js';
import { startJobWorker } from '../../composition/job-worker.js';
import { inMemoryPersistence, type Persistence } from '../../composition/persistence.js';
import { TOKENS } from '../../composition/tokens.js';
import { checkResponse, ResponseSchemas, watchResponses, type OpenApiDocument } from './response-schemas.js';

export interface TestAppOptions {
  env?: Record<string, string>;
  persistence?: Persistence;
  clock?: Clock;
  extraRoutes?: Route[];
  /** Silent unless given (e.g. captureLogs().logger). */
  logger?: Logger;
  /** Swaps adapters before the app is built, e.g. `(c) => c.rebind(TOKENS.ImageGenerator).toConstantValue(fake)`. */
  rebind?: ContainerParts['rebind'];
  /** Also runs the app's job worker (publishing, token checks), as `npm start` with WORKER=1 does; close() stops it first. */
  worker?: boolean;
}

export interface TestApp {
  url: string;
  config: Config;
  persistence: Persistence;
  /** The feature and extra routes the app mounts (createApp adds service, docs and media). */
  routes: Route[];
  /** fetch against the app, never following redirects. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * A cookie header for a session of `userId`, written straight into the session store:
   * test-only, nothing like it is reachable over HTTP.
   */
  sessionCookie(userId: number): Promise<string>;
  /** The signed cookie header that names session `id`. */
  cookieFor(id: string): string;
  close(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const port = await freePort();
  const config = loadConfig({
    SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789',
    BACKEND_URL: `http://127.0.0.1:${port}`,
    ...options.env,
  });
  const persistence = options.persistence ?? inMemoryPersistence();
  const container = buildContainer({
    config,
    logger: options.logger ?? pino({ level: 'silent' }),
    persistence,
    clock: options.clock,
    extraRoutes: options.extraRoutes,
    rebind: options.rebind,
  });
  const app = resolve(container, TOKENS.App);
  const worker = options.worker ? startJobWorker(container) : null;
  const server: Server = await new Promise((ready) => {
    const s = app.listen(port, '127.0.0.1', () => ready(s));
  });
  const url = `http://127.0.0.1:${port}`;
  const routes = resolve(container, TOKENS.Routes);
  const unwatch = watchResponses(url, new ResponseSchemas(() => documentOf(routes, config)));
  const cookieFor = (id: string) => {
    const name = config.sessionCookieName;
    return `${name}=${id}; ${name}.sig=${keygripSign(`${name}=${id}`, config.sessionSecret)}`;
  };
  return {
    url,
    cookieFor,
    config,
    persistence,
    routes,
    async fetch(path, init) {
      const res = await fetch(url + path, { redirect: 'manual', ...init });
      await checkResponse(url + path, init?.method, res);
      return res;
    },
    async sessionCookie(userId) {
      const id = newSessionId();
      const now = Date.now();
      await persistence.sessions.set(id, { userId, authAt: now }, new Date(now + config.sessionTtlSeconds * 1000));
      return cookieFor(id);
    },
    async close() {
      unwatch();
      await worker?.stop();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await persistence.close();
    },
  };
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** The signature koa's cookies library (keygrip, sha1, url-safe base64) expects. */
function keygripSign(data: string, key: string): string {
  return createHmac('sha1', key).update(data).digest('base64url');
}

/**
 * The app's /openapi.json as far as JSON answers go (the feature and service routes; docs, media and metrics
 * answer no JSON), built as the app builds it: read over HTTP, it would add a request to every test's logs and metrics.
 */
function documentOf(routes: Route[], config: Config) {
  const service = serviceRoutes({
    pingDatabase: () => Promise.resolve(),
    pingMediaStore: null,
    draining: new Draining(),
    production: false,
    allRoutes: () => [],
    openApi: () => ({}),
  });
  return Promise.resolve(buildOpenApi([...routes, ...service], { cookieName: config.sessionCookieName }) as unknown as OpenApiDocument);
}
