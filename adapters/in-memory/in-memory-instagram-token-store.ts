import { wholeSecond } from '../../core/personas/index.js';
import type { InstagramTokenStore, SealedToken, StoredToken } from '../../core/instagram/index.js';

/** A stored token with its owner, as a row holds them. */
export interface InMemoryTokenRow {
  userId: number;
  personaNum: number;
  token: StoredToken;
  pageToken: SealedToken | null;
}

/** Expiries and storing times kept to the whole second, as the database adapters keep them. */
export class InMemoryInstagramTokenStore implements InstagramTokenStore {
  private readonly rows = new Map<string, InMemoryTokenRow>();

  async save(userId: number, personaNum: number, token: StoredToken): Promise<void> {
    const expiresAt = token.expiresAt === null ? null : wholeSecond(token.expiresAt);
    const { ciphertext, iv, tag, keyId } = token.sealed;
    const stored = {
      sealed: { ciphertext, iv, tag, keyId },
      expiresAt,
      metaUserId: token.metaUserId,
      storedAt: wholeSecond(token.storedAt),
      needsReconnect: false,
      login: token.login ?? 'facebook',
    };
    this.rows.set(key(userId, personaNum), { userId, personaNum, token: stored, pageToken: null });
  }

  async get(userId: number, personaNum: number): Promise<StoredToken | null> {
    const row = this.rows.get(key(userId, personaNum));
    return row ? structuredClone(row.token) : null;
  }

  async savePageToken(userId: number, personaNum: number, sealed: SealedToken): Promise<boolean> {
    const row = this.rows.get(key(userId, personaNum));
    if (row) row.pageToken = { ...sealed };
    return Boolean(row);
  }

  async getPageToken(userId: number, personaNum: number): Promise<SealedToken | null> {
    const row = this.rows.get(key(userId, personaNum));
    return row?.pageToken ? { ...row.pageToken } : null;
  }

  async replaceRefreshed(userId: number, personaNum: number, sealed: SealedToken, expiresAt: Date | null): Promise<boolean> {
    const row = this.rows.get(key(userId, personaNum));
    if (row) Object.assign(row.token, { sealed: { ...sealed }, expiresAt: expiresAt === null ? null : wholeSecond(expiresAt) });
    return Boolean(row);
  }

  async markNeedsReconnect(userId: number, personaNum: number): Promise<boolean> {
    const row = this.rows.get(key(userId, personaNum));
    if (row) row.token.needsReconnect = true;
    return Boolean(row);
  }

  /** Every row, for the in-memory persona repository (which, like the database, reads tokens by Meta user). */
  all(): InMemoryTokenRow[] {
    return [...this.rows.values()];
  }

  async delete(userId: number, personaNum: number): Promise<void> {
    this.rows.delete(key(userId, personaNum));
  }

  async deleteUserData(userId: number): Promise<string[]> {
    for (const name of this.rows.keys()) {
      if (name.startsWith(`${userId}:`)) this.rows.delete(name);
    }
    return [];
  }
}

function key(userId: number, personaNum: number): string {
  return `${userId}:${personaNum}`;
}
