import type { Clock } from '../../core/shared/index.js';

/** A dependency /health/ready asks about: resolves when it answers, rejects otherwise (bounded by its own timeout). */
export type Probe = () => Promise<void>;

/**
 * `probe` asked at most once per `ttlMs`: its answer, success or failure, is kept for `ttlMs` after it
 * came, and callers arriving while it is being asked share that one call. A flood of readiness probes
 * (every load balancer, every few seconds) then reaches the dependency about once per `ttlMs` whatever
 * its state, and a dependency that comes back is seen within `ttlMs`.
 */
export function cachedProbe(probe: Probe, ttlMs: number, clock: Clock): Probe {
  let answer: Promise<void> | null = null;
  /** When `answer` settled; null while it is being asked. */
  let settledAt: number | null = null;
  return () => {
    const now = clock.now().getTime();
    if (answer === null || (settledAt !== null && (now - settledAt >= ttlMs || now < settledAt))) {
      const current = probe();
      answer = current;
      settledAt = null;
      const settle = () => {
        if (answer === current) settledAt = clock.now().getTime();
      };
      current.then(settle, settle);
    }
    return answer;
  };
}
