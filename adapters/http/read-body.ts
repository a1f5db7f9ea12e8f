import parseBody from 'co-body';
import { parse as parseQueryString } from 'node:querystring';
import { errors, message } from '../../core/shared/index.js';
import { unsafeJsonPart } from '../validation/safe-json.js';
import { decodeUtf8, percentEscapesAreUtf8 } from '../validation/strict-utf8.js';
import type { AppContext } from './app-state.js';
import type { UploadedBody } from './route.js';

/** JSON text as co-body's strict mode reads it: an object or an array, `{}` when empty. */
const STRICT_JSON_START = /^[ \t\n\r]*[[{]/;

/** The JSON body, `{}` when there is none. */
export async function readJson(ctx: AppContext, limit: number): Promise<unknown> {
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
export async function readForm(ctx: AppContext, limit: number): Promise<Record<string, unknown>> {
  return readBody(ctx, 'application/x-www-form-urlencoded', async () => {
    const text = await readUtf8(ctx, limit);
    if (!percentEscapesAreUtf8(text)) throw errors.malformedRequest();
    return { ...parseQueryString(text) };
  });
}

/** The body's bytes, of one of `types`: 415 for another type (or none), 413 over `limit`. */
export async function readUpload(ctx: AppContext, types: string[], limit: number): Promise<UploadedBody> {
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
