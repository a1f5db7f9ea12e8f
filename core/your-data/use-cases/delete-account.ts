import { errors } from '../../shared/index.js';
import type { User, KakaoUnlinker } from '../../identity/index.js';
import type { ErasedUser, UserEraser } from '../user-eraser.js';

/**
 * A user deletes their account (DELETE /users/me). A Kakao user is first unlinked from the app at
 * Kakao: if Kakao fails, nothing is deleted. The caller then ends the session.
 */
export class DeleteAccount {
  constructor(
    private readonly kakao: KakaoUnlinker,
    private readonly eraser: UserEraser,
  ) {}

  async execute(user: User): Promise<ErasedUser> {
    if (user.provider === 'kakao') {
      if (!this.kakao.configured) throw errors.kakaoAdminKeyMissing();
      await this.kakao.unlink(user.providerUserId);
    }
    return this.eraser.erase(user.id);
  }
}
