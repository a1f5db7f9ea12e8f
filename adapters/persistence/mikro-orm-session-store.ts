import { createHash } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import { type SessionData, type SessionStore, type StoredSession, userIdOf } from '../../core/identity/index.js';
import { SessionSchema } from './entities.js';
import { currentEm } from './current-em.js';
import { runPrepared } from './prepared-sql.js';
import { translateDbErrors } from './translate-db-errors.js';
import { toUser, USER_COLUMNS, type UserColumns } from './user-row.js';

/** The session and its signed-in user in one round trip: this runs on every signed-in request. */
const SELECT_WITH_USER =
  `select s.data as sessionData, ${USER_COLUMNS} from ss_session s ` +
  'left join ss_user u on u.id = s.user_id where s.id = ? and s.expires_at > ?';

type SessionWithUserRow = { sessionData: string } & { [K in keyof UserColumns]: UserColumns[K] | null };

/**
 * The row key of a session id: its SHA-256 (hex), never the id itself, so a leaked table opens no
 * session (docs/security.md). The ids are 256 random bits, so no salt or slow hash is needed.
 */
function rowKey(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** A session's columns but its key: the data as JSON text, and its user's id for the join. */
function columns(data: SessionData, expiresAt: Date) {
  return { data: JSON.stringify(data), userId: userIdOf(data), expiresAt };
}

/** ss_session through MikroORM: keyed by the id's SHA-256, the data as JSON text, one statement per call. */
export class MikroOrmSessionStore implements SessionStore {
  constructor(private readonly em: SqlEntityManager) {}

  /** A prepared statement on purpose (see runPrepared). */
  get(id: string, now: Date): Promise<StoredSession | null> {
    return translateDbErrors(async () => {
      const expiry = this.em.getPlatform().processDateProperty(now);
      const row = (await runPrepared(this.em, SELECT_WITH_USER, [rowKey(id), expiry], 'get')) as SessionWithUserRow | undefined;
      if (row === undefined) return null;
      const user = row.id === null ? null : toUser(row as UserColumns);
      return { data: JSON.parse(row.sessionData) as SessionData, user };
    });
  }

  /** insert … on conflict (id) do update / on duplicate key update: the PK is the only unique key. */
  set(id: string, data: SessionData, expiresAt: Date): Promise<void> {
    return translateDbErrors(async () => {
      await currentEm(this.em)
        .createQueryBuilder(SessionSchema)
        .insert({ id: rowKey(id), ...columns(data, expiresAt) })
        .onConflict('id')
        .merge(['data', 'userId', 'expiresAt'])
        .execute('run');
    });
  }

  update(id: string, data: SessionData, expiresAt: Date): Promise<boolean> {
    return translateDbErrors(async () => {
      return (await currentEm(this.em).nativeUpdate(SessionSchema, { id: rowKey(id) }, columns(data, expiresAt))) > 0;
    });
  }

  destroy(id: string): Promise<void> {
    return translateDbErrors(async () => {
      await currentEm(this.em).nativeDelete(SessionSchema, { id: rowKey(id) });
    });
  }

  deleteUserData(userId: number): Promise<string[]> {
    return translateDbErrors(async () => {
      await currentEm(this.em).nativeDelete(SessionSchema, { userId });
      return [];
    });
  }

  purgeExpired(now: Date): Promise<number> {
    return translateDbErrors(() => currentEm(this.em).nativeDelete(SessionSchema, { expiresAt: { $lte: now } }));
  }
}
