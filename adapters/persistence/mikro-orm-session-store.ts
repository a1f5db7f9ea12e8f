import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { SessionData, SessionStore } from '../../core/ports/session-store.js';
import { SessionSchema, type SessionRow } from './entities.js';
import { currentEm } from './current-em.js';
import { translateDbErrors } from './translate-db-errors.js';

/** ss_session through MikroORM: the data as JSON text, one statement per call. */
export class MikroOrmSessionStore implements SessionStore {
  constructor(private readonly em: SqlEntityManager) {}

  get(id: string, now: Date): Promise<SessionData | null> {
    return translateDbErrors(async () => {
      const row = await currentEm(this.em)
        .createQueryBuilder(SessionSchema)
        .select('data')
        .where({ id, expiresAt: { $gt: now } })
        .execute<Pick<SessionRow, 'data'> | undefined>('get');
      return row ? (JSON.parse(row.data) as SessionData) : null;
    });
  }

  /** insert … on conflict (id) do update / on duplicate key update: the PK is the only unique key. */
  set(id: string, data: SessionData, expiresAt: Date): Promise<void> {
    return translateDbErrors(async () => {
      await currentEm(this.em)
        .createQueryBuilder(SessionSchema)
        .insert({ id, data: JSON.stringify(data), expiresAt })
        .onConflict('id')
        .merge(['data', 'expiresAt'])
        .execute('run');
    });
  }

  destroy(id: string): Promise<void> {
    return translateDbErrors(async () => {
      await currentEm(this.em).nativeDelete(SessionSchema, { id });
    });
  }

  purgeExpired(now: Date): Promise<number> {
    return translateDbErrors(() => currentEm(this.em).nativeDelete(SessionSchema, { expiresAt: { $lte: now } }));
  }
}
