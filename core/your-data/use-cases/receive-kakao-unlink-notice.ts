import { errors } from '../../shared/index.js';
import type { UserRepository } from '../../identity/index.js';
import { sameSecret } from '../same-secret.js';
import type { ErasedUser, UserEraser } from '../user-eraser.js';

export interface KakaoNoticeKeys {
  /** KAKAO_ADMIN_KEY: Kakao sends it as `Authorization: KakaoAK <key>`. Unset: every notice is refused (401). */
  adminKey: string | null;
  /** KAKAO_APP_ID: a notice naming another app is refused. Unset: the admin key, which is one app's, authenticates alone. */
  appId: string | null;
}

export interface KakaoUnlinkNotice {
  /** The Authorization header as received. */
  authorization: string | undefined;
  appId: string;
  kakaoUserId: string;
}

/**
 * Kakao says a user left the app from Kakao's side: their data is deleted as for DeleteAccount,
 * without calling Kakao back. A user we do not know (never signed in, or already deleted) is fine:
 * Kakao expects 200 whenever nothing is left, so a replay changes nothing and succeeds.
 */
export class ReceiveKakaoUnlinkNotice {
  constructor(
    private readonly users: UserRepository,
    private readonly eraser: UserEraser,
    private readonly keys: KakaoNoticeKeys,
  ) {}

  async execute(notice: KakaoUnlinkNotice): Promise<ErasedUser & { erased: boolean }> {
    // Without a configured key no caller can prove it is Kakao: that is the caller's 401, not a 5xx.
    if (!this.keys.adminKey || !sameSecret(notice.authorization ?? '', `KakaoAK ${this.keys.adminKey}`)) {
      throw errors.kakaoNoticeUnauthenticated();
    }
    if (this.keys.appId !== null && notice.appId !== this.keys.appId) throw errors.kakaoNoticeForAnotherApp();
    const user = await this.users.findByIdentity('kakao', notice.kakaoUserId);
    if (!user) return { erased: false, filesLeft: [] };
    return { erased: true, ...(await this.eraser.erase(user.id)) };
  }
}
