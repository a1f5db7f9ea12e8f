import { errors, type TransactionRunner } from '../../shared/index.js';
import type { PersonaRepository } from '../../personas/index.js';
import type { InsightsStore } from '../../insights/index.js';
import type { PostRepository } from '../../publishing/index.js';
import { verifySignedRequest, type MetaSignedRequest } from '../signed-request.js';
import type { UnnamedFiles } from '../../images/index.js';

/**
 * Meta's deauthorize callback (the user removed the app on Facebook): every persona link and token of
 * that Meta user goes, and with them those personas' posts (their images' rows and jobs too) and insights, in one
 * transaction; then the prepared images no row names any more. A token stored after the request was
 * signed (the user linked again) stays, so a replayed request is answered the same and can never undo a
 * later link. An unknown user: nothing to do.
 */
export class DeauthorizeMetaUser {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly posts: PostRepository,
    private readonly insights: InsightsStore,
    private readonly transactions: TransactionRunner,
    private readonly files: UnnamedFiles,
    /** META_APP_SECRET, which signs the request; null when Meta is not configured. */
    private readonly appSecret: string | null,
  ) {}

  async execute({ signedRequest }: { signedRequest: string }): Promise<{ request: MetaSignedRequest; unlinked: number }> {
    // Without the secret no request can be verified: the caller's 400, like any unverifiable one, not a 5xx.
    if (!this.appSecret) throw errors.invalidSignedRequest();
    const request = verifySignedRequest(signedRequest, this.appSecret);
    const { unlinked, named } = await this.transactions.inTransaction(async () => {
      const personaIds = await this.personas.unlinkMetaUser(request.userId, request.issuedAt);
      await this.insights.deleteByPersonas(personaIds);
      return { unlinked: personaIds.length, named: await this.posts.deleteByPersonas(personaIds) };
    });
    await this.files.remove(named);
    return { request, unlinked };
  }
}
