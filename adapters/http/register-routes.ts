import Router from '@koa/router';
import type { Middleware, Next } from 'koa';
import { errors, message } from '../../core/shared/index.js';
import { createAjv, toDetails, type SchemaCompiler } from '../validation/create-ajv.js';
import { unsafeJsonPart } from '../validation/safe-json.js';
import { percentEscapesAreUtf8 } from '../validation/strict-utf8.js';
import type { User } from '../../core/identity/index.js';
import type { AppContext } from './app-state.js';
import { browserRequestGuard, guardsBrowserRequests } from './browser-request-guard.js';
import { readForm, readJson, readUpload } from './read-body.js';
import type { ClientBudget, Route, RouteInput } from './route.js';
import { signedInUser } from './session.js';

export interface RegisterRoutesOptions {
  bodyLimit: number;
  /** Bytes, for the bodies of routes declared with `upload`; bodyLimit when omitted. */
  uploadLimit?: number;
  session: Middleware;
  /** URLs whose pages may call the state-changing routes (FRONTEND_URL and BACKEND_URL); none when omitted. */
  trustedOrigins?: string[];
  /** Counts one request of the client in `budget`; throws rate_limited over the limit. createApp always sets it. */
  limitClient?(ctx: AppContext, budget: ClientBudget): Promise<void>;
}

/**
 * Mounts every declared route with its cross-site check, client rate limit, session, validation, body parsing and
 * sign-in check. Only routes declared with a session read the session store; health, docs and
 * media never do, and a refused cross-site request never reaches it.
 */
export function registerRoutes(routes: Route[], options: RegisterRoutesOptions): Middleware {
  const handlers = new Map<Route, (ctx: AppContext) => Promise<unknown>>();
  const router = mountRoutes(routes, options, handlers);
  return withExactPaths(router, handlers);
}

type Handler = (ctx: AppContext) => Promise<unknown>;
/** What koa-router adds to the context of a matched route: the path's `:name` texts. */
type RoutedContext = AppContext & { params: Record<string, string> };

/**
 * The router, with a shortcut: a request whose method and path are exactly those of a route without
 * parameters that no other route matches (GET /health, GET /auth/me, PUT /users/me/profile …) goes
 * straight to it. @koa/router tests every route's pattern on every request and composes a chain for the
 * match: ~5% of GET /health. Anything else (parameters, another case, a trailing slash) goes through the router.
 */
function withExactPaths(router: Router<any, any>, handlers: Map<Route, Handler>): Middleware {
  const exact = new Map<string, Map<string, { path: string; handler: Handler }>>();
  for (const [route, handler] of handlers) {
    if (/[:*(]/.test(route.path) || router.stack.some((layer) => layer.path !== route.path && layer.match(route.path))) continue;
    for (const method of route.method === 'GET' ? ['GET', 'HEAD'] : [route.method]) {
      if (!exact.has(method)) exact.set(method, new Map());
      exact.get(method)!.set(route.path, { path: route.path, handler });
    }
  }
  const viaRouter = router.routes();
  return (ctx, next) => {
    const found = exact.get(ctx.method)?.get(ctx.path);
    if (!found) return viaRouter(ctx, next);
    // What the router would have set: observeRequest labels the request by _matchedRoute.
    Object.assign(ctx, { params: {}, routerPath: found.path, _matchedRoute: found.path });
    return found.handler(ctx);
  };
}

function mountRoutes(routes: Route[], options: RegisterRoutesOptions, handlers: Map<Route, Handler>): Router<any, any> {
  const bodies = createAjv({ coerceTypes: false });
  const queries = createAjv({ coerceTypes: true });
  const guardBrowserRequest = browserRequestGuard(options.trustedOrigins ?? []);
  const router = new Router();
  for (const route of routes) {
    const guarded = guardsBrowserRequests(route);
    if (guarded && route.form) {
      throw new Error(`${route.method} ${route.path}: a form on a state-changing route is for provider callbacks (providerCallback: true)`);
    }
    // Compiled on first use, not at start: compiling every schema was ~0.1 s of start-up.
    const checkBody = route.body && lazy(() => bodies.compile(route.body!));
    const checkQuery = route.query && lazy(() => queries.compile(route.query!));
    const checkForm = route.form && lazy(() => queries.compile(route.form!));
    const checkParams = pathParamsCheck(route, bodies);
    const run = async (ctx: AppContext) => {
      const input: RouteInput = { body: undefined, query: undefined, params: {}, userId: 0, user: null };
      // A path whose escapes are not UTF-8 names nothing here: koa-router would hand the raw text over.
      if (checkParams && !percentEscapesAreUtf8(ctx.path)) throw errors.routeNotFound();
      if (route.auth) {
        input.user = requireUser(ctx);
        input.userId = input.user.id;
      }
      if (checkQuery || checkForm) checkQueryText(ctx);
      if (checkQuery) {
        const query = { ...ctx.query };
        const check = checkQuery();
        if (!check(query)) {
          throw errors.invalidQuery(toDetails(check.errors));
        }
        input.query = query;
      }
      if (checkBody) {
        const body = await readJson(ctx, options.bodyLimit);
        const check = checkBody();
        if (!check(body)) {
          throw errors.validationFailed(undefined, toDetails(check.errors));
        }
        input.body = body;
      }
      if (route.upload) input.body = await readUpload(ctx, route.upload.types, options.uploadLimit ?? options.bodyLimit);
      if (checkForm) {
        const form = { ...ctx.query, ...(await readForm(ctx, options.bodyLimit)) };
        const check = checkForm();
        if (!check(form)) throw errors.invalidQuery(toDetails(check.errors));
        input.body = form;
      }
      // Last, as the handler's lookup of the row was: a bad body is 422 whatever the path names.
      if (checkParams) input.params = checkParams((ctx as RoutedContext).params);
      await route.handler(ctx, input);
    };
    const { onError, clientRateLimit } = route;
    if (!(route.auth || route.session || onError || guarded || clientRateLimit)) {
      router.register(route.path, [route.method], run); // health, docs, media: nothing to wrap
      handlers.set(route, run);
      continue;
    }
    const withSession: (ctx: AppContext, next: Next) => Promise<unknown> =
      route.auth || route.session ? options.session : (_ctx, next) => next();
    const serve = async (ctx: AppContext, work: () => Promise<void>) => {
      if (guarded) guardBrowserRequest(ctx, route.upload?.types);
      if (clientRateLimit) await options.limitClient?.(ctx, clientRateLimit);
      await withSession(ctx, work);
    };
    const handler = async (ctx: AppContext) => {
      if (!onError) return serve(ctx, () => run(ctx));
      // onError runs inside the session (so what it changes there is saved), and again when the
      // limit refuses or the session itself fails to load or save: a redirect-only route never answers JSON.
      await serve(ctx, () => run(ctx).catch((error) => onError(ctx, error))).catch((error) => onError(ctx, error));
    };
    router.register(route.path, [route.method], handler);
    handlers.set(route, handler);
  }
  return router;
}

/**
 * The check of a route's path parameters against its `params` (null for a path without any): a mismatch is
 * the route's `notFound`. Every `:name` of the path must be declared.
 */
function pathParamsCheck(route: Route, compiler: SchemaCompiler): ((params: Record<string, string>) => Record<string, string>) | null {
  const names = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => name);
  if (names.length === 0) return null;
  const declared = (route.params?.properties ?? {}) as Record<string, unknown>;
  const undeclared = names.filter((name) => !(name in declared));
  if (undeclared.length > 0) throw new Error(`${route.method} ${route.path}: declare ${undeclared.join(', ')} in params`);
  const check = lazy(() => compiler.compile(route.params!));
  const notFound = route.notFound ?? errors.routeNotFound;
  return (params) => {
    if (!check()(params)) throw notFound();
    return params;
  };
}

function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/** The signed-in user, read with the session; a session naming a deleted user is signed out. */
function requireUser(ctx: AppContext): User {
  const user = signedInUser(ctx);
  if (!user) throw errors.notAuthenticated();
  return user;
}

/** 400 for a query string that is not UTF-8 once decoded, or whose values could not be stored. */
function checkQueryText(ctx: AppContext): void {
  if (!percentEscapesAreUtf8(ctx.querystring)) throw errors.invalidQuery([{ field: [], message: message('query_not_utf8') }]);
  const unsafe = unsafeJsonPart(ctx.query);
  if (unsafe) throw errors.invalidQuery([unsafe]);
}
