import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { MySqlConnectionOptions } from '../adapters/persistence/create-orm.js';
import { RATE_LIMIT_TABLE } from '../adapters/persistence/entities.js';
import type { StatementPool } from '../adapters/persistence/statement-pool.js';
import { FlexibleRateLimiter } from '../adapters/rate-limit/flexible-rate-limiter.js';
import type { RateLimiter } from '../core/shared/index.js';

const CONNECT_TIMEOUT_MS = 2000;

export interface RateLimits {
  limiter: RateLimiter;
  close(): Promise<void>;
}

/**
 * Where the limits are counted: Redis when REDIS_URL is set; else the MySQL/MariaDB table (so every
 * instance on that database shares them); else this process's memory (SQLite runs as one instance).
 * A store that is down at start is not fatal: the limiter answers db_unavailable until it is back.
 * `mariaDbStatements`: the ORM's pipelined pool when the server is MariaDB, which counts in one statement.
 */
export async function openRateLimits(
  config: { mysql: MySqlConnectionOptions | null; redisUrl?: string | null },
  mariaDbStatements: StatementPool | null = null,
): Promise<RateLimits> {
  // Each client is loaded only where it is used: SQLite needs neither, and both add to the start-up time.
  if (config.redisUrl) {
    const { Redis } = await import('ioredis');
    // No offline queue: while Redis is unreachable a limit fails at once instead of queueing requests.
    const client = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: CONNECT_TIMEOUT_MS });
    client.on('error', () => {}); // each failure also fails the command it meets; ioredis keeps reconnecting
    await Promise.race([once(client, 'ready').catch(() => {}), delay(CONNECT_TIMEOUT_MS, undefined, { ref: false })]);
    return { limiter: FlexibleRateLimiter.redis(client), close: async () => client.disconnect() };
  }
  if (config.mysql) {
    const { createPool } = await import('mysql2');
    const { host, port, user, password, dbName } = config.mysql;
    const pool = createPool({ host, port, user, password, connectionLimit: 4, connectTimeout: CONNECT_TIMEOUT_MS });
    return {
      limiter: FlexibleRateLimiter.mysql(pool, { dbName, tableName: RATE_LIMIT_TABLE }, mariaDbStatements),
      close: () => new Promise((done) => pool.end(() => done())),
    };
  }
  return { limiter: FlexibleRateLimiter.inMemory(), close: async () => {} };
}
