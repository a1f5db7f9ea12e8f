import { errors, type Clock } from '../shared/index.js';
import type { Persona } from '../personas/index.js';
import { expiryOf, tokenAssociatedData, usableToken } from './persona-token.js';
import type { InstagramLoginApi } from './ports/instagram-login-api.js';
import type { InstagramTokenStore } from './ports/instagram-token-store.js';
import type { TokenCipher } from './ports/token-cipher.js';

const HOUR_MS = 3_600_000;
/** Instagram refreshes only tokens at least this old. */
export const REFRESH_MIN_AGE_MS = 24 * HOUR_MS;
/** Tokens expiring within this are refreshed by the daily job (which then has ten tries before the end). */
export const REFRESH_WITHIN_MS = 10 * 24 * HOUR_MS;

/**
 * Keeps Instagram Login tokens alive: they last 60 days unless refreshed, which Instagram allows once a token
 * is 24 h old and until it expires. The daily token job calls refreshIfDue for every linked persona.
 */
export class InstagramLoginTokenRefresher {
  constructor(
    private readonly tokens: InstagramTokenStore,
    private readonly cipher: TokenCipher,
    private readonly instagram: InstagramLoginApi,
    private readonly clock: Clock,
  ) {}

  /**
   * Refreshes the persona's Instagram Login token when it is at least 24 h old and expires within 10 days, and
   * stores the new token with its new expiry → whether it did. Tokens of Facebook Login are not this one's.
   * An expired or refused token (code 190): errors.personaOauthExpired(), so the job marks needs_reconnect.
   */
  async refreshIfDue(persona: Persona): Promise<boolean> {
    const stored = await this.tokens.get(persona.userId, persona.num);
    if (!stored || stored.login !== 'instagram') return false;
    const now = this.clock.now();
    if (!usableToken(stored, now)) throw errors.personaOauthExpired();
    const young = now.getTime() - stored.storedAt.getTime() < REFRESH_MIN_AGE_MS;
    const lasting = stored.expiresAt === null || stored.expiresAt.getTime() - now.getTime() > REFRESH_WITHIN_MS;
    if (young || lasting) return false;
    const data = tokenAssociatedData(persona.userId, persona.num);
    let current: string;
    try {
      current = this.cipher.open(stored.sealed, data);
    } catch {
      throw errors.personaOauthExpired(); // a retired key or a tampered row: only a new link helps
    }
    const refreshed = await this.instagram.refresh(current);
    const expiresAt = expiryOf(refreshed, now);
    return this.tokens.replaceRefreshed(persona.userId, persona.num, this.cipher.seal(refreshed.accessToken, data), expiresAt);
  }
}
