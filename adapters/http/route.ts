import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Logger } from 'pino';
import type { DomainError, ErrorCode } from '../../core/shared/index.js';
import type { User } from '../../core/identity/index.js';
import type { AppContext } from './app-state.js';

/** A JSON Schema object (draft 2020-12 subset shared by ajv and OpenAPI 3.1). */
export type JsonSchema = Record<string, unknown>;

/**
 * A schema a handler's input is typed from: json-schema-to-ts reads it at compile time, ajv checks requests
 * with it at run time, so the two cannot differ. Declared `as const` (defineRoute infers inline ones so).
 */
export type InputSchema = Exclude<JSONSchema, boolean>;

/** What a request that passed `schema` holds. Our ajv fills in no defaults, so a defaulted field may be missing. */
export type Typed<S> = [S] extends [InputSchema] ? FromSchema<S, { keepDefaultedPropertiesOptional: true }> : undefined;

export interface RouteInput<B = any, Q = any, P = any> {
  body: B;
  query: Q;
  /** The path's parameters, as `params` declares them. */
  params: P;
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

/** The types a route declared with `upload` takes. */
export interface Upload {
  types: string[];
}

/** Error codes, each with a note on when the route answers it ('' for none). */
export type ErrorNotes = { [C in ErrorCode]?: string };

/** A per-client-IP budget that routes share: the starts of OAuth flows, and their callbacks. */
export type ClientBudget = 'oauth-start' | 'oauth-callback';

/** What a route declares besides its input schemas. */
interface RouteFields {
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
  /** The answers other than errors (2xx, redirects): status → description and JSON schema, for /openapi.json and the tests. */
  responses: Record<number, { description: string; schema?: JsonSchema }>;
  /**
   * The codes this route's own handler and use cases can answer, each with a note for /openapi.json ('' for none);
   * those of its declaration (sign-in, validation, the cross-site guard, the rate limit …) are added by openapi.ts,
   * and may be listed here for a note. Statuses come from the catalogue.
   */
  errors?: ErrorNotes;
  /**
   * What a path whose parameters do not match `params` names: this error (the route's own 404, e.g.
   * post_not_found), 404 not_found when omitted.
   */
  notFound?: () => DomainError;
  /**
   * For browser flows that must answer with a redirect, never JSON: called instead of the error
   * middleware with any error the route throws (validation included).
   */
  onError?(ctx: AppContext, error: unknown): Promise<void> | void;
}

/** The schemas of a route's input; each types what its handler is given. */
interface InputSchemas<B, Q, F, P, U> {
  /** JSON body schema: the request must be application/json and match (422 otherwise). */
  body?: B;
  /** Query schema: values are coerced from strings; a mismatch is 400 invalid_request. */
  query?: Q;
  /**
   * Form schema for routes that providers call with `application/x-www-form-urlencoded` (a POST
   * body) or a query string (a GET): the fields are strings; a mismatch is 400 invalid_request.
   */
  form?: F;
  /**
   * Path parameters' schema: an object of the path's `:names`, each a string (every one must be declared).
   * A mismatch is `notFound`: a path that names no row answers as that row's 404.
   */
  params?: P;
  /**
   * The body is raw bytes of one of `types` (e.g. `image/png`), at most the upload limit (MEDIA_UPLOAD_LIMIT;
   * 413 over it, 415 for another type); the handler gets an UploadedBody. The cross-site guard accepts these
   * types on this route only: none is CORS-safelisted, so a cross-site form cannot send them.
   */
  upload?: U;
}

/**
 * One route, declared once: its schemas drive request validation, the handler's input types, /openapi.json
 * and /__routes. This is the route as the server mounts it, its input types erased.
 */
export interface Route extends RouteFields, InputSchemas<JsonSchema, JsonSchema, JsonSchema, JsonSchema, Upload> {
  handler(ctx: AppContext, input: RouteInput): Promise<void> | void;
}

/** The body a handler is given: of the JSON or form schema, the uploaded bytes, or none. */
type BodyOf<B, F, U> = [B] extends [InputSchema]
  ? Typed<B>
  : [F] extends [InputSchema]
    ? Typed<F>
    : [U] extends [object]
      ? UploadedBody
      : undefined;

/** A route as declared: its handler's body, query and params are typed from its schemas. */
export type RouteDeclaration<B, Q, F, P, U> = RouteFields &
  InputSchemas<B, Q, F, P, U> & {
    handler(ctx: AppContext, input: RouteInput<BodyOf<B, F, U>, Typed<Q>, Typed<P>>): Promise<void> | void;
  };

export function defineRoute<
  const B extends InputSchema | undefined = undefined,
  const Q extends InputSchema | undefined = undefined,
  const F extends InputSchema | undefined = undefined,
  const P extends InputSchema | undefined = undefined,
  U extends Upload | undefined = undefined,
>(route: RouteDeclaration<B, Q, F, P, U>): Route {
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
