import type { Clock, TransactionRunner } from '../../shared/index.js';
import { requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import { requireGranted, verifyLinkCallback, type LinkCallbackInput } from '../link-state.js';
import { expiryOf, tokenAssociatedData } from '../persona-token.js';
import type { InstagramTokenStore } from '../ports/instagram-token-store.js';
import type { MetaGraph } from '../ports/meta-graph.js';
import type { TokenCipher } from '../ports/token-cipher.js';

export type CompleteInstagramLinkInput = LinkCallbackInput;

export interface CompleteInstagramLinkOptions {
  /** The session secret, then the secrets it replaced: a state signed with any of them verifies. */
  stateSecrets: readonly string[];
  /** META_SCOPES: every one must be granted, or the token is not stored. */
  requiredPermissions: string[];
}

/**
 * Facebook Login's callback: verifies the state (verifyLinkCallback), then code → short-lived → long-lived
 * token; checks that every required permission was granted, and stores the token sealed for the persona
 * with its Meta user. A persona linked through Instagram Login loses that link with it (one transaction):
 * the account is chosen next, through Facebook. Nothing is stored on failure; each failure is a DomainError
 * whose code is the redirect's `reason`.
 */
export class CompleteInstagramLink {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly tokens: InstagramTokenStore,
    private readonly meta: MetaGraph,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly options: CompleteInstagramLinkOptions,
  ) {}

  async execute(input: CompleteInstagramLinkInput): Promise<void> {
    const { userId, personaId, code } = verifyLinkCallback(input, this.options.stateSecrets, this.clock);
    const persona = await requireOwnedPersona(this.personas, userId, { id: personaId });

    const shortLived = await this.meta.exchangeCode(code);
    const longLived = await this.meta.exchangeForLongLived(shortLived.accessToken);
    requireGranted(this.options.requiredPermissions, await this.meta.permissions(longLived.accessToken));
    const metaUserId = await this.meta.userId(longLived.accessToken);
    const now = this.clock.now();
    const expiresAt = expiryOf(longLived, now);
    const sealed = this.cipher.seal(longLived.accessToken, tokenAssociatedData(persona.userId, persona.num));
    await this.transactions.inTransaction(async () => {
      if (persona.instagram?.login === 'instagram') await this.personas.unlinkInstagram(persona.userId, { id: persona.id });
      await this.tokens.save(persona.userId, persona.num, { sealed, expiresAt, metaUserId, storedAt: now, login: 'facebook' });
    });
  }
}
