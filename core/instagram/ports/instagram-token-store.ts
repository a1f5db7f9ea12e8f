import type { UserDataStore } from '../../shared/index.js';
import type { InstagramLogin } from '../../personas/index.js';
/** A token as the TokenCipher sealed it: nothing here is readable without the key. */
export interface SealedToken {
  ciphertext: string;
  iv: string;
  tag: string;
  keyId: string;
}

export interface StoredToken {
  sealed: SealedToken;
  expiresAt: Date | null;
  /** The app-scoped Meta user the token belongs to (null for tokens stored before it was kept). */
  metaUserId: string | null;
  /** When it was stored (Meta's notices remove only tokens stored by the time they were signed). */
  storedAt: Date;
  /** Meta refused it (code 190) since it was stored: the persona must be linked again. save() stores false (whatever is given); get() always answers it. */
  needsReconnect?: boolean;
  /** The app that issued it: Facebook Login's (the default) or Instagram Login's. get() always answers it. */
  login?: InstagramLogin;
}

/**
 * The long-lived Meta token of each persona (ss_instagram_connector_persona), keyed by
 * user + per-user persona num. Contract: test/contracts/instagram-token-store.contract.ts.
 */
export interface InstagramTokenStore extends UserDataStore {
  /**
   * Creates or replaces (one statement), forgetting the Page token (it came from the token replaced).
   * Times are stored to the whole second (`wholeSecond(expiresAt)`, `wholeSecond(storedAt)`).
   */
  save(userId: number, personaNum: number, token: StoredToken): Promise<void>;
  get(userId: number, personaNum: number): Promise<StoredToken | null>;
  /** Keeps the sealed Page token beside the persona's token; false when there is no token row (nothing stored). */
  savePageToken(userId: number, personaNum: number, sealed: SealedToken): Promise<boolean>;
  getPageToken(userId: number, personaNum: number): Promise<SealedToken | null>;
  /**
   * A refreshed token in place of the stored one, with its new expiry (to the whole second); the rest of the row
   * (its Meta user, when it was stored, `needsReconnect`) stays. False when there is no row (unlinked meanwhile: nothing stored).
   */
  replaceRefreshed(userId: number, personaNum: number, sealed: SealedToken, expiresAt: Date | null): Promise<boolean>;
  /** Sets needsReconnect on the persona's token row until the next save(); false when there is no row. */
  markNeedsReconnect(userId: number, personaNum: number): Promise<boolean>;
  /** Idempotent. */
  delete(userId: number, personaNum: number): Promise<void>;
}
