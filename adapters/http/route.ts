import type { Logger } from 'pino';
import type { ErrorCode } from '../../core/shared/index.js';
import type { User } from '../../core/identity/index.js';
import type { AppContext } from './app-state.js';

/** A JSON Schema object (draft 2020-12 subset shared by ajv and OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

export interface RouteInput<B = any, Q = any> {
  body: B;
  query: Q;
  params: Record<string, string>;
  /** Set for routes declared with `auth: true` (0 otherwise). */
  userId: number;
  /** The signed-in user as read with the session, for routes declared with `auth: true` (null otherwise). */
  user: User | null;
}

/** The body of a route declared with `upload`: its bytes and which of the declared types the client named. */
export interface UploadedBody {
  contentType: string;
  bytes: Buffer;
}

/** A per-client-IP budget that routes share: the starts of OAuth flows, and their callbacks. */
export type ClientBudget = 'oauth-start' | 'oauth-callback';

/**
 * One route, declared once: its schemas drive request validation, /openapi.json and /__routes.
 */
export interface Route<B = any, Q = any> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Koa-router path, e.g. `/api/personas/:id`. */
  path: string;
  /** Stable camelCase name of the operation in /openapi.json: generated clients call it by this name. */
  operationId: string;
  summary: string;
  tag: string;
  /** Requires a signed-in session (401 not_authenticated otherwise). */
  auth?: boolean;
  /** Reads or writes the browser session (implied by `auth`); other routes never touch the session store. */
  session?: boolean;
  /** JSON body schema: the request must be application/json and match (422 otherwise). */
  body?: JsonSchema;
  /**
   * Form schema for routes that providers call with `application/x-www-form-urlencoded` (a POST
   * body) or a query string (a GET): the fields are strings; a mismatch is 400 invalid_request.
   */
  form?: JsonSchema;
  /**
   * The body is raw bytes of one of `types` (e.g. `image/png`), at most the upload limit (MEDIA_UPLOAD_LIMIT;
   * 413 over it, 415 for another type); the handler gets an UploadedBody. The cross-site guard accepts these
   * types on this route only: none is CORS-safelisted, so a cross-site form cannot send them.
   */
  upload?: { types: string[] };
  /**
   * Called by a provider's server (Kakao's unlink notice, Meta's callbacks), never by a browser:
   * exempt from the browser-origin and content-type rules; the route authenticates the caller itself.
   */
  providerCallback?: boolean;
  /**
   * Counts each request per client IP in the named budget (SIGN_IN_RATE_PER_MINUTE each), before the
   * session is read: over it, 429 rate_limited, or onError with that error for a redirect-only route.
   */
  clientRateLimit?: ClientBudget;
  /** Query schema: values are coerced from strings; a mismatch is 400 invalid_request. */
  query?: JsonSchema;
  /** Status → description and optional JSON schema, for the OpenAPI document; an error status's description is a note on its codes. */
  responses: Record<number, { description: string; schema?: JsonSchema }>;
  /**
   * The codes this route's own handler and use cases can answer; those of its declaration (sign-in,
   * validation, the cross-site guard, the rate limit …) are added by openapi.ts. Statuses come from the catalogue.
   */
  errors?: ErrorCode[];
  handler(ctx: AppContext, input: RouteInput<B, Q>): Promise<void> | void;
  /**
   * For browser flows that must answer with a redirect, never JSON: called instead of the error
   * middleware with any error the route throws (validation included).
   */
  onError?(ctx: AppContext, error: unknown): Promise<void> | void;
}

export function defineRoute<B = any, Q = any>(route: Route<B, Q>): Route<B, Q> {
  return route;
}

/** What any route module may use besides its use cases. */
export interface RouteEnv {
  frontendUrl: string;
  logger: Logger;
}

type UseCaseClass = abstract new (...args: never[]) => object;
type UseCaseClasses = Record<string, UseCaseClass>;
/** The use cases a module named, as instances, plus the RouteEnv. */
export type RouteModuleDeps<N extends UseCaseClasses> = { [K in keyof N]: InstanceType<N[K]> } & RouteEnv;

/**
 * A group of routes and the use cases they call, named by class: the composition resolves each
 * from the container and hands them over (routes never see the container).
 */
export interface RouteModule<N extends UseCaseClasses = UseCaseClasses> {
  needs: N;
  build(deps: RouteModuleDeps<N>): Route[];
}

export function routeModule<N extends UseCaseClasses>(needs: N, build: (deps: RouteModuleDeps<N>) => Route[]): RouteModule<N> {
  return { needs, build };
}
