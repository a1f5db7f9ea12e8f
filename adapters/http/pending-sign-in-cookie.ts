import { hkdfSync } from 'node:crypto';
import type { Context } from 'koa';
import type { Provider } from '../../core/model.js';
import { STATE_TTL_MS } from '../../core/oauth-flow.js';
import type { SealedToken } from '../../core/ports/instagram-token-store.js';
import type { PendingSignIn } from '../../core/use-cases/start-sign-in.js';
import { AesGcmTokenCipher } from '../crypto/aes-gcm-token-cipher.js';

export interface PendingSignInCookieOptions {
  /** SESSION_SECRET, then SESSION_PREVIOUS_SECRETS: a key derived from the first seals, those of all open. */
  secrets: readonly string[];
  name: string;
  /** BACKEND_URL: https ⇒ Secure; its path prefixes the cookie's Path. */
  backendUrl: string;
}

const KEY_INFO = 'selfstar pending sign-in cookie';

/**
 * A started Kakao/Google sign-in (state, PKCE verifier, next, expiry) kept in the browser, so that
 * starting one writes no database row. Sealed with AES-256-GCM: encrypted, and its tag authenticates it
 * (a cookie changed in any byte, or sealed for another provider, does not open). HttpOnly, SameSite=Lax,
 * Path /auth/<provider>/, Max-Age 10 minutes.
 */
export class PendingSignInCookie {
  private readonly cipher: AesGcmTokenCipher;
  private readonly secure: boolean;
  private readonly pathPrefix: string;

  constructor(private readonly options: PendingSignInCookieOptions) {
    const [key, ...previous] = options.secrets.map((secret) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), KEY_INFO, 32)));
    this.cipher = new AesGcmTokenCipher(key, previous);
    const backend = new URL(options.backendUrl);
    this.secure = backend.protocol === 'https:';
    this.pathPrefix = backend.pathname.replace(/\/+$/, '');
  }

  write(ctx: Context, pending: PendingSignIn): void {
    const sealed = this.cipher.seal(JSON.stringify(pending), associatedData(pending.provider));
    const value = Buffer.from(JSON.stringify(sealed)).toString('base64url');
    ctx.append('Set-Cookie', this.header(pending.provider, value, STATE_TTL_MS / 1000));
  }

  /**
   * The sign-in this browser started with `provider`, when its cookie is there and opens; the cookie is
   * cleared whatever it held (one use).
   */
  take(ctx: Context, provider: Provider): PendingSignIn | undefined {
    const value = ctx.cookies.get(this.options.name, { signed: false });
    if (value === undefined) return undefined;
    ctx.append('Set-Cookie', this.header(provider, '', 0));
    try {
      const sealed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as SealedToken;
      return JSON.parse(this.cipher.open(sealed, associatedData(provider))) as PendingSignIn;
    } catch {
      return undefined;
    }
  }

  /** Written by hand: koa's cookies library sends Expires but never Max-Age. */
  private header(provider: Provider, value: string, maxAgeSeconds: number): string {
    const path = `${this.pathPrefix}/auth/${provider}/`;
    return `${this.options.name}=${value}; Max-Age=${maxAgeSeconds}; Path=${path}; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`;
  }
}

function associatedData(provider: Provider): string {
  return `pending sign-in:${provider}`;
}
