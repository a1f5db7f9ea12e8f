import type { PageTokens } from '../instagram/index.js';
import type { InstagramLink, Persona } from '../personas/index.js';
import type { InsightsToken } from './ports/insights-graph.js';

/**
 * The one place that picks the token (and so the Graph) a persona's insights are read with, by its link.
 * Today every link is a Facebook Login link: its Page token, on the Facebook Graph. With Instagram Login
 * links (`link.login === 'instagram'`) this is the one line to change: the persona's own Instagram user
 * token (`PageTokens.publishingToken(persona, link)` gives both), and the adapter picks the Graph by `login`.
 */
export class InsightsTokens {
  constructor(private readonly pageTokens: PageTokens) {}

  async read(persona: Persona, link: InstagramLink): Promise<InsightsToken> {
    return { value: await this.pageTokens.read(persona, link), login: 'facebook' };
  }
}
