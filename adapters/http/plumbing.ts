import type { Middleware, Next } from 'koa';
import type { Logger } from 'pino';
import { withLogContext } from '../logging/log-context.js';
import { arrivedAt } from './admitting-koa.js';
import type { AppContext } from './app-state.js';
import { answerWithCorsHeaders } from './cors.js';
import type { Draining } from './draining.js';
import { errorMiddleware } from './error-middleware.js';
import { observeRequest, type HttpMetrics } from './metrics.js';
import { requestIdSource } from './request-id.js';
import { dropUnreadBody } from './unread-body.js';

export interface PlumbingOptions {
  logger: Logger;
  metrics: HttpMetrics;
  draining: Draining;
  frontendUrl: string;
  strictCors: boolean;
}

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** An API answer is never a page: nothing may load from it or frame it. Pages (/docs, /media) set their own. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Everything every request goes through before its route, as one middleware with one async frame (it
 * was six, and they cost more than half of bare Koa's speed on GET /health):
 * - a request id (a well-formed incoming X-Request-Id is kept), echoed, and on every log line written
 *   while the request runs (adapters' warnings too: see log-context.ts);
 * - security headers on every answer, errors included (set before the route runs): no MIME sniffing, no
 *   Referer leaving the API, no framing;
 * - CORS (cors.ts); without an Origin header only `Vary: Origin`;
 * - the shutdown's drain (draining.ts): requests in flight are counted, and answers say
 *   `Connection: close` once it has begun;
 * - thrown errors become the contract's envelope (error-middleware.ts);
 * - a body the route left unread is read to its end, within bounds, before the answer (unread-body.ts);
 * - one log line (with the request id: it is written after the log context ends) and one metrics
 *   observation per request (one timer for both, from the request's arrival: the wait for its turn counts,
 *   admitting-koa.ts). Only the path is logged: query strings carry OAuth codes and states.
 */
export function plumbing(options: PlumbingOptions): Middleware {
  const { logger, metrics, draining } = options;
  const nextId = requestIdSource();
  const withCors = answerWithCorsHeaders(options.frontendUrl, options.strictCors);
  const answerErrors = errorMiddleware(logger);
  const route = (ctx: AppContext, next: Next) => answerErrors(ctx, () => (ctx.headers.origin === undefined ? next() : withCors(ctx, next)));
  return async (ctx: AppContext, next: Next) => {
    const started = arrivedAt(ctx.req) ?? performance.now();
    const incoming = ctx.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : nextId();
    ctx.state.requestId = requestId;
    const { res } = ctx;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', API_POLICY);
    res.setHeader('Vary', 'Origin');
    draining.enter();
    try {
      await withLogContext({ requestId }, () => route(ctx, next));
      if (!ctx.req.complete) await dropUnreadBody(ctx.req);
    } finally {
      if (draining.leave()) ctx.set('Connection', 'close');
      const ms = performance.now() - started;
      observeRequest(metrics, ctx, ms / 1000);
      // Checked first so that a level above info (LOG_LEVEL=warn) skips building the line.
      if (logger.isLevelEnabled('info'))
        logger.info({ requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}
