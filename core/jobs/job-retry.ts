/** At most this many tries of a job that keeps failing transiently; then it fails. */
export const MAX_TRIES = 5;
const FIRST_DELAY_MS = 30_000;
const MAX_DELAY_MS = 30 * 60_000;

/**
 * How long to wait before try `attempts + 1`, or null when `attempts` tries were the last: exponential
 * (30 s, 1 min, 2 min, 4 min … at most 30 min) with "equal jitter" (half fixed, half random), so jobs that
 * failed together do not all come back together. `random` is in [0, 1).
 */
export function retryDelayMs(attempts: number, random: number): number | null {
  if (attempts >= MAX_TRIES) return null;
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempts - 1));
  return ceiling / 2 + Math.floor((ceiling / 2) * random);
}
