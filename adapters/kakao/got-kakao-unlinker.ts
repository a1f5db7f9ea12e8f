import type { Response } from 'got';
import { DomainError, errors, message } from '../../core/shared/index.js';
import type { KakaoUnlinker } from '../../core/identity/index.js';
import { ProviderClient, describeFailure, isSuccess, logField, parseJsonObject } from '../outbound/create-http-client.js';

export interface KakaoAdminConfig {
  adminKey: string | null;
  /** Without a trailing slash (config.ts strips it). */
  apiBaseUrl: string;
}

/** Kakao's error code for a user who is not linked to the app. */
const NOT_LINKED = -101;

/** Kakao's admin-key unlink (POST /v1/user/unlink). The admin key is never logged. */
export class GotKakaoUnlinker extends ProviderClient<KakaoAdminConfig> implements KakaoUnlinker {
  get configured(): boolean {
    return Boolean(this.config.adminKey);
  }

  async unlink(kakaoUserId: string): Promise<void> {
    if (!this.config.adminKey) {
      throw errors.kakaoAdminKeyMissing();
    }
    let response: Response<string>;
    try {
      response = await this.http.post(`${this.config.apiBaseUrl}/v1/user/unlink`, {
        headers: { authorization: `KakaoAK ${this.config.adminKey}` },
        form: { target_id_type: 'user_id', target_id: kakaoUserId },
      });
    } catch (error) {
      this.logger.warn({ provider: 'kakao', step: 'unlink', failure: describeFailure(error) }, 'Kakao did not answer the unlink request');
      throw unavailable();
    }
    if (isSuccess(response.statusCode)) return;
    const body = parseJsonObject(response.body);
    // -101: the user is not linked to the app (any more). An earlier unlink went through, and what
    // followed it failed (an account deletion whose database work failed): a retry must not be stuck here.
    if (body?.code === NOT_LINKED) return;
    this.logger.warn(
      {
        provider: 'kakao',
        step: 'unlink',
        status: response.statusCode,
        providerError: logField(body?.msg),
        providerErrorCode: logField(body?.code),
      },
      'Kakao refused the unlink request',
    );
    throw unavailable();
  }
}

function unavailable(): DomainError {
  return errors.upstreamUnavailable(message('kakao_unlink_unanswered'));
}
