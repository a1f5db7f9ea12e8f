import type { ErrorCode } from '../../core/shared/index.js';
import { guardsBrowserRequests } from './browser-request-guard.js';
import { statusOfCode } from './error-middleware.js';
import type { JsonSchema, Route } from './route.js';

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['ok', 'error', 'message'],
  properties: {
    ok: { const: false },
    error: { type: 'string' },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/** The OpenAPI 3.1 document, built from the same declarations that validate requests. */
export function buildOpenApi(routes: Route[], { cookieName }: { cookieName: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      parameters: [
        ...pathParameters(route),
        ...queryParameters(route.query),
        ...(route.method === 'GET' ? queryParameters(route.form) : []),
      ],
      ...(route.body && {
        requestBody: { required: true, content: { 'application/json': { schema: route.body } } },
      }),
      ...(route.upload && {
        requestBody: {
          required: true,
          content: Object.fromEntries(route.upload.types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
        },
      }),
      ...(route.form &&
        route.method !== 'GET' && {
          requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: route.form } } },
        }),
      operationId: route.operationId,
      responses: responsesOf(route),
      ...(route.auth && { security: [{ session: [] }] }),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'selfstar backend', version: '1.0.0' },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: cookieName } },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

/** The path's `:names`, each with its schema in the route's `params` (registerRoutes refuses a route that leaves one out). */
function pathParameters(route: Route) {
  const schemas = (route.params?.properties ?? {}) as Record<string, JsonSchema>;
  return [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: schemas[name] }));
}

function queryParameters(query: JsonSchema | undefined) {
  const properties = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}

/**
 * The codes a route can answer: those it declares, and those that follow from its declaration. A redirect-only
 * route (onError) answers its errors as redirects, so only what it declares is JSON.
 */
export function errorCodesOf(route: Route): ErrorCode[] {
  const codes = new Set(Object.keys(route.errors ?? {}) as ErrorCode[]);
  if (route.onError) return [...codes];
  const hasBody = Boolean(route.body || route.upload || route.form); // a form route reads a body whatever its method
  if (hasBody || route.query || route.form) codes.add('invalid_request');
  if (route.body || route.form) codes.add('validation_failed'); // forms are held to the same storable-text rules
  if (hasBody) codes.add('payload_too_large');
  if (hasBody || guardsBrowserRequests(route)) codes.add('unsupported_media_type');
  if (guardsBrowserRequests(route)) codes.add('origin_forbidden');
  if (route.auth) codes.add('not_authenticated');
  if (route.clientRateLimit) codes.add('rate_limited');
  if (route.auth || route.session || route.clientRateLimit) codes.add('db_unavailable');
  codes.add('internal_error');
  return [...codes];
}

/** The declared answers, and one per error status listing its codes (the `error` of the body is one of them). */
function responsesOf(route: Route): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = statusOfCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, { description, schema }] of Object.entries(route.responses)) {
    responses[status] = { description, content: { 'application/json': { schema: schema ?? {} } } };
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: codes.map((code) => describeCode(code, route.errors?.[code])).join(', '),
      content: { 'application/json': { schema: errorSchema(codes) } },
    };
  }
  return responses;
}

/** A code, and the route's note on it. */
function describeCode(code: ErrorCode, note: string | undefined): string {
  return note ? `\`${code}\` (${note})` : `\`${code}\``;
}

function errorSchema(codes: ErrorCode[]): JsonSchema {
  const properties = ERROR_SCHEMA.properties as Record<string, JsonSchema>;
  return { ...ERROR_SCHEMA, properties: { ...properties, error: { type: 'string', enum: codes } } };
}
