import type { Response } from 'got';
import { DomainError, errors, message } from '../../core/shared/index.js';
import type { OAuthProvider, OAuthIdentity } from '../../core/identity/index.js';
import { ProviderClient, describeFailure, isSuccess, logField, parseJsonObject, text } from '../outbound/create-http-client.js';

export interface GoogleLoginConfig {
  clientId: string | null;
  clientSecret: string | null;
  redirectUri: string | null;
  authorizeUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
}

/** Google sign-in: authorization code with PKCE S256, scope `openid profile`, the user keyed by `sub`. */
export class GotGoogleProvider extends ProviderClient<GoogleLoginConfig> implements OAuthProvider {
  get configured(): boolean {
    return Boolean(this.config.clientId && this.config.clientSecret && this.config.redirectUri);
  }

  authorizationUrl({ state, codeChallenge }: { state: string; codeChallenge: string }): string {
    const query = new URLSearchParams({
      client_id: this.config.clientId ?? '',
      redirect_uri: this.config.redirectUri ?? '',
      response_type: 'code',
      scope: 'openid profile',
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    });
    const separator = this.config.authorizeUrl.includes('?') ? '&' : '?';
    return `${this.config.authorizeUrl}${separator}${query.toString().replace(/\+/g, '%20')}`;
  }

  async identify(code: string, codeVerifier: string): Promise<OAuthIdentity> {
    return this.readUser(await this.exchange(code, codeVerifier));
  }

  private async exchange(code: string, codeVerifier: string): Promise<string> {
    const form = {
      grant_type: 'authorization_code',
      code,
      code_verifier: codeVerifier,
      client_id: this.config.clientId ?? '',
      client_secret: this.config.clientSecret ?? '',
      redirect_uri: this.config.redirectUri ?? '',
    };
    const response = await this.send('token', () => this.http.post(this.config.tokenUrl, { form }));
    const body = parseJsonObject(response.body);
    if (!isSuccess(response.statusCode) || typeof body?.access_token !== 'string' || !body.access_token) {
      throw this.failed({ step: 'token', status: response.statusCode, providerError: logField(body?.error) });
    }
    return body.access_token;
  }

  private async readUser(accessToken: string): Promise<OAuthIdentity> {
    const response = await this.send('user', () =>
      this.http.get(this.config.userinfoUrl, { headers: { authorization: `Bearer ${accessToken}` } }),
    );
    const body = parseJsonObject(response.body);
    if (!isSuccess(response.statusCode) || !body) {
      throw this.failed({ step: 'user', status: response.statusCode, providerError: logField(body?.error) });
    }
    if (typeof body.sub !== 'string' || !body.sub) throw this.failed({ step: 'user', status: response.statusCode, reason: 'no sub' });
    return {
      provider: 'google',
      providerUserId: body.sub,
      nickname: text(body.name),
      profileImage: text(body.picture),
    };
  }

  private async send(step: string, request: () => Promise<Response<string>>): Promise<Response<string>> {
    try {
      return await request();
    } catch (error) {
      this.logger.warn({ provider: 'google', step, failure: describeFailure(error) }, 'Google did not answer');
      throw signInFailed();
    }
  }

  /** Logs what Google said (status and its `error` word) — never the body otherwise, the code or a token. */
  private failed(details: { step: string; status: number; providerError?: string | number; reason?: string }): DomainError {
    this.logger.warn({ provider: 'google', ...details }, 'Google sign-in failed');
    return signInFailed();
  }
}

function signInFailed(): DomainError {
  return errors.providerError(message('google_sign_in_failed'));
}
