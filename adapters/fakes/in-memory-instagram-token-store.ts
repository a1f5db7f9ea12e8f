import { wholeSecond } from '../../core/model.js';
import type { InstagramTokenStore, StoredToken } from '../../core/ports/instagram-token-store.js';

/** Expiries kept to the whole second, as the database adapters keep them. */
export class InMemoryInstagramTokenStore implements InstagramTokenStore {
  private readonly rows = new Map<string, StoredToken>();

  async save(userId: number, personaNum: number, token: StoredToken): Promise<void> {
    const expiresAt = token.expiresAt === null ? null : wholeSecond(token.expiresAt);
    const { ciphertext, iv, tag, keyId } = token.sealed;
    this.rows.set(key(userId, personaNum), { sealed: { ciphertext, iv, tag, keyId }, expiresAt });
  }

  async get(userId: number, personaNum: number): Promise<StoredToken | null> {
    const token = this.rows.get(key(userId, personaNum));
    return token ? structuredClone(token) : null;
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
