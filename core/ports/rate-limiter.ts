export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts attempts per key in a sliding window. */
export interface RateLimiter {
  /** Records one attempt when allowed; a refused attempt is not counted. */
  take(key: string, limit: number, windowMs: number): RateVerdict;
}
