import type { Provider, User } from '../../core/identity/index.js';
import type { UserRow } from './entities.js';

/** ss_user's columns as UserRow's keys, for raw selects that alias ss_user as `u`. */
export const USER_COLUMNS =
  'u.id, u.provider, u.provider_user_id as providerUserId, u.nickname, u.profile_image as profileImage, u.birthday, u.gender';

export function toUser(
  row: Pick<UserRow, 'id' | 'provider' | 'providerUserId' | 'nickname' | 'profileImage' | 'birthday' | 'gender'>,
): User {
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
