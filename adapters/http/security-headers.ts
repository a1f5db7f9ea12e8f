import type { Middleware } from 'koa';

/** An API answer is never a page: nothing may load from it or frame it. Pages (/docs, /media) set their own. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Security headers on every response, errors included (set before the route runs):
 * no MIME sniffing, no Referer leaving the API, no framing.
 */
export function securityHeaders(): Middleware {
  return (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Content-Security-Policy', API_POLICY);
    return next();
  };
}
