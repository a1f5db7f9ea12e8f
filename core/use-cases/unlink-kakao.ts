import { DomainError } from '../errors.js';
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
    if (!user) throw new DomainError('unauthenticated', 'not_authenticated', 'Sign in first.');
    if (user.provider !== 'kakao') throw new DomainError('forbidden', 'not_kakao_user', 'Only a Kakao account can be unlinked from Kakao.');
    if (!this.kakao.configured) {
      throw new DomainError('unavailable', 'kakao_admin_key_missing', 'Kakao unlink is not configured on this server.');
    }
    await this.kakao.unlink(user.providerUserId);
  }
}
