import { requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import type { PageTokens } from '../page-token.js';
import type { InstagramPublisher, PublishingQuota, PostRepository } from '../../publishing/index.js';
import type { InstagramTokenStore } from '../ports/instagram-token-store.js';

export interface InstagramStatus {
  linked: boolean;
  igUsername: string | null;
  /** Meta refused the stored token: the persona must be linked again. */
  needsReconnect: boolean;
  tokenExpiresAt: Date | null;
  /** Meta's publishing quota now; null when Meta could not be asked. */
  quota: PublishingQuota | null;
  nextScheduledAt: Date | null;
}

/** Where a persona's Instagram link stands: its token, Meta's publishing quota, and its next scheduled post. */
export class GetInstagramStatus {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly tokens: InstagramTokenStore,
    private readonly pageTokens: PageTokens,
    private readonly publisher: InstagramPublisher,
    private readonly posts: PostRepository,
  ) {}

  async execute(userId: number, personaId: number): Promise<InstagramStatus> {
    const persona = await requireOwnedPersona(this.personas, userId, { id: personaId });
    const link = persona.instagram;
    // Posts scheduled before an unlink still show: they will fail with persona_not_linked unless it is linked again.
    const nextScheduledAt = await this.posts.nextScheduledAt(persona.id);
    if (!link) return { linked: false, igUsername: null, needsReconnect: false, tokenExpiresAt: null, quota: null, nextScheduledAt };
    const token = await this.tokens.get(persona.userId, persona.num);
    // A status page must answer even when Meta does not: the quota is then unknown.
    const quota = await this.pageTokens
      .publishingToken(persona, link)
      .then((token) => this.publisher.publishingQuota(token, link.igUserId))
      .catch(() => null);
    return {
      linked: true,
      igUsername: link.igUsername,
      needsReconnect: token?.needsReconnect ?? false,
      tokenExpiresAt: token?.expiresAt ?? null,
      quota,
      nextScheduledAt,
    };
  }
}
