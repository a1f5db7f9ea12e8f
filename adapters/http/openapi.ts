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
        ...pathParameters(route.path),
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
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, { description, schema }]) => [
          status,
          {
            description,
            content: { 'application/json': { schema: schema ?? (Number(status) >= 400 ? ERROR_SCHEMA : {}) } },
          },
        ]),
      ),
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

function pathParameters(path: string) {
  return [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(query: JsonSchema | undefined) {
  const properties = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}
