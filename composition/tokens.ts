import type Koa from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../adapters/http/app-state.js';
import type { Draining } from '../adapters/http/draining.js';
import type { Route } from '../adapters/http/route.js';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import type { Clock, RateLimiter, TransactionRunner } from '../core/shared/index.js';
import type { ImageGenerator, ImageProcessor, MediaLibrary, MediaStore } from '../core/images/index.js';
import type { JobHandler, JobQueue } from '../core/jobs/index.js';
import type { InstagramTokenStore, MetaGraph, TokenCipher } from '../core/instagram/index.js';
import type { PostRepository, InstagramPublisher } from '../core/publishing/index.js';
import type { MetaDeletionRequests } from '../core/your-data/index.js';
import type { KakaoUnlinker, OAuthProvider, SessionStore, UsedStateStore, UserRepository } from '../core/identity/index.js';
import type { PersonaRepository } from '../core/personas/index.js';
import type { Config } from './config.js';

/** A service identifier that remembers the type it resolves to. */
export type Token<T> = symbol & { readonly __type?: T };

const token = <T>(name: string) => Symbol(name) as Token<T>;

/**
 * One token per port and per value; use cases are bound by their class. A test (or
 * MOCK_PROVIDERS) swaps one adapter with `container.rebind(TOKENS.X)`.
 */
export const TOKENS = {
  Config: token<Config>('Config'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  UserRepository: token<UserRepository>('UserRepository'),
  SessionStore: token<SessionStore>('SessionStore'),
  PersonaRepository: token<PersonaRepository>('PersonaRepository'),
  InstagramTokenStore: token<InstagramTokenStore>('InstagramTokenStore'),
  MetaDeletionRequests: token<MetaDeletionRequests>('MetaDeletionRequests'),
  UsedStateStore: token<UsedStateStore>('UsedStateStore'),
  TransactionRunner: token<TransactionRunner>('TransactionRunner'),
  JobQueue: token<JobQueue>('JobQueue'),
  /** The job worker's handlers by job kind. */
  JobHandlers: token<Readonly<Record<string, JobHandler>>>('JobHandlers'),
  MediaStore: token<MediaStore>('MediaStore'),
  MediaLibrary: token<MediaLibrary>('MediaLibrary'),
  PostRepository: token<PostRepository>('PostRepository'),
  ImageProcessor: token<ImageProcessor>('ImageProcessor'),
  RateLimiter: token<RateLimiter>('RateLimiter'),
  /** Null when no AI server is configured (every image falls back to the SVG card). */
  ImageGenerator: token<ImageGenerator | null>('ImageGenerator'),
  KakaoOAuth: token<OAuthProvider>('KakaoOAuth'),
  GoogleOAuth: token<OAuthProvider>('GoogleOAuth'),
  KakaoUnlinker: token<KakaoUnlinker>('KakaoUnlinker'),
  MetaGraph: token<MetaGraph>('MetaGraph'),
  InstagramPublisher: token<InstagramPublisher>('InstagramPublisher'),
  TokenCipher: token<TokenCipher>('TokenCipher'),
  /** Extra routes for tests; empty in production. */
  ExtraRoutes: token<Route[]>('ExtraRoutes'),
  /** The feature routes and the extra ones, as the app mounts them (createApp adds service, docs and media). */
  Routes: token<Route[]>('Routes'),
  App: token<Koa<AppState>>('App'),
  Metrics: token<PrometheusMetrics>('Metrics'),
  /** Set by the server when it starts shutting down. */
  Draining: token<Draining>('Draining'),
};
