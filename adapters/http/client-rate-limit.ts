import type { Logger } from 'pino';
import { errors, hasErrorCode, message, type RateLimiter } from '../../core/shared/index.js';
import type { AppContext } from './app-state.js';
import type { ClientBudget } from './route.js';

/**
 * Counts a request per client IP (koa's ctx.ip: X-Forwarded-For only behind a trusted proxy, see
 * create-app.ts) in its budget, `perMinute` each. Over it: rate_limited with Retry-After. A limiter
 * whose store is down lets the request through (logged): signing in must not depend on that store,
 * and without a database or Redis there is no row for a flood to fill.
 */
export function clientRateLimit(limiter: RateLimiter, perMinute: number, logger: Logger) {
  return async (ctx: AppContext, budget: ClientBudget): Promise<void> => {
    const verdict = await limiter.take(`${budget}:${ctx.ip}`, perMinute, 60).catch((error: unknown) => {
      if (!hasErrorCode(error, 'db_unavailable')) throw error;
      logger.warn({ budget }, 'rate-limit store unavailable: request let through');
      return { allowed: true } as const;
    });
    if (!verdict.allowed) throw errors.rateLimited(verdict.retryAfterSeconds, message('sign_in_rate_limited'));
  };
}
