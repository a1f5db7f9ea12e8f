export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts attempts per key in fixed windows, in a store that every instance sharing it sees.
 * A key's window opens with its first attempt and lasts `windowSeconds`; within it the first
 * `limit` attempts are allowed and the rest refused, and a refused attempt does not move the end of
 * the window (`retryAfterSeconds`, at least 1). Rejects with DomainError db_unavailable when the
 * store cannot be reached: the caller decides whether that refuses or lets the attempt through.
 */
export interface RateLimiter {
  take(key: string, limit: number, windowSeconds: number): Promise<RateVerdict>;
}
