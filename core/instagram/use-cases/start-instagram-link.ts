import { errors, message, type Clock } from '../../shared/index.js';
import { type InstagramLogin, type PersonaRef, requireOwnedPersona, type PersonaRepository } from '../../personas/index.js';
import { randomToken, STATE_TTL_MS, signState } from '../../identity/index.js';

/** Where a link path sends the browser: Facebook Login's dialog, or Instagram Login's authorize page. */
export interface LinkDialog {
  /** False while that path's app id and secret are not set. */
  readonly configured: boolean;
  dialogUrl(state: string): string;
}

/**
 * Starts linking one persona, through Facebook Login or Instagram Login: a signed state naming user,
 * persona, a nonce and an expiry. The caller keeps the nonce in the session, which makes the state single-use.
 */
export class StartInstagramLink {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly dialogs: Record<InstagramLogin, LinkDialog>,
    private readonly clock: Clock,
    private readonly secret: string,
  ) {}

  async execute({
    userId,
    persona: ref,
    login = 'facebook',
  }: {
    userId: number;
    persona?: PersonaRef;
    login?: InstagramLogin;
  }): Promise<{ url: string; nonce: string }> {
    const persona = await requireOwnedPersona(this.personas, userId, ref);
    const dialog = this.dialogs[login];
    if (!dialog.configured) {
      throw errors.providerNotConfigured(
        message(login === 'instagram' ? 'instagram_login_not_configured' : 'instagram_link_not_configured'),
      );
    }
    const nonce = randomToken();
    const state = signState({ u: userId, p: persona.id, n: nonce, e: this.clock.now().getTime() + STATE_TTL_MS }, this.secret);
    return { url: dialog.dialogUrl(state), nonce };
  }
}
