import type { Clock } from '../../core/ports/clock.js';
import type { RateLimiter, RateVerdict } from '../../core/ports/rate-limiter.js';

/**
 * Sliding-window log per key, in this process's memory: the limit holds per instance (see the
 * README's scaling notes). Keys whose window has emptied are dropped on a periodic sweep.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly attempts = new Map<string, number[]>();
  private takesSinceSweep = 0;

  constructor(private readonly clock: Clock) {}

  take(key: string, limit: number, windowMs: number): RateVerdict {
    const now = this.clock.now().getTime();
    const recent = (this.attempts.get(key) ?? []).filter((at) => at > now - windowMs);
    if (++this.takesSinceSweep >= 1000) this.sweep(now, windowMs);
    if (recent.length >= limit) {
      this.attempts.set(key, recent);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.attempts.set(key, recent);
    return { allowed: true };
  }

  private sweep(now: number, windowMs: number): void {
    this.takesSinceSweep = 0;
    for (const [key, times] of this.attempts) {
      if (times[times.length - 1] <= now - windowMs) this.attempts.delete(key);
    }
  }
}
