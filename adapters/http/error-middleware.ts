import type { Next } from 'koa';
import type { Logger } from 'pino';
import { DomainError, errors, kindOfCode, type ErrorCode, type ErrorDetail, type ErrorKind } from '../../core/shared/index.js';
import type { AppContext } from './app-state.js';
import { preferredLanguage, wordsOf, type Language } from './messages/catalogue.js';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  rate_limited: 429,
  internal: 500,
  upstream: 502,
  unavailable: 503,
};

/** The status every answer with `code` has. */
export function statusOfCode(code: ErrorCode): number {
  return STATUS_BY_KIND[kindOfCode(code)];
}

/** Transport errors thrown by koa, co-body and ctx.throw, by status. */
const ERROR_BY_STATUS: Record<number, () => DomainError> = {
  400: errors.malformedRequest,
  404: errors.routeNotFound,
  413: errors.payloadTooLarge,
  415: errors.unsupportedMediaType,
};

/**
 * The one place that turns a thrown error into the contract's envelope and status, its messages worded
 * (messages/) in the language the caller prefers. plumbing.ts runs errorMiddleware (as do tests that assemble an app
 * from parts); a route not found answers the 404 envelope.
 */
function answerError(ctx: AppContext, error: unknown, logger: Logger): void {
  const language = preferredLanguage(ctx);
  const answer = toAnswer(error, language);
  if (answer.status === 500) {
    logger.error({ err: error }, 'unhandled error');
  }
  ctx.status = answer.status;
  ctx.body = answer.body;
  ctx.set('Content-Language', language);
  ctx.vary('Accept-Language');
  if (answer.retryAfter !== undefined) ctx.set('Retry-After', String(answer.retryAfter));
}

export function errorMiddleware(logger: Logger) {
  return async (ctx: AppContext, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw errors.routeNotFound();
      }
    } catch (error) {
      answerError(ctx, error, logger);
    }
  };
}

interface Answer {
  status: number;
  body: { ok: false; error: ErrorCode; message: string; details?: unknown };
  retryAfter?: number;
}

/**
 * Korean when Accept-Language ranks `ko` (or `ko-KR` …) above English, q-values honoured; English
 * otherwise, and when there is no header. koa's ctx.acceptsLanguages is the negotiator package's.
 */
function toAnswer(thrown: unknown, language: Language): Answer {
  const error = thrown instanceof DomainError ? thrown : (transportError(thrown) ?? errors.internalError());
  const body: Answer['body'] = { ok: false, error: error.code, message: wordsOf(error.said, language) };
  if (error.details)
    body.details = error.details.map((detail) => ({ path: detailPath(detail), message: wordsOf(detail.message, language) }));
  return { status: STATUS_BY_KIND[error.kind], body, retryAfter: error.retryAfterSeconds };
}

/** The contract's `details[].path`: a field as a JSON pointer (`/` for the whole input), a permission by its name. */
export function detailPath(detail: ErrorDetail): string {
  if (!('field' in detail)) return detail.permission;
  return detail.field.length === 0
    ? '/'
    : detail.field.map((name: string) => `/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function transportError(error: unknown): DomainError | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? ERROR_BY_STATUS[status]?.() : undefined;
}
