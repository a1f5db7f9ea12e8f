import type { Redis } from 'ioredis';
import type { Pool } from 'mysql2';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
// The library's parts, not its index (rate-limiter-flexible-parts.d.ts says why).
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import RateLimiterMySQL from 'rate-limiter-flexible/lib/RateLimiterMySQL.js';
import RateLimiterRedis from 'rate-limiter-flexible/lib/RateLimiterRedis.js';
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes.js';
import RLWrapperTimeouts from 'rate-limiter-flexible/lib/RLWrapperTimeouts.js';
import { errors, message, type RateLimiter, type RateVerdict } from '../../core/shared/index.js';

/** rate-limiter-flexible's options for one limit: `points` attempts per `duration` seconds. */
interface Window {
  keyPrefix: string;
  points: number;
  duration: number;
}

const KEY_PREFIX = 'selfstar';
/** A store that does not answer within this is treated as down: a request never waits on it longer. */
const STORE_TIMEOUT_MS = 2000;

/**
 * The RateLimiter port on rate-limiter-flexible (fixed windows). Its limiters are built per
 * (limit, window) on first use, over one store: this process's memory, a MySQL/MariaDB table, or Redis.
 */
export class FlexibleRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  private constructor(private readonly make: (window: Window) => RateLimiterAbstract) {}

  /** Counts in this process only: for the embedded SQLite database, which runs as one instance. */
  static inMemory(): FlexibleRateLimiter {
    return new FlexibleRateLimiter((window) => new RateLimiterMemory(window));
  }

  /**
   * Counts in a table that a committed migration created (`tableCreated`: the library runs no DDL).
   * `pool` is mysql2's callback pool: the library queries with `??` identifiers and callbacks.
   */
  static mysql(pool: Pool, table: { dbName: string; tableName: string }): FlexibleRateLimiter {
    return new FlexibleRateLimiter((window) =>
      timeBound(new RateLimiterMySQL({ ...window, ...table, storeClient: pool, storeType: 'pool', tableCreated: true })),
    );
  }

  /** Counts in Redis (an atomic Lua increment); `client` should have its offline queue off, so a lost connection fails at once. */
  static redis(client: Redis): FlexibleRateLimiter {
    return new FlexibleRateLimiter((window) =>
      timeBound(new RateLimiterRedis({ ...window, storeClient: client, rejectIfRedisNotReady: true })),
    );
  }

  async take(key: string, limit: number, windowSeconds: number): Promise<RateVerdict> {
    try {
      await this.limiterFor(limit, windowSeconds).consume(key);
      return { allowed: true };
    } catch (rejection) {
      // The library rejects with its result when the limit is reached, and with an Error when the store fails.
      if (!(rejection instanceof RateLimiterRes)) throw errors.dbUnavailable(message('rate_limit_store_unavailable'));
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }

  private limiterFor(points: number, duration: number): RateLimiterAbstract {
    const id = `${points}/${duration}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.make({ keyPrefix: KEY_PREFIX, points, duration });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

function timeBound(limiter: RateLimiterAbstract): RateLimiterAbstract {
  return new RLWrapperTimeouts({ limiter, timeoutMs: STORE_TIMEOUT_MS });
}
