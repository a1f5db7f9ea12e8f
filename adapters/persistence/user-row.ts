import type { Provider, User } from '../../core/identity/index.js';
import { selectList } from './columns.js';
import { UserSchema, type UserRow } from './entities.js';

/** What raw selects read of ss_user: every column but the timestamps. */
export type UserColumns = Omit<UserRow, 'createdAt' | 'updatedAt'>;

/** ss_user's columns as UserRow's keys, for raw selects that alias ss_user as `u`. */
export const USER_COLUMNS = selectList(UserSchema, { alias: 'u', except: ['createdAt', 'updatedAt'] });

export function toUser(row: UserColumns): User {
  return {
    id: Number(row.id),
    provider: row.provider as Provider,
    providerUserId: row.providerUserId,
    nickname: row.nickname,
    profileImage: row.profileImage,
    birthday: row.birthday,
    gender: row.gender,
  };
}
