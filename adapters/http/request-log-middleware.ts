import type { Next } from 'koa';
import type { Logger } from 'pino';
import type { AppContext } from './app-state.js';
import { withLogContext } from '../logging/log-context.js';
import { observeRequest, type HttpMetrics } from './metrics.js';
import { requestIdSource } from './request-id.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id (a well-formed incoming X-Request-Id is kept), echoes it, puts it on
 * every log line written while the request runs (adapters' warnings included: see log-context.ts),
 * logs one line per request and counts it in the metrics (one timer for both). Only the path is
 * logged: query strings carry OAuth codes and states.
 */
export function requestLogMiddleware(logger: Logger, metrics: HttpMetrics) {
  const nextId = requestIdSource();
  return (ctx: AppContext, next: Next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = INCOMING_ID.test(incoming) ? incoming : nextId();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    return withLogContext({ requestId }, async () => {
      try {
        await next();
      } finally {
        const ms = performance.now() - started;
        observeRequest(metrics, ctx, ms / 1000);
        // Checked first so that a level above info (LOG_LEVEL=warn) skips building the line.
        if (logger.isLevelEnabled('info'))
          logger.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
      }
    });
  };
}
