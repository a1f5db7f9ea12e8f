import { errors } from '../errors.js';
import type { PersonaRepository } from '../ports/persona-repository.js';
import { verifySignedRequest, type MetaSignedRequest } from '../signed-request.js';

/**
 * Meta's deauthorize callback (the user removed the app on Facebook): every persona link and token of
 * that Meta user goes. A token stored after the request was signed (the user linked again) stays, so a
 * replayed request is answered the same and can never undo a later link. An unknown user: nothing to do.
 */
export class DeauthorizeMetaUser {
  constructor(
    private readonly personas: PersonaRepository,
    /** META_APP_SECRET, which signs the request; null when Meta is not configured. */
    private readonly appSecret: string | null,
  ) {}

  async execute({ signedRequest }: { signedRequest: string }): Promise<{ request: MetaSignedRequest; unlinked: number }> {
    // Without the secret no request can be verified: the caller's 400, like any unverifiable one, not a 5xx.
    if (!this.appSecret) throw errors.invalidSignedRequest();
    const request = verifySignedRequest(signedRequest, this.appSecret);
    const unlinked = await this.personas.unlinkMetaUser(request.userId, request.issuedAt);
    return { request, unlinked };
  }
}
