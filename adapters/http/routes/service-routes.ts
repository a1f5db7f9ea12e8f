import type { Draining } from '../draining.js';
import type { Probe } from '../readiness.js';
import { defineRoute, type Route } from '../route.js';
import { ok } from '../schemas.js';

export interface ServiceRouteDeps {
  /** Resolves when the database answers; rejects otherwise. */
  pingDatabase: Probe;
  /** With MEDIA_STORE=s3: resolves when the bucket answers (bounded by S3_TIMEOUT_MS, cached); null for the disk store. */
  pingMediaStore: Probe | null;
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
      summary: 'Readiness: the database answers within 1 s, the bucket too with MEDIA_STORE=s3, and the process is not shutting down',
      responses: {
        200: { description: 'Ready', schema: STATUS },
        503: { description: 'The database or the bucket is down, or the process is shutting down', schema: STATUS },
      },
      async handler(ctx) {
        if (deps.draining.active) {
          ctx.status = 503;
          ctx.body = { status: 'unavailable', reason: 'shutting_down' };
          return;
        }
        const answers = (probe: Promise<void>) =>
          probe.then(
            () => 'ok' as const,
            () => 'down' as const,
          );
        const [db, media] = await Promise.all([
          answers(withTimeout(deps.pingDatabase(), READY_TIMEOUT_MS)),
          // The bucket's own timeout (S3_TIMEOUT_MS) may be longer: readiness answers within READY_TIMEOUT_MS all the same.
          deps.pingMediaStore === null ? null : answers(withTimeout(deps.pingMediaStore(), READY_TIMEOUT_MS)),
        ]);
        const ready = db === 'ok' && media !== 'down';
        ctx.status = ready ? 200 : 503;
        // The contract's body; `media` is added with MEDIA_STORE=s3 only.
        ctx.body = { status: ready ? 'ok' : 'unavailable', db, ...(media === null ? {} : { media }) };
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
