import type { Response } from 'got';
import { DomainError, errors, message } from '../../core/shared/index.js';
import type { OAuthProvider, OAuthIdentity } from '../../core/identity/index.js';
import { ProviderClient, describeFailure, isSuccess, logField, parseJsonObject, record, text } from '../outbound/create-http-client.js';

export interface KakaoLoginConfig {
  clientId: string | null;
  clientSecret: string | null;
  redirectUri: string | null;
  /** Comma-separated, email scopes already removed. */
  scope: string;
  /** Base URLs without a trailing slash (config.ts strips it). */
  authBaseUrl: string;
  apiBaseUrl: string;
}

/** Kakao Login: authorization code with PKCE S256, token at kauth, the user at kapi /v2/user/me. */
export class GotKakaoProvider extends ProviderClient<KakaoLoginConfig> implements OAuthProvider {
  get configured(): boolean {
    return Boolean(this.config.clientId && this.config.redirectUri);
  }

  authorizationUrl({ state, codeChallenge }: { state: string; codeChallenge: string }): string {
    const query = new URLSearchParams({
      client_id: this.config.clientId ?? '',
      redirect_uri: this.config.redirectUri ?? '',
      response_type: 'code',
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    });
    if (this.config.scope) query.set('scope', this.config.scope);
    return `${this.config.authBaseUrl}/oauth/authorize?${query.toString().replace(/\+/g, '%20')}`;
  }

  async identify(code: string, codeVerifier: string): Promise<OAuthIdentity> {
    return this.readUser(await this.exchange(code, codeVerifier));
  }

  private async exchange(code: string, codeVerifier: string): Promise<string> {
    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      client_id: this.config.clientId ?? '',
      redirect_uri: this.config.redirectUri ?? '',
      code,
      code_verifier: codeVerifier,
    };
    if (this.config.clientSecret) form.client_secret = this.config.clientSecret;
    const response = await this.send('token', () => this.http.post(`${this.config.authBaseUrl}/oauth/token`, { form }));
    const body = parseJsonObject(response.body);
    if (!isSuccess(response.statusCode) || typeof body?.access_token !== 'string' || !body.access_token) {
      throw this.failed({
        step: 'token',
        status: response.statusCode,
        providerError: logField(body?.error),
        providerErrorCode: logField(body?.error_code),
      });
    }
    return body.access_token;
  }

  private async readUser(accessToken: string): Promise<OAuthIdentity> {
    const response = await this.send('user', () =>
      this.http.get(`${this.config.apiBaseUrl}/v2/user/me`, { headers: { authorization: `Bearer ${accessToken}` } }),
    );
    // Kakao ids reach 19 digits, past Number.MAX_SAFE_INTEGER: read them as text, never as a JS number.
    const body = parseJsonObject(quoteIntegerIds(response.body));
    if (!isSuccess(response.statusCode) || !body) {
      throw this.failed({
        step: 'user',
        status: response.statusCode,
        providerError: logField(body?.msg),
        providerErrorCode: logField(body?.code),
      });
    }
    if (typeof body.id !== 'string' || !/^\d{1,20}$/.test(body.id))
      throw this.failed({ step: 'user', status: response.statusCode, reason: 'no id' });
    const profile = record(record(body.kakao_account).profile);
    const properties = record(body.properties);
    return {
      provider: 'kakao',
      providerUserId: body.id,
      nickname: text(profile.nickname) ?? text(properties.nickname),
      profileImage: text(profile.profile_image_url) ?? text(properties.profile_image),
    };
  }

  private async send(step: string, request: () => Promise<Response<string>>): Promise<Response<string>> {
    try {
      return await request();
    } catch (error) {
      this.logger.warn({ provider: 'kakao', step, failure: describeFailure(error) }, 'Kakao did not answer');
      throw signInFailed();
    }
  }

  /** Logs what Kakao said (status, error, KOE code) — never the body otherwise, the code or a token. */
  private failed(details: {
    step: string;
    status: number;
    providerError?: string | number;
    providerErrorCode?: string | number;
    reason?: string;
  }): DomainError {
    this.logger.warn({ provider: 'kakao', ...details }, 'Kakao sign-in failed');
    return signInFailed();
  }
}

/** `"id": 1234567890123456789` → `"id": "1234567890123456789"`, for every "id" key (keys only: quotes inside strings are escaped). */
export function quoteIntegerIds(json: string): string {
  return json.replace(/("id"\s*:\s*)(-?\d+)(?=\s*[,}\]])/g, '$1"$2"');
}

function signInFailed(): DomainError {
  return errors.providerError(message('kakao_sign_in_failed'));
}
