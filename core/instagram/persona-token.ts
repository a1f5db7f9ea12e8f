import { errors, message, type Clock } from '../shared/index.js';
import type { Persona } from '../personas/index.js';
import type { InstagramTokenStore } from './ports/instagram-token-store.js';
import type { TokenCipher } from './ports/token-cipher.js';

/** Binds a sealed token to its row, so a ciphertext copied to another persona does not open. */
export function tokenAssociatedData(userId: number, personaNum: number): string {
  return `ss_instagram_connector_persona:${userId}:${personaNum}`;
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

  async read(persona: Persona): Promise<string> {
    const stored = await this.tokens.get(persona.userId, persona.num);
    if (!stored) {
      if (this.developmentToken) return this.developmentToken;
      throw errors.personaOauthRequired();
    }
    if (stored.expiresAt && stored.expiresAt <= this.clock.now()) {
      throw errors.personaOauthExpired();
    }
    try {
      return this.cipher.open(stored.sealed, tokenAssociatedData(persona.userId, persona.num));
    } catch {
      // A key no longer in the keyring, or a row that was tampered with: only a new link helps.
      throw errors.personaOauthRequired(message('persona_link_again'));
    }
  }
}
