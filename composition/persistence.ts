import { FlexibleRateLimiter } from '../adapters/rate-limit/flexible-rate-limiter.js';
import { InMemoryTransactionRunner } from '../adapters/in-memory/in-memory-transaction-runner.js';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.js';
import { createOrm } from '../adapters/persistence/create-orm.js';
import { MikroOrmTransactionRunner } from '../adapters/persistence/mikro-orm-transaction-runner.js';
import type { RateLimiter, TransactionRunner } from '../core/shared/index.js';
import type { Token } from './app-tokens.js';
import type { Config } from './config.js';
import type { StoreDeclaration } from './features/feature.js';
import { STORES, type Stores } from './features/stores.js';
import { openRateLimits } from './rate-limits.js';

/** Every store the app needs (each feature declares its own: features/<feature>/ports.ts), from one database or from memory. */
export interface Persistence extends Stores {
  /** Counts where every instance on this store sees the counts (see openRateLimits). */
  rateLimiter: RateLimiter;
  transactions: TransactionRunner;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** One unit of work's scope (see Database.inRequestScope); the HTTP adapter runs each database route in one. */
  inRequestScope<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One instance of each declared store, made by `make`, which may ask for another store by its token. */
function buildStores(make: (declaration: StoreDeclaration<unknown>, get: <T>(token: Token<T>) => T) => unknown): Stores {
  const byToken = new Map<symbol, StoreDeclaration<unknown>>(Object.values(STORES).map((d: StoreDeclaration<unknown>) => [d.token, d]));
  const built = new Map<symbol, unknown>();
  const get = <T>(token: Token<T>): T => {
    if (!built.has(token)) built.set(token, make(byToken.get(token)!, get));
    return built.get(token) as T;
  };
  return Object.fromEntries(Object.entries(STORES).map(([name, d]: [string, StoreDeclaration<unknown>]) => [name, get(d.token)])) as Stores;
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
  const rateLimits = await openRateLimits(config, db.mariaDbStatements);
  const em = db.orm.em;
  return {
    ...buildStores((store) => store.orm(em)),
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

/** The in-memory twin (adapters/in-memory/), for tests only: no configuration selects it. */
export function inMemoryPersistence(): Persistence {
  return {
    ...buildStores((store, get) => store.memory(get)),
    rateLimiter: FlexibleRateLimiter.inMemory(),
    transactions: new InMemoryTransactionRunner(),
    ping: async () => {},
    inRequestScope: (work) => work(),
    close: async () => {},
  };
}
