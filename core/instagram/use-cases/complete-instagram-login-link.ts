import type { Clock, TransactionRunner } from '../../shared/index.js';
import { errors } from '../../shared/index.js';
import { requireOwnedPersona, withInstagramLink, type Persona, type PersonaRepository } from '../../personas/index.js';
import { requireGranted, verifyLinkCallback, type LinkCallbackInput } from '../link-state.js';
import { expiryOf, tokenAssociatedData } from '../persona-token.js';
import type { InstagramLoginApi } from '../ports/instagram-login-api.js';
import type { InstagramTokenStore } from '../ports/instagram-token-store.js';
import type { TokenCipher } from '../ports/token-cipher.js';
import type { CompleteInstagramLinkOptions } from './complete-instagram-link.js';

/**
 * Instagram Login's callback: the same checks of the state as Facebook Login's; the code without the `#_`
 * Instagram appends; code → short-lived → 60-day token; every required permission granted; /me names the
 * account. Then, in one transaction, the persona is linked to that account (no Facebook Page) and the token
 * stored sealed with its expiry, replacing whatever link and token the persona had (through either path).
 * Nothing is stored on failure: ig_account_already_linked when another persona has the account.
 */
export class CompleteInstagramLoginLink {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly tokens: InstagramTokenStore,
    private readonly instagram: InstagramLoginApi,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    /** requiredPermissions: INSTAGRAM_SCOPES. */
    private readonly options: CompleteInstagramLinkOptions,
  ) {}

  async execute(input: LinkCallbackInput): Promise<Persona> {
    const { userId, personaId, code } = verifyLinkCallback(input, this.options.stateSecrets, this.clock);
    const persona = await requireOwnedPersona(this.personas, userId, { id: personaId });

    const grant = await this.instagram.exchangeCode(code.replace(/#_$/, ''));
    requireGranted(
      this.options.requiredPermissions,
      grant.permissions.map((name) => ({ name, status: 'granted' })),
    );
    const longLived = await this.instagram.exchangeForLongLived(grant.accessToken);
    const account = await this.instagram.account(longLived.accessToken);
    const now = this.clock.now();
    const expiresAt = expiryOf(longLived, now);
    const sealed = this.cipher.seal(longLived.accessToken, tokenAssociatedData(persona.userId, persona.num));
    const link = { igUserId: account.igUserId, igUsername: account.username, fbPageId: null, linkedAt: now, login: 'instagram' as const };
    await this.transactions.inTransaction(async () => {
      if (!(await this.personas.linkInstagram(persona.userId, persona.id, link))) throw errors.personaNotFound(); // deleted meanwhile
      await this.tokens.save(persona.userId, persona.num, {
        sealed,
        expiresAt,
        metaUserId: grant.userId,
        storedAt: now,
        login: 'instagram',
      });
    });
    return withInstagramLink(persona, link);
  }
}
