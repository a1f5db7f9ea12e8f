export type SessionData = Record<string, unknown>;

/**
 * Server-side sessions keyed by an opaque id.
 * Contract: test/contracts/session-store.contract.ts.
 */
export interface SessionStore {
  /** The data, or null when unknown or expired at `now`. */
  get(id: string, now: Date): Promise<SessionData | null>;
  /** Creates or replaces the session (one statement). */
  set(id: string, data: SessionData, expiresAt: Date): Promise<void>;
  /** Idempotent. */
  destroy(id: string): Promise<void>;
  /** Deletes every session expired at `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}
