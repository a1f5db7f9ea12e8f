import { type SessionData, type SessionStore, type StoredSession, userIdOf, type UserRepository } from '../../core/identity/index.js';

export class InMemorySessionStore implements SessionStore {
  private readonly rows = new Map<string, { data: string; expiresAt: Date }>();

  /** `users`: where the signed-in user is looked up, as the real store joins ss_user. */
  constructor(private readonly users: Pick<UserRepository, 'findById'>) {}

  async get(id: string, now: Date): Promise<StoredSession | null> {
    const row = this.rows.get(id);
    if (!row || row.expiresAt <= now) return null;
    const data = JSON.parse(row.data) as SessionData;
    const userId = userIdOf(data);
    return { data, user: userId === null ? null : await this.users.findById(userId) };
  }

  async set(id: string, data: SessionData, expiresAt: Date): Promise<void> {
    this.rows.set(id, { data: JSON.stringify(data), expiresAt });
  }

  async update(id: string, data: SessionData, expiresAt: Date): Promise<boolean> {
    if (!this.rows.has(id)) return false;
    await this.set(id, data, expiresAt);
    return true;
  }

  async destroy(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async deleteUserData(userId: number): Promise<string[]> {
    for (const [id, row] of this.rows) {
      if (userIdOf(JSON.parse(row.data) as SessionData) === userId) this.rows.delete(id);
    }
    return [];
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [id, row] of this.rows) {
      if (row.expiresAt <= now) purged += Number(this.rows.delete(id));
    }
    return purged;
  }
}
