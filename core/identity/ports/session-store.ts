import type { UserDataStore } from '../../shared/index.js';
import type { User } from '../user.js';
export type SessionData = Record<string, unknown>;

/** A session as read: its data, and the user it is signed in as. */
export interface StoredSession {
  data: SessionData;
  /**
   * The user named by `data.userId`, read together with the session (one round trip on every
   * signed-in request); null when the data names no user or that user no longer exists.
   */
  user: User | null;
}

/**
 * Server-side sessions keyed by an opaque id. A session is signed in when its data holds a numeric
 * `userId`. Contract: test/contracts/session-store.contract.ts.
 */
export interface SessionStore extends UserDataStore {
  /** The session, or null when unknown or expired at `now`. */
  get(id: string, now: Date): Promise<StoredSession | null>;
  /** Creates or replaces the session (one statement). */
  set(id: string, data: SessionData, expiresAt: Date): Promise<void>;
  /**
   * Replaces the data of a session that still exists; false, writing nothing, when it was destroyed
   * meanwhile (a logout in a parallel request must not be undone by this one's save).
   */
  update(id: string, data: SessionData, expiresAt: Date): Promise<boolean>;
  /** Idempotent. */
  destroy(id: string): Promise<void>;
  /** Deletes every session expired at `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

/** The signed-in user's id in session data, if any. */
export function userIdOf(data: SessionData): number | null {
  return typeof data.userId === 'number' ? data.userId : null;
}
