import fc from 'fast-check';
import {
  anyText,
  bent,
  encoded,
  hostileValue,
  jsonText,
  oddHeader,
  oddSegment,
  percentEncode,
  textBytes,
  wrongContentType,
} from './hostile.js';
import type { RawRequest } from './raw-request.js';
import { schemaValue } from './schema-arbitrary.js';

type Schema = Record<string, any>;

/** One route as /openapi.json describes it. */
export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/api/personas/{id}`. */
  path: string;
  query: Schema;
  body?: { type: 'application/json' | 'application/x-www-form-urlencoded'; schema: Schema };
}

/** Every route of the app's OpenAPI document: routes added later are fuzzed with no change here. */
export function operationsOf(openApi: { paths: Record<string, Record<string, any>> }): Operation[] {
  return Object.entries(openApi.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): Operation => {
      const query = (operation.parameters ?? []).filter((p: { in: string }) => p.in === 'query');
      const content = operation.requestBody?.content ?? {};
      const type = Object.keys(content)[0] as NonNullable<Operation['body']>['type'] | undefined;
      return {
        method: method.toUpperCase(),
        path,
        query: {
          type: 'object',
          properties: Object.fromEntries(query.map((p: { name: string; schema: Schema }) => [p.name, p.schema])),
          required: query.filter((p: { required: boolean }) => p.required).map((p: { name: string }) => p.name),
        },
        body: type && { type, schema: content[type].schema },
      };
    }),
  );
}

/** Where a path can be extended: every route's literal prefix (`/media/`, `/docs/assets/`, `/api/personas/` …) and every literal path. */
export function prefixesOf(operations: Operation[]): string[] {
  return [
    ...new Set(operations.flatMap(({ path }) => [path.replace(/\{.*$/, ''), `${path.replace(/\{.*$/, '').replace(/\/$/, '')}/`])),
  ].sort();
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const escape = (value: unknown) => percentEncode(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/** A query string: the schema's values, bent ones, extra and `__proto__` keys, or raw escapes that are not UTF-8. */
function queryString(schema: Schema): fc.Arbitrary<string> {
  const pairs = (value: unknown) =>
    Object.entries((value ?? {}) as Record<string, unknown>)
      .map(([key, item]) => `${escape(key)}=${escape(item)}`)
      .join('&');
  return fc.oneof(
    { weight: 3, arbitrary: schemaValue(schema).map(pairs) },
    { weight: 2, arbitrary: schemaValue(schema).chain(bent).map(pairs) },
    fc.array(fc.tuple(oddSegment, oddSegment), { maxLength: 4 }).map((list) => list.map(([k, v]) => `${k}=${v}`).join('&')),
    fc.constantFrom(
      '__proto__[x]=1',
      'a=1&a=2',
      'persona_id=1&persona_id=2',
      'next=%FF',
      'next=//evil.example',
      'next=%2F%00',
      'a[b][c]=1',
      '&&&=',
      '=',
    ),
  );
}

/** A request, and whether it is sent with the session cookie of a signed-in user (added when sent: it changes per run). */
export type FuzzRequest = RawRequest & {
  signedIn: boolean;
  /** The operation the request still names (its method, and its path parameters plain ids); null once bent off it. */
  operation: Pick<Operation, 'method' | 'path'> | null;
};

/** A request built from `op`'s declared schemas, then bent by the hostile generators. */
export function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
  const parts = op.path.split(/\{[^}]+\}/);
  const filled = fc
    .array(fc.oneof({ weight: 2, arbitrary: fc.constantFrom('1', '2', '3') }, oddSegment), {
      minLength: parts.length - 1,
      maxLength: parts.length - 1,
    })
    .map((values) => ({
      text: parts.reduce((text, part, at) => text + values[at - 1] + part),
      plain: values.every((value) => ['1', '2', '3'].includes(value)),
    }));
  const method = fc.oneof({ weight: 8, arbitrary: fc.constant(op.method) }, fc.constantFrom(...METHODS));
  const kind = op.body?.type;
  const text =
    kind === 'application/json'
      ? jsonText(schemaValue(op.body!.schema))
      : kind
        ? queryString(op.body!.schema)
        : fc.oneof({ weight: 4, arbitrary: fc.constant('') }, jsonText(hostileValue), anyText());
  const body = textBytes(text).chain(encoded);
  const type = fc.oneof({ weight: 5, arbitrary: fc.constant(kind ?? 'application/json') }, wrongContentType);
  return fc
    .record({
      path: filled,
      query: fc.option(queryString(op.query), { freq: 2 }),
      method,
      body,
      type,
      signedIn: fc.boolean(),
      extra: fc.array(oddHeader, { maxLength: 2 }),
    })
    .map(({ path: { text: target, plain }, query, method: verb, body: { bytes, encoding }, type: contentType, signedIn, extra }) => {
      const headers: [string, string][] = [];
      if (bytes.length || contentType) headers.push(['content-type', contentType]);
      if (encoding !== undefined) headers.push(['content-encoding', encoding]);
      headers.push(...extra.flat());
      return {
        method: verb,
        target: query === null ? target : `${target}?${query}`,
        headers,
        body: bytes.length ? bytes : undefined,
        signedIn,
        operation: plain && verb === op.method ? { method: op.method, path: op.path } : null,
      };
    });
}

/** A GET (or HEAD) under one of `prefixes` with odd segments after it. */
export function oddPath(prefixes: string[]): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      prefix: fc.constantFrom(...prefixes),
      segments: fc.array(oddSegment, { minLength: 1, maxLength: 4 }),
      method: fc.constantFrom('GET', 'HEAD'),
      signedIn: fc.boolean(),
      slash: fc.constantFrom('/', '//', '\\', '/./', '%2f'),
    })
    .map(({ prefix, segments, method, signedIn, slash }) => ({
      method,
      target: prefix + segments.join(slash),
      headers: [],
      signedIn,
      operation: null,
    }));
}
