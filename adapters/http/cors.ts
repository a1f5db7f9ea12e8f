import cors from '@koa/cors';
import type { Middleware } from 'koa';
import type { AppContext } from './app-state.js';

/**
 * FRONTEND_URL gets its own origin with credentials. Any other origin gets `*` without
 * credentials, or nothing with STRICT_CORS=1. Never `*` with credentials (SECURITY.md).
 */
export function corsMiddleware(frontendUrl: string, strict: boolean): Middleware {
  const frontendOrigin = new URL(frontendUrl).origin;
  const isFrontend = (ctx: AppContext) => ctx.get('Origin') === frontendOrigin;
  const withOrigin = cors({
    origin: (ctx) => (isFrontend(ctx) ? frontendOrigin : strict ? '' : '*'),
    credentials: (ctx) => isFrontend(ctx),
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
  });
  // Without an Origin header there is nothing to answer; the response still varies by Origin.
  return (ctx, next) => {
    if (ctx.headers.origin !== undefined) return withOrigin(ctx, next);
    ctx.vary('Origin');
    return next();
  };
}
