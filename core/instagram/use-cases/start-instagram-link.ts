import { errors, message, type Clock } from '../../shared/index.js';
import { type PersonaRef, requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import { randomToken, STATE_TTL_MS, signState } from '../../identity/index.js';
import type { MetaGraph } from '../ports/meta-graph.js';

/**
 * Starts Facebook Login for one persona: a signed state naming user, persona, a nonce and an
 * expiry. The caller keeps the nonce in the session, which makes the state single-use.
 */
export class StartInstagramLink {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly meta: MetaGraph,
    private readonly clock: Clock,
    private readonly secret: string,
  ) {}

  async execute({ userId, persona: ref }: { userId: number; persona?: PersonaRef }): Promise<{ url: string; nonce: string }> {
    const persona = await requireOwnedPersona(this.personas, userId, ref);
    if (!this.meta.configured) {
      throw errors.providerNotConfigured(message('instagram_link_not_configured'));
    }
    const nonce = randomToken();
    const state = signState({ u: userId, p: persona.id, n: nonce, e: this.clock.now().getTime() + STATE_TTL_MS }, this.secret);
    return { url: this.meta.dialogUrl(state), nonce };
  }
}
