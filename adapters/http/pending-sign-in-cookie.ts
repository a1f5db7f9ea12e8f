import type { Context } from 'koa';
import { type Provider, STATE_TTL_MS, type PendingSignIn } from '../../core/identity/index.js';
import type { SealedToken, TokenCipher } from '../../core/instagram/index.js';

export interface PendingSignInCookieOptions {
  name: string;
  /** BACKEND_URL: https ⇒ Secure; its path prefixes the cookie's Path. */
  backendUrl: string;
}

/**
 * A started Kakao/Google sign-in (state, PKCE verifier, next, expiry) kept in the browser, so that
 * starting one writes no database row. Sealed (AES-256-GCM): encrypted, and its tag authenticates it
 * (a cookie changed in any byte, or sealed for another provider, does not open). HttpOnly, SameSite=Lax,
 * Path /auth/<provider>/, Max-Age 10 minutes.
 */
export class PendingSignInCookie {
  private readonly secure: boolean;
  private readonly pathPrefix: string;

  /** `cipher`: AES-256-GCM sealing with a key of the current session secret, opening with those of all. */
  constructor(
    private readonly cipher: TokenCipher,
    private readonly options: PendingSignInCookieOptions,
  ) {
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
