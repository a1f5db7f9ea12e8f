import { createHash } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { UsedStateStore } from '../../core/identity/index.js';
import { currentEm } from './current-em.js';
import { UsedStateSchema } from './entities.js';
import { translateDbErrors } from './translate-db-errors.js';

/** ss_used_state: one row per used state, keyed by its SHA-256 (the state itself is never stored). */
export class MikroOrmUsedStateStore implements UsedStateStore {
  constructor(private readonly em: SqlEntityManager) {}

  /** insert … on conflict do nothing / insert ignore: the primary key decides, atomically, who was first. */
  markUsed(state: string, expiresAt: Date): Promise<boolean> {
    return translateDbErrors(async () => {
      const stateHash = createHash('sha256').update(state).digest('hex');
      const result = await currentEm(this.em)
        .createQueryBuilder(UsedStateSchema)
        .insert({ stateHash, expiresAt })
        .onConflict('stateHash')
        .ignore()
        .execute('run');
      return result.affectedRows === 1;
    });
  }

  purgeExpired(now: Date): Promise<number> {
    return translateDbErrors(() => currentEm(this.em).nativeDelete(UsedStateSchema, { expiresAt: { $lte: now } }));
  }
}
