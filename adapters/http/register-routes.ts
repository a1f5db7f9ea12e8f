import Router from '@koa/router';
import parseBody from 'co-body';
import { parse as parseQueryString } from 'node:querystring';
import type { Middleware, Next } from 'koa';
import { errors, message } from '../../core/shared/index.js';
import { createAjv, toDetails } from '../validation/create-ajv.js';
import { unsafeJsonPart } from '../validation/safe-json.js';
import { decodeUtf8, percentEscapesAreUtf8 } from '../validation/strict-utf8.js';
import type { User } from '../../core/identity/index.js';
import type { AppContext } from './app-state.js';
import { browserRequestGuard, guardsBrowserRequests } from './browser-request-guard.js';
import type { ClientBudget, Route, RouteInput, UploadedBody } from './route.js';
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
    const hasPathParams = route.path.includes(':');
    const run = async (ctx: AppContext) => {
      // A path whose escapes are not UTF-8 names nothing here: koa-router would hand the raw text over.
      if (hasPathParams && !percentEscapesAreUtf8(ctx.path)) throw errors.routeNotFound();
      const input: RouteInput = { body: undefined, query: undefined, params: (ctx as any).params ?? {}, userId: 0, user: null };
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

/** JSON text as co-body's strict mode reads it: an object or an array, `{}` when empty. */
const STRICT_JSON_START = /^[ \t\n\r]*[[{]/;

/** The JSON body, `{}` when there is none. */
async function readJson(ctx: AppContext, limit: number): Promise<unknown> {
  return readBody(ctx, 'application/json', async () => {
    const text = await readUtf8(ctx, limit);
    if (!text) return {};
    if (!STRICT_JSON_START.test(text)) throw errors.malformedRequest();
    try {
      // A "__proto__" key stays an own property (JSON.parse never touches the prototype), so
      // the schema's additionalProperties:false refuses it as 422 like any other extra field.
      return JSON.parse(text) as unknown;
    } catch {
      throw errors.malformedRequest();
    }
  });
}

/** An `application/x-www-form-urlencoded` body, `{}` when there is none; parsed as koa parses a query string. */
async function readForm(ctx: AppContext, limit: number): Promise<Record<string, unknown>> {
  return readBody(ctx, 'application/x-www-form-urlencoded', async () => {
    const text = await readUtf8(ctx, limit);
    if (!percentEscapesAreUtf8(text)) throw errors.malformedRequest();
    return { ...parseQueryString(text) };
  });
}

/** The body's bytes, of one of `types`: 415 for another type (or none), 413 over `limit`. */
async function readUpload(ctx: AppContext, types: string[], limit: number): Promise<UploadedBody> {
  const contentType = ctx.request.is(types);
  if (!contentType) throw errors.unsupportedMediaType(message('body_not_of_types', { types: types.join(', ') }));
  try {
    return { contentType, bytes: await readBytes(ctx, limit) };
  } catch (error) {
    throw clientsBodyError(ctx, error);
  }
}

/** The body's bytes, decompressed as Content-Encoding says (the limit counts the decompressed bytes). */
async function readBytes(ctx: AppContext, limit: number): Promise<Buffer> {
  // raw-body hands the bytes over undecoded when encoding is false; co-body's types allow only a string.
  const options = { limit, encoding: false } as unknown as parseBody.Options;
  return await parseBody.text(ctx, options);
}

/**
 * The body's bytes as UTF-8 text; 400 when they are not UTF-8. co-body would decode them with
 * replacement characters, and the rewritten text would be stored while the client sent another.
 */
async function readUtf8(ctx: AppContext, limit: number): Promise<string> {
  const text = decodeUtf8(await readBytes(ctx, limit));
  if (text === null) throw errors.malformedRequest();
  return text;
}

/** The body as `parse` reads it, `{}` when there is none; 415 for another media type, 400/413 from co-body, 422 for what cannot be stored. */
async function readBody<T>(ctx: AppContext, type: string, parse: () => Promise<T>): Promise<T | Record<string, never>> {
  if (!ctx.request.length && !ctx.get('transfer-encoding')) return {};
  if (!isOfType(ctx, type)) throw errors.unsupportedMediaType();
  let body: T;
  try {
    body = await parse();
  } catch (error) {
    throw clientsBodyError(ctx, error);
  }
  const unsafe = unsafeJsonPart(body);
  if (unsafe) throw errors.validationFailed(message('body_unstorable'), [unsafe]);
  return body;
}

/**
 * Whether the body is of `type`. The Content-Type browsers and clients send, `type` alone or followed by
 * parameters, is answered without type-is, which parses the header and looks the type up on every call.
 */
function isOfType(ctx: AppContext, type: string): boolean {
  const given = ctx.headers['content-type'];
  if (given !== undefined && given.startsWith(type) && (given.length === type.length || given[type.length] === ';')) return true;
  return Boolean(ctx.request.is(type));
}

/** 400 for what reading the body failed on by the client's doing; any other error as it is (co-body's carry their status). */
function clientsBodyError(ctx: AppContext, error: unknown): unknown {
  // The client went away while the session was being read (raw-body calls that a 500): its error, not ours.
  const clientGone = ctx.req.destroyed && (error as { type?: unknown }).type === 'stream.not.readable';
  return clientGone || isCorruptEncoding(error) ? errors.malformedRequest() : error;
}

/**
 * zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR…) and brotli's (ERR__ERROR_FORMAT_…): a body whose
 * Content-Encoding does not match its bytes, which is the client's error.
 */
function isCorruptEncoding(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(Z_|ERR__ERROR_)/.test(code);
}
