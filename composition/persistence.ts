import { InMemoryJobQueue } from '../adapters/fakes/in-memory-job-queue.js';
import { InMemoryInstagramTokenStore } from '../adapters/fakes/in-memory-instagram-token-store.js';
import { InMemoryMediaLibrary } from '../adapters/fakes/in-memory-media-library.js';
import { InMemoryPostRepository } from '../adapters/fakes/in-memory-post-repository.js';
import { InMemoryMetaDeletionRequests } from '../adapters/fakes/in-memory-meta-deletion-requests.js';
import { InMemoryPersonaRepository } from '../adapters/fakes/in-memory-persona-repository.js';
import { InMemorySessionStore } from '../adapters/fakes/in-memory-session-store.js';
import { InMemoryUsedStateStore } from '../adapters/fakes/in-memory-used-state-store.js';
import { InMemoryTransactionRunner } from '../adapters/fakes/in-memory-transaction-runner.js';
import { InMemoryUserRepository } from '../adapters/fakes/in-memory-user-repository.js';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { createOrm } from '../adapters/persistence/create-orm.js';
import { MikroOrmJobQueue } from '../adapters/persistence/mikro-orm-job-queue.js';
import { MikroOrmInstagramTokenStore } from '../adapters/persistence/mikro-orm-instagram-token-store.js';
import { MikroOrmMediaLibrary } from '../adapters/persistence/mikro-orm-media-library.js';
import { MikroOrmMetaDeletionRequests } from '../adapters/persistence/mikro-orm-meta-deletion-requests.js';
import { MikroOrmPersonaRepository } from '../adapters/persistence/mikro-orm-persona-repository.js';
import { MikroOrmPostRepository } from '../adapters/persistence/mikro-orm-post-repository.js';
import { MikroOrmSessionStore } from '../adapters/persistence/mikro-orm-session-store.js';
import { MikroOrmUsedStateStore } from '../adapters/persistence/mikro-orm-used-state-store.js';
import { MikroOrmTransactionRunner } from '../adapters/persistence/mikro-orm-transaction-runner.js';
import { MikroOrmUserRepository } from '../adapters/persistence/mikro-orm-user-repository.js';
import { FlexibleRateLimiter } from '../adapters/rate-limit/flexible-rate-limiter.js';
import type { JobQueue } from '../core/jobs/index.js';
import type { InstagramTokenStore } from '../core/instagram/index.js';
import type { MediaLibrary } from '../core/images/index.js';
import type { PostRepository } from '../core/publishing/index.js';
import type { MetaDeletionRequests } from '../core/your-data/index.js';
import type { PersonaRepository } from '../core/personas/index.js';
import type { RateLimiter, TransactionRunner } from '../core/shared/index.js';
import type { SessionStore, UsedStateStore, UserRepository } from '../core/identity/index.js';
import type { Config } from './config.js';
import { openRateLimits } from './rate-limits.js';

/** Every store the app needs, from one database (or from memory, in tests). */
export interface Persistence {
  users: UserRepository;
  sessions: SessionStore;
  personas: PersonaRepository;
  instagramTokens: InstagramTokenStore;
  metaDeletionRequests: MetaDeletionRequests;
  usedStates: UsedStateStore;
  mediaLibrary: MediaLibrary;
  posts: PostRepository;
  jobs: JobQueue;
  /** Counts where every instance on this store sees the counts (see openRateLimits). */
  rateLimiter: RateLimiter;
  transactions: TransactionRunner;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** One unit of work's scope (see Database.inRequestScope); the HTTP adapter runs each database route in one. */
  inRequestScope<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * MySQL/MariaDB when DB_HOST is set, else the embedded SQLite file (schema created on start); rate
 * limits in Redis when REDIS_URL is set. With `metrics`, every query's duration and the pool's
 * connections are reported there.
 */
export async function openPersistence(
  config: Pick<Config, 'mysql' | 'sqlitePath'> & Partial<Pick<Config, 'redisUrl'>>,
  metrics?: PrometheusMetrics,
): Promise<Persistence> {
  const onQuery = metrics && ((sql: string, ms: number, failed: boolean) => metrics.observeQuery(sql, ms, failed));
  const db = await createOrm({ mysql: config.mysql, sqlitePath: config.sqlitePath, onQuery });
  metrics?.watchPool(() => db.poolStats());
  const rateLimits = await openRateLimits(config);
  const em = db.orm.em;
  return {
    users: new MikroOrmUserRepository(em),
    sessions: new MikroOrmSessionStore(em),
    personas: new MikroOrmPersonaRepository(em),
    instagramTokens: new MikroOrmInstagramTokenStore(em),
    metaDeletionRequests: new MikroOrmMetaDeletionRequests(em),
    usedStates: new MikroOrmUsedStateStore(em),
    mediaLibrary: new MikroOrmMediaLibrary(em),
    posts: new MikroOrmPostRepository(em),
    jobs: new MikroOrmJobQueue(em),
    rateLimiter: rateLimits.limiter,
    transactions: new MikroOrmTransactionRunner(em),
    ping: () => db.ping(),
    inRequestScope: (work) => db.inRequestScope(work),
    close: async () => {
      await rateLimits.close();
      await db.close();
    },
  };
}

/** The in-memory twin, for tests. */
export function inMemoryPersistence(): Persistence {
  const instagramTokens = new InMemoryInstagramTokenStore();
  const users = new InMemoryUserRepository();
  const jobs = new InMemoryJobQueue();
  return {
    users,
    sessions: new InMemorySessionStore(users),
    personas: new InMemoryPersonaRepository(instagramTokens),
    instagramTokens,
    metaDeletionRequests: new InMemoryMetaDeletionRequests(),
    usedStates: new InMemoryUsedStateStore(),
    mediaLibrary: new InMemoryMediaLibrary(),
    posts: new InMemoryPostRepository(jobs),
    jobs,
    rateLimiter: FlexibleRateLimiter.inMemory(),
    transactions: new InMemoryTransactionRunner(),
    ping: async () => {},
    inRequestScope: (work) => work(),
    close: async () => {},
  };
}
