import type Koa from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../adapters/http/app-state.js';
import type { Draining } from '../adapters/http/draining.js';
import type { Route, RouteModule } from '../adapters/http/route.js';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import type { JobHandler } from '../core/jobs/index.js';
import type { Clock, RateLimiter, TransactionRunner } from '../core/shared/index.js';
import type { Config } from './config.js';
import type { Persistence } from './persistence.js';

/** A service identifier that remembers the type it resolves to. */
export type Token<T> = symbol & { readonly __type?: T };

export const token = <T>(name: string) => Symbol(name) as Token<T>;

/** A job kind and its handler; each feature binds its own (multi-bound, collected into JobHandlers). */
export interface KindHandler {
  kind: string;
  handle: JobHandler;
}

/** The tokens of the app as a whole and of what every feature uses; each feature's own are in features/<feature>/ports.ts. */
export const APP = {
  Config: token<Config>('Config'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  /** The opened stores (composition/persistence.ts); each feature binds its store tokens from it. */
  Persistence: token<Persistence>('Persistence'),
  TransactionRunner: token<TransactionRunner>('TransactionRunner'),
  RateLimiter: token<RateLimiter>('RateLimiter'),
  /** Multi-bound: one per job kind, from the feature that owns the job. */
  JobHandler: token<KindHandler>('JobHandler'),
  /** The job worker's handlers by job kind. */
  JobHandlers: token<Readonly<Record<string, JobHandler>>>('JobHandlers'),
  /** Multi-bound: each feature's route modules, mounted in the order the feature modules load. */
  RouteModule: token<RouteModule<any>>('RouteModule'),
  /** Extra routes for tests; empty in production. */
  ExtraRoutes: token<Route[]>('ExtraRoutes'),
  /** The feature routes and the extra ones, as the app mounts them (createApp adds service, docs and media). */
  Routes: token<Route[]>('Routes'),
  App: token<Koa<AppState>>('App'),
  Metrics: token<PrometheusMetrics>('Metrics'),
  /** Set by the server when it starts shutting down. */
  Draining: token<Draining>('Draining'),
};
