import { errors, message } from '../shared/index.js';
import type { InstagramLink, Persona } from '../personas/index.js';
import type { PublishingToken } from '../publishing/index.js';
import type { PersonaTokenReader } from './persona-token.js';
import type { InstagramTokenStore } from './ports/instagram-token-store.js';
import type { MetaGraph } from './ports/meta-graph.js';
import type { TokenCipher } from './ports/token-cipher.js';

/** Binds a sealed Page token to its row, apart from the user token's binding. */
export function pageTokenAssociatedData(userId: number, personaNum: number): string {
  return `ss_instagram_connector_persona:page:${userId}:${personaNum}`;
}

/**
 * The persona's Page access token, which publishing uses: sealed and stored when the account is linked.
 * Personas linked before it was kept get it on first use, from the stored user token's /me/accounts
 * (an expired user token: persona_oauth_expired).
 */
export class PageTokens {
  constructor(
    private readonly tokens: InstagramTokenStore,
    private readonly cipher: TokenCipher,
    private readonly userTokens: PersonaTokenReader,
    private readonly meta: MetaGraph,
  ) {}

  async store(persona: Persona, pageToken: string): Promise<void> {
    const sealed = this.cipher.seal(pageToken, pageTokenAssociatedData(persona.userId, persona.num));
    await this.tokens.savePageToken(persona.userId, persona.num, sealed);
  }

  /**
   * What the persona publishes with, by its link: a Facebook Login link's Page token, or an Instagram
   * Login link's own (Instagram user) token, which needs no Page.
   */
  async publishingToken(persona: Persona, link: InstagramLink): Promise<PublishingToken> {
    if (link.login === 'instagram') return { value: await this.userTokens.read(persona, 'instagram'), login: 'instagram' };
    return { value: await this.read(persona, link), login: 'facebook' };
  }

  async read(persona: Persona, link: InstagramLink): Promise<string> {
    const sealed = await this.tokens.getPageToken(persona.userId, persona.num);
    if (sealed) {
      try {
        return this.cipher.open(sealed, pageTokenAssociatedData(persona.userId, persona.num));
      } catch {
        // A retired key or a tampered row: derive it again from the user token below.
      }
    }
    const accounts = await this.meta.listAccounts(await this.userTokens.read(persona));
    const pageToken = accounts.find((account) => account.igUserId === link.igUserId)?.pageAccessToken;
    if (!pageToken) throw errors.personaOauthRequired(message('ig_account_unreachable'));
    await this.store(persona, pageToken);
    return pageToken;
  }
}
