import type { UsedStateStore } from '../../core/identity/index.js';

export class InMemoryUsedStateStore implements UsedStateStore {
  private readonly expiries = new Map<string, Date>();

  async markUsed(state: string, expiresAt: Date): Promise<boolean> {
    if (this.expiries.has(state)) return false;
    this.expiries.set(state, expiresAt);
    return true;
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [state, expiresAt] of this.expiries) {
      if (expiresAt <= now) purged += Number(this.expiries.delete(state));
    }
    return purged;
  }
}
