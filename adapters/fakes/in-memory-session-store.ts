import type { SessionData, SessionStore } from '../../core/ports/session-store.js';

export class InMemorySessionStore implements SessionStore {
  private readonly rows = new Map<string, { data: string; expiresAt: Date }>();

  async get(id: string, now: Date): Promise<SessionData | null> {
    const row = this.rows.get(id);
    return row && row.expiresAt > now ? JSON.parse(row.data) : null;
  }

  async set(id: string, data: SessionData, expiresAt: Date): Promise<void> {
    this.rows.set(id, { data: JSON.stringify(data), expiresAt });
  }

  async destroy(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [id, row] of this.rows) {
      if (row.expiresAt <= now) purged += Number(this.rows.delete(id));
    }
    return purged;
  }
}
