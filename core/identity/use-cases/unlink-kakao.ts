import { errors } from '../../shared/index.js';
import type { KakaoUnlinker } from '../ports/oauth-provider.js';
import type { UserRepository } from '../ports/user-repository.js';

/** Disconnects a Kakao user from the app at Kakao (admin key); the caller then ends the session. */
export class UnlinkKakao {
  constructor(
    private readonly users: UserRepository,
    private readonly kakao: KakaoUnlinker,
  ) {}

  async execute(userId: number): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw errors.notAuthenticated();
    if (user.provider !== 'kakao') throw errors.notKakaoUser();
    if (!this.kakao.configured) throw errors.kakaoAdminKeyMissing();
    await this.kakao.unlink(user.providerUserId);
  }
}
