import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { Profile, Provider, User, OAuthIdentity, UserRepository } from '../../core/identity/index.js';
import { UserSchema, type UserRow } from './entities.js';
import { toUser, USER_COLUMNS, type UserColumns } from './user-row.js';
import { currentEm } from './current-em.js';
import { runPrepared } from './prepared-sql.js';
import { translateDbErrors } from './translate-db-errors.js';

const SELECT_BY_ID = `select ${USER_COLUMNS} from ss_user u where u.id = ?`;
const UPDATE_PROFILE = 'update ss_user set birthday = ?, gender = ?, updated_at = ? where id = ?';

/**
 * ss_user through MikroORM. Every write is one statement (no load-modify-flush), and rows are
 * read with the query builder, so nothing lands in a request's identity map where it could go stale.
 */
export class MikroOrmUserRepository implements UserRepository {
  constructor(private readonly em: SqlEntityManager) {}

  /** A prepared statement on purpose, like MikroOrmSessionStore.get: GET /auth/me runs it (see runPrepared). */
  findById(id: number): Promise<User | null> {
    return translateDbErrors(async () => {
      const row = (await runPrepared(this.em, SELECT_BY_ID, [id], 'get')) as UserColumns | undefined;
      return row ? toUser(row) : null;
    });
  }

  findByIdentity(provider: Provider, providerUserId: string): Promise<User | null> {
    return translateDbErrors(async () => {
      const row = await this.read(currentEm(this.em), { provider, providerUserId });
      return row ? toUser(row) : null;
    });
  }

  /**
   * Update first (the returning user: one update and one read, no auto-increment id burnt on a
   * failed insert). No row: insert. Losing the insert race to a parallel first login hits the
   * unique key (provider, provider_user_id); then the winner's row gets our nickname and image.
   */
  upsertIdentity(identity: OAuthIdentity): Promise<User> {
    return translateDbErrors(async () => {
      const em = currentEm(this.em);
      const key = { provider: identity.provider, providerUserId: identity.providerUserId };
      const now = new Date();
      const refresh = { nickname: identity.nickname, profileImage: identity.profileImage, updatedAt: now };
      if ((await em.nativeUpdate(UserSchema, key, refresh)) === 0) {
        try {
          const id = await em.insert(UserSchema, { ...key, ...refresh, birthday: null, gender: null, createdAt: now });
          return { id: Number(id), ...key, nickname: identity.nickname, profileImage: identity.profileImage, birthday: null, gender: null };
        } catch (error) {
          if (!(error instanceof UniqueConstraintViolationException)) throw error;
          await em.nativeUpdate(UserSchema, key, refresh);
        }
      }
      const row = await this.read(em, key);
      if (!row) throw new Error(`ss_user row for ${identity.provider} vanished during upsert`);
      return toUser(row);
    });
  }

  /** A prepared statement on purpose: PUT /users/me/profile is a hot write (see runPrepared). */
  updateProfile(id: number, profile: Profile): Promise<boolean> {
    return translateDbErrors(async () => {
      const updatedAt = this.em.getPlatform().processDateProperty(new Date());
      const { affectedRows } = await runPrepared(this.em, UPDATE_PROFILE, [profile.birthday, profile.gender, updatedAt, id], 'run');
      return affectedRows > 0;
    });
  }

  delete(id: number): Promise<boolean> {
    return translateDbErrors(async () => (await currentEm(this.em).nativeDelete(UserSchema, { id })) > 0);
  }

  private async read(em: SqlEntityManager, where: Partial<Pick<UserRow, 'id' | 'provider' | 'providerUserId'>>) {
    return em.createQueryBuilder(UserSchema).select('*').where(where).limit(1).execute<UserRow | undefined>('get');
  }
}
