import { errors, type Clock } from '../shared/index.js';
import { usableToken, type InstagramTokenStore, type PageTokens } from '../instagram/index.js';
import type { InstagramLink, Persona } from '../personas/index.js';
import type { InsightsToken } from './ports/insights-graph.js';

/**
 * The one place that picks the token (and so the Graph) a persona's insights are read with, by its link:
 * a Facebook Login link's Page token (the Facebook Graph, with appsecret_proof), an Instagram Login link's
 * own Instagram user token (the Instagram Graph); the adapter picks the Graph by `login`. A stored token that
 * expired or that Meta refused (needs_reconnect) is 401 persona_oauth_expired with no Graph call.
 */
export class InsightsTokens {
  constructor(
    private readonly pageTokens: PageTokens,
    private readonly tokens: InstagramTokenStore,
    private readonly clock: Clock,
  ) {}

  async read(persona: Persona, link: InstagramLink): Promise<InsightsToken> {
    const stored = await this.tokens.get(persona.userId, persona.num);
    if (stored && !usableToken(stored, this.clock.now())) throw errors.personaOauthExpired();
    return this.pageTokens.publishingToken(persona, link);
  }
}
