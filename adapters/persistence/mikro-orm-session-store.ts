import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { SessionData, SessionStore } from '../../core/ports/session-store.js';
import { SessionSchema } from './entities.js';
import { currentEm } from './current-em.js';
import { runPrepared } from './prepared-sql.js';
import { translateDbErrors } from './translate-db-errors.js';

/** ss_session through MikroORM: the data as JSON text, one statement per call. */
export class MikroOrmSessionStore implements SessionStore {
  constructor(private readonly em: SqlEntityManager) {}

  /** A prepared statement on purpose: this runs on every signed-in request (see runPrepared). */
  get(id: string, now: Date): Promise<SessionData | null> {
    return translateDbErrors(async () => {
      const expiry = this.em.getPlatform().processDateProperty(now);
      const row = (await runPrepared(this.em, 'select data from ss_session where id = ? and expires_at > ?', [id, expiry], 'get')) as
        | { data?: string }
        | undefined;
      return row?.data === undefined ? null : (JSON.parse(row.data) as SessionData);
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
