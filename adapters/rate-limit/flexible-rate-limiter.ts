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

/** Runs a statement on MariaDB and resolves with its rows: the persistence adapter's StatementPool, as this adapter needs it. */
export interface MariaDbStatements {
  execute(sql: string, params: unknown[], method: 'all'): Promise<unknown>;
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
   * `pool` is mysql2's callback pool: the library queries with `??` identifiers and callbacks. With
   * `mariaDb` (the server is MariaDB), each count is one statement sent through it instead (MariaDbCounter).
   */
  static mysql(pool: Pool, table: { dbName: string; tableName: string }, mariaDb: MariaDbStatements | null = null): FlexibleRateLimiter {
    return new FlexibleRateLimiter((window) => {
      const options = { ...window, ...table, storeClient: pool, storeType: 'pool', tableCreated: true };
      return timeBound(mariaDb ? new MariaDbCounter(options, mariaDb) : new RateLimiterMySQL(options));
    });
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

/**
 * The library's MySQL limiter with its count in one statement: MariaDB's INSERT … ON DUPLICATE KEY UPDATE …
 * RETURNING adds to the window and reads it back atomically, where the library (written for MySQL, which
 * has no RETURNING) spends four round trips on a connection of its own pool (BEGIN, the upsert, SELECT,
 * COMMIT). Sent through the ORM's pipelined statement pool: about a third of the CPU per count under load
 * (docs/performance.md). The window arithmetic is the library's own statement's; its expired-row sweep and
 * reads (`get`, `delete`) still use `pool`.
 */
class MariaDbCounter extends RateLimiterMySQL {
  private readonly addSql: string;
  private readonly setSql: string;

  constructor(
    options: ConstructorParameters<typeof RateLimiterMySQL>[0] & { tableName: string },
    private readonly statements: MariaDbStatements,
  ) {
    super(options);
    // The table is the pool's database's (the same dbName); its name is ours (RATE_LIMIT_TABLE), not input.
    const insert = `INSERT INTO \`${options.tableName}\` (\`key\`, points, expire) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE`;
    this.addSql = `${insert} points = IF(expire <= ?, ?, points + (?)), expire = IF(expire <= ?, ?, expire) RETURNING points, expire`;
    this.setSql = `${insert} points = ?, expire = ? RETURNING points, expire`;
  }

  /** The library's store hook: resolves with the rows its `_getRateLimiterRes` reads (`points`, `expire`). */
  async _upsert(
    key: string,
    points: number,
    msDuration: number,
    forceExpire = false,
  ): Promise<{ points: number; expire: number | null }[]> {
    const now = Date.now();
    const expire = msDuration > 0 ? now + msDuration : null;
    const params = forceExpire ? [key, points, expire, points, expire] : [key, points, expire, now, points, points, now, expire];
    const rows = (await this.statements.execute(forceExpire ? this.setSql : this.addSql, params, 'all')) as {
      points: unknown;
      expire: unknown;
    }[];
    return rows.map((row) => ({ points: Number(row.points), expire: row.expire === null ? null : Number(row.expire) }));
  }
}

function timeBound(limiter: RateLimiterAbstract): RateLimiterAbstract {
  return new RLWrapperTimeouts({ limiter, timeoutMs: STORE_TIMEOUT_MS });
}
