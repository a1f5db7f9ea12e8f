import { errors, message } from '../shared/index.js';
import type { InstagramLogin, Persona } from '../personas/index.js';
import type { Clock } from '../shared/index.js';
import type { InstagramTokenStore, StoredToken } from './ports/instagram-token-store.js';
import type { TokenCipher } from './ports/token-cipher.js';
import type { MetaToken } from './ports/meta-graph.js';

/** Binds a sealed token to its row, so a ciphertext copied to another persona does not open. */
export function tokenAssociatedData(userId: number, personaNum: number): string {
  return `ss_instagram_connector_persona:${userId}:${personaNum}`;
}

/**
 * Whether a stored token may be used: it has not expired, and Meta has not refused it (`needsReconnect`,
 * set by a post or the daily check, cleared by linking the persona again). Either way only a new link helps.
 */
export function usableToken(token: Pick<StoredToken, 'expiresAt' | 'needsReconnect'>, now: Date): boolean {
  return !token.needsReconnect && !(token.expiresAt && token.expiresAt <= now);
}

/** Reads a persona's Meta token: stored and sealed, or (development only) the configured fallback. */
export class PersonaTokenReader {
  constructor(
    private readonly tokens: InstagramTokenStore,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
    /** IG_LONG_LIVED_USER_TOKEN; always null in production. */
    private readonly developmentToken: string | null,
  ) {}

  /**
   * The persona's token of `login`'s app (default Facebook Login's): a token of the other app (the persona is
   * linked through the other path) is none, persona_oauth_required, as is no token at all.
   */
  async read(persona: Persona, login: InstagramLogin = 'facebook'): Promise<string> {
    const stored = await this.tokens.get(persona.userId, persona.num);
    if (!stored) {
      if (this.developmentToken && login === 'facebook') return this.developmentToken;
      throw errors.personaOauthRequired();
    }
    if ((stored.login ?? 'facebook') !== login) throw errors.personaOauthRequired();
    if (!usableToken(stored, this.clock.now())) throw errors.personaOauthExpired();
    try {
      return this.cipher.open(stored.sealed, tokenAssociatedData(persona.userId, persona.num));
    } catch {
      // A key no longer in the keyring, or a row that was tampered with: only a new link helps.
      throw errors.personaOauthRequired(message('persona_link_again'));
    }
  }
}

/** When a token Meta or Instagram just issued expires; null when it did not say. */
export function expiryOf(token: Pick<MetaToken, 'expiresInSeconds'>, issuedAt: Date): Date | null {
  return token.expiresInSeconds === null ? null : new Date(issuedAt.getTime() + token.expiresInSeconds * 1000);
}
