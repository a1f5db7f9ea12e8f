import { createHash, timingSafeEqual } from 'node:crypto';
import { errors } from '../../core/shared/index.js';
import type { AppContext } from './app-state.js';
import { defineRoute, type Route } from './route.js';

/** What the HTTP adapter needs of the metrics (adapters/metrics/prometheus-metrics.ts has it). */
export interface HttpMetrics {
  readonly contentType: string;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  text(): Promise<string>;
}

/** The route label of a path no route declares: one label, however many paths clients send. */
const UNMATCHED = 'unmatched';

/**
 * Counts one answered request under its declared route pattern (`/api/personas/:id`, never the raw
 * path) and its final status. Called by the request-log middleware, outside the error middleware, so
 * errors count with the status they answered.
 */
export function observeRequest(metrics: HttpMetrics, ctx: AppContext, seconds: number): void {
  const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  metrics.observeRequest(ctx.method, typeof route === 'string' ? route : UNMATCHED, ctx.status, seconds);
}

/**
 * GET /metrics. With a token, only `Authorization: Bearer <token>` is let in (401 otherwise); without
 * one it is open, except in production, where it does not exist (404): metrics name routes and load.
 */
export function metricsRoute(metrics: HttpMetrics, options: { token: string | null; production: boolean }): Route {
  const expected = options.token === null ? null : digest(options.token);
  return defineRoute({
    method: 'GET',
    path: '/metrics',
    operationId: 'getMetrics',
    errors: { not_authenticated: '', not_found: '' },
    tag: 'service',
    summary: 'Prometheus metrics (Authorization: Bearer METRICS_TOKEN when set)',
    responses: { 200: { description: 'Prometheus text' } },
    async handler(ctx) {
      if (expected === null && options.production) return; // falls through to the 404 envelope
      if (expected !== null && !timingSafeEqual(digest(bearerToken(ctx)), expected)) {
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        throw errors.notAuthenticated();
      }
      ctx.type = metrics.contentType;
      ctx.body = await metrics.text();
    },
  });
}

function bearerToken(ctx: AppContext): string {
  const match = /^Bearer +(\S+)\s*$/i.exec(ctx.get('authorization'));
  return match ? match[1] : '';
}

/** Both sides hashed first: timingSafeEqual needs equal lengths, and the token's length stays secret too. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
