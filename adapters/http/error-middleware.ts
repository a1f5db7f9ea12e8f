import type { Next } from 'koa';
import type { Logger } from 'pino';
import { DomainError, errors, type ErrorKind } from '../../core/errors.js';
import type { AppContext } from './app-state.js';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation: 422,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
};

/** Transport errors thrown by koa, co-body and ctx.throw, by status. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

const MESSAGE_BY_STATUS: Record<number, string> = {
  400: 'The request is malformed.',
  404: 'No such route.',
  413: 'The request body is too large.',
  415: 'The body must be application/json.',
};

/** The one place that turns a thrown error into the contract's envelope and status. */
export function errorMiddleware(logger: Logger) {
  return async (ctx: AppContext, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw errors.routeNotFound();
      }
    } catch (error) {
      const answer = toAnswer(error);
      if (answer.status === 500) {
        logger.error({ err: error, requestId: ctx.state.requestId }, 'unhandled error');
      }
      ctx.status = answer.status;
      ctx.body = answer.body;
      if (answer.retryAfter !== undefined) ctx.set('Retry-After', String(answer.retryAfter));
    }
  };
}

interface Answer {
  status: number;
  body: { ok: false; error: string; message: string; details?: unknown };
  retryAfter?: number;
}

function toAnswer(error: unknown): Answer {
  if (error instanceof DomainError) {
    const body: Answer['body'] = { ok: false, error: error.code, message: error.message };
    if (error.details) body.details = error.details;
    return { status: STATUS_BY_KIND[error.kind], body, retryAfter: error.retryAfterSeconds };
  }
  const status = (error as { status?: unknown; expose?: unknown }).status;
  if (typeof status === 'number' && CODE_BY_STATUS[status]) {
    return { status, body: { ok: false, error: CODE_BY_STATUS[status], message: MESSAGE_BY_STATUS[status] } };
  }
  return { status: 500, body: { ok: false, error: 'internal_error', message: 'Something went wrong on our side.' } };
}
