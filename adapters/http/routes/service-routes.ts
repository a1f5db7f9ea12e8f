import type { Draining } from '../draining.js';
import { defineRoute, type Route } from '../route.js';
import { ok } from '../schemas.js';

export interface ServiceRouteDeps {
  /** Resolves when the database answers; rejects otherwise. */
  pingDatabase(): Promise<void>;
  /** While the process shuts down, readiness is 503 whatever the database says. */
  draining: Draining;
  production: boolean;
  /** Every route of the app, for /__routes and /openapi.json. */
  allRoutes(): Route[];
  openApi(): Record<string, unknown>;
}

const READY_TIMEOUT_MS = 1000;
const STATUS = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } };

export function serviceRoutes(deps: ServiceRouteDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/',
      operationId: 'getServiceName',
      tag: 'service',
      summary: 'Welcome',
      responses: { 200: { description: 'The service name', schema: ok('message', { type: 'string' }) } },
      handler(ctx) {
        ctx.body = { ok: true, message: 'selfstar backend' };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/health',
      operationId: 'getHealth',
      tag: 'service',
      summary: 'Liveness',
      responses: { 200: { description: 'The process runs', schema: STATUS } },
      handler(ctx) {
        ctx.body = { status: 'ok' };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/health/ready',
      operationId: 'getReadiness',
      tag: 'service',
      summary: 'Readiness: the database answers within 1 s, and the process is not shutting down',
      responses: {
        200: { description: 'Ready', schema: STATUS },
        503: { description: 'The database is down, or the process is shutting down', schema: STATUS },
      },
      async handler(ctx) {
        if (deps.draining.active) {
          ctx.status = 503;
          ctx.body = { status: 'unavailable', reason: 'shutting_down' };
          return;
        }
        const ready = await withTimeout(deps.pingDatabase(), READY_TIMEOUT_MS).then(
          () => true,
          () => false,
        );
        ctx.status = ready ? 200 : 503;
        ctx.body = ready ? { status: 'ok', db: 'ok' } : { status: 'unavailable', db: 'down' };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/__routes',
      operationId: 'listRoutes',
      tag: 'service',
      summary: 'Every registered route (404 in production)',
      responses: { 200: { description: 'Routes', schema: { type: 'array', items: { type: 'string' } } } },
      handler(ctx) {
        if (deps.production) return; // falls through to the 404 envelope
        ctx.body = deps.allRoutes().map((route) => `${route.method} ${route.path}`);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      tag: 'service',
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1' } },
      handler(ctx) {
        ctx.body = deps.openApi();
      },
    }),
  ];
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
