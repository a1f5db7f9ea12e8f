import cors from '@koa/cors';
import type { Middleware } from 'koa';
import type { AppContext } from './app-state.js';

/**
 * The CORS answer to a request that has an Origin header (plumbing.ts gives the others only
 * `Vary: Origin`). FRONTEND_URL gets its own origin with credentials. Any other origin gets `*`
 * without credentials, or nothing with STRICT_CORS=1. Never `*` with credentials (docs/security.md).
 */
export function answerWithCorsHeaders(frontendUrl: string, strict: boolean): Middleware {
  const frontendOrigin = new URL(frontendUrl).origin;
  const isFrontend = (ctx: AppContext) => ctx.get('Origin') === frontendOrigin;
  return cors({
    origin: (ctx) => (isFrontend(ctx) ? frontendOrigin : strict ? '' : '*'),
    credentials: (ctx) => isFrontend(ctx),
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
  });
}
